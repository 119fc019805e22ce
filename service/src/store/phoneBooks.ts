import type { Queryable } from './types';
import { isUuid, iso, StoreInputError } from './values';

/**
 * The named phone-book feeds an admin configures (migration 019): which contacts a feed lists and how it writes
 * their names. The feed itself (phonebook/) reads these; the REST API (http/phoneBooksApi.ts) edits them.
 * `version` goes up on every change, so a feed's ETag changes with its configuration.
 */

export const SELECTION_KINDS = ['all', 'org', 'object', 'tag'] as const;
export type SelectionKind = (typeof SELECTION_KINDS)[number];
export const NAME_ORDERS = ['first-last', 'last-first'] as const;
export const TRANSLITERATIONS = ['none', 'ascii'] as const;
export const VCARD_VERSIONS = ['3.0', '4.0'] as const;

export interface PhoneBookSettings {
  name: string;
  /** A format name of phonebook/formats (format.ts FORMAT_NAMES); checked by the API, stored as text. */
  format: string;
  /** Which contacts: all, or those of one org, one object (Contact, Lead, Account), or one tag. */
  selection: { kind: SelectionKind; value: string | null };
  nameOrder: (typeof NAME_ORDERS)[number];
  /** Longest display name in characters; null: no cap. */
  nameMaxLength: number | null;
  transliteration: (typeof TRANSLITERATIONS)[number];
  vcardVersion: (typeof VCARD_VERSIONS)[number];
}

export interface PhoneBookConfig extends PhoneBookSettings {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface PhoneBookRow {
  id: string;
  name: string;
  format: string;
  selection_kind: SelectionKind;
  selection_value: string | null;
  name_order: PhoneBookSettings['nameOrder'];
  name_max_length: number | null;
  transliteration: PhoneBookSettings['transliteration'];
  vcard_version: PhoneBookSettings['vcardVersion'];
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, name, format, selection_kind, selection_value, name_order, name_max_length, transliteration, vcard_version, version, created_at, updated_at';

function toConfig(row: PhoneBookRow): PhoneBookConfig {
  return {
    id: row.id,
    name: row.name,
    format: row.format,
    selection: { kind: row.selection_kind, value: row.selection_value },
    nameOrder: row.name_order,
    nameMaxLength: row.name_max_length,
    transliteration: row.transliteration,
    vcardVersion: row.vcard_version,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function values(settings: PhoneBookSettings): unknown[] {
  return [
    settings.name,
    settings.format,
    settings.selection.kind,
    settings.selection.kind === 'all' ? null : settings.selection.value,
    settings.nameOrder,
    settings.nameMaxLength,
    settings.transliteration,
    settings.vcardVersion,
  ];
}

/** A second feed of the same name is the caller's mistake, said as one (the name picks a feed: `?feed=`). */
async function uniqueName<T>(name: string, recordId: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: unknown }).code === '23505') {
      throw new StoreInputError('name', `another phone book is already named "${name}"`, recordId);
    }
    throw error;
  }
}

export async function createPhoneBook(q: Queryable, settings: PhoneBookSettings): Promise<PhoneBookConfig> {
  return uniqueName(settings.name, undefined, async () => {
    const { rows } = await q.query<PhoneBookRow>(
      `INSERT INTO phone_books (name, format, selection_kind, selection_value, name_order, name_max_length,
         transliteration, vcard_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      values(settings),
    );
    return toConfig(rows[0] as PhoneBookRow);
  });
}

/** Replaces every setting; the version goes up. null when there is no such feed. */
export async function updatePhoneBook(
  q: Queryable,
  id: string,
  settings: PhoneBookSettings,
): Promise<PhoneBookConfig | null> {
  if (!isUuid(id)) return null;
  return uniqueName(settings.name, id, async () => {
    const { rows } = await q.query<PhoneBookRow>(
      `UPDATE phone_books SET name = $2, format = $3, selection_kind = $4, selection_value = $5, name_order = $6,
         name_max_length = $7, transliteration = $8, vcard_version = $9, version = version + 1, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ...values(settings)],
    );
    return rows[0] ? toConfig(rows[0]) : null;
  });
}

export async function getPhoneBook(q: Queryable, id: string): Promise<PhoneBookConfig | null> {
  if (!isUuid(id)) return null;
  const { rows } = await q.query<PhoneBookRow>(`SELECT ${COLUMNS} FROM phone_books WHERE id = $1`, [id]);
  return rows[0] ? toConfig(rows[0]) : null;
}

/** The feed a device names with `?feed=<name>`. */
export async function findPhoneBookByName(q: Queryable, name: string): Promise<PhoneBookConfig | null> {
  const { rows } = await q.query<PhoneBookRow>(`SELECT ${COLUMNS} FROM phone_books WHERE name = $1`, [name]);
  return rows[0] ? toConfig(rows[0]) : null;
}

/** Every feed, by name. */
export async function listPhoneBooks(q: Queryable): Promise<PhoneBookConfig[]> {
  const { rows } = await q.query<PhoneBookRow>(`SELECT ${COLUMNS} FROM phone_books ORDER BY name, id`);
  return rows.map(toConfig);
}

export async function deletePhoneBook(q: Queryable, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const { rowCount } = await q.query('DELETE FROM phone_books WHERE id = $1', [id]);
  return (rowCount ?? 0) > 0;
}
