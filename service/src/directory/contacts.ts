import type { Queryable } from '../store/types';
import { isUuid, iso, requirePositiveInteger, StoreInputError } from '../store/values';
import { unstorableTextReason } from '../model/text';
import {
  PHONE_KINDS,
  type ContactFields,
  type ContactSource,
  type DirectoryContact,
  type DirectoryPhone,
} from './model';

export const CONTACT_COLUMNS =
  'id, first_name, last_name, company, title, email, source, version, created_at, updated_at, tags';

/** Editable scalar fields and their columns; the only names ever spliced into SQL. */
export const FIELD_COLUMNS = {
  firstName: 'first_name',
  lastName: 'last_name',
  company: 'company',
  title: 'title',
  email: 'email',
} as const;
export type ScalarField = keyof typeof FIELD_COLUMNS;
export const SCALAR_FIELDS = Object.keys(FIELD_COLUMNS) as ScalarField[];

const SOURCES: readonly ContactSource[] = ['salesforce', 'telephony', 'internal'];
const E164_PATTERN = /^\+[1-9]\d{1,14}$/;

export interface ContactDbRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  title: string | null;
  email: string | null;
  source: ContactSource;
  version: number;
  created_at: Date;
  updated_at: Date;
  tags: string[];
}

interface PhoneDbRow {
  contact_id: string;
  kind: DirectoryPhone['kind'];
  raw: string;
  e164: string | null;
  extension: string | null;
}

export function toContact(row: ContactDbRow, phones: DirectoryPhone[]): DirectoryContact {
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    company: row.company,
    title: row.title,
    email: row.email,
    phones,
    source: row.source,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
    tags: row.tags,
  };
}

function describeRecord(recordId: string | undefined): string {
  return recordId ? ` (contact ${recordId})` : ' (new contact)';
}

export function checkFields(fields: ContactFields, recordId?: string): void {
  if (typeof fields !== 'object' || fields === null) {
    throw new StoreInputError('fields', `expects an object${describeRecord(recordId)}`);
  }
  for (const field of SCALAR_FIELDS) {
    const value = fields[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new StoreInputError(field, `expects a string or null, got ${typeof value}${describeRecord(recordId)}`);
    }
  }
  if (
    fields.tags !== undefined &&
    (!Array.isArray(fields.tags) || fields.tags.some((tag) => typeof tag !== 'string' || tag === ''))
  ) {
    throw new StoreInputError('tags', `expects an array of non-empty strings${describeRecord(recordId)}`);
  }
  if (fields.phones === undefined) return;
  if (!Array.isArray(fields.phones)) throw new StoreInputError('phones', `expects an array${describeRecord(recordId)}`);
  fields.phones.forEach((phone, i) => {
    const where = `phones[${i}]`;
    if (typeof phone !== 'object' || phone === null)
      throw new StoreInputError(where, `expects an object${describeRecord(recordId)}`);
    if (!(PHONE_KINDS as readonly string[]).includes(phone.kind)) {
      throw new StoreInputError(
        `${where}.kind`,
        `expects one of ${PHONE_KINDS.join(', ')}, got "${String(phone.kind)}"${describeRecord(recordId)}`,
      );
    }
    if (typeof phone.raw !== 'string')
      throw new StoreInputError(`${where}.raw`, `expects a string${describeRecord(recordId)}`);
    if (phone.e164 !== null && (typeof phone.e164 !== 'string' || !E164_PATTERN.test(phone.e164))) {
      throw new StoreInputError(
        `${where}.e164`,
        `expects an E.164 number like +14155552671 or null, got "${String(phone.e164)}"${describeRecord(recordId)}`,
      );
    }
    if (phone.extension !== null && typeof phone.extension !== 'string') {
      throw new StoreInputError(`${where}.extension`, `expects a string or null${describeRecord(recordId)}`);
    }
  });
}

/** The phone list as four parallel arrays for `unnest(...) WITH ORDINALITY`, which keeps their order. */
function phoneArrays(phones: DirectoryPhone[]): [string[], string[], (string | null)[], (string | null)[]] {
  return [
    phones.map((p) => p.kind),
    phones.map((p) => p.raw),
    phones.map((p) => p.e164),
    phones.map((p) => p.extension),
  ];
}

/**
 * A CTE inserting the phones for the contact row produced by CTE `c`; positions count from 0.
 * `first` is the number of the first of four array parameters.
 */
function insertPhonesCte(first: number): string {
  return `INSERT INTO directory_phones (contact_id, kind, raw, e164, extension, position)
    SELECT c.id, ph.kind, ph.raw, ph.e164, ph.extension, (ph.ord - 1)::int
    FROM c, unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::text[])
      WITH ORDINALITY AS ph(kind, raw, e164, extension, ord)`;
}

/** Each tag once, in the order given. */
function uniqueTags(tags: string[]): string[] {
  return [...new Set(tags)];
}

export function copyPhones(phones: DirectoryPhone[]): DirectoryPhone[] {
  return phones.map((p) => ({ kind: p.kind, raw: p.raw, e164: p.e164, extension: p.extension }));
}

/** Phones of many contacts in one query, each list in position order. */
async function phonesByContact(q: Queryable, contactIds: string[]): Promise<Map<string, DirectoryPhone[]>> {
  const byContact = new Map<string, DirectoryPhone[]>(contactIds.map((id) => [id, []]));
  if (contactIds.length === 0) return byContact;
  const { rows } = await q.query<PhoneDbRow>(
    `SELECT contact_id, kind, raw, e164, extension FROM directory_phones
     WHERE contact_id = ANY($1::uuid[]) ORDER BY contact_id, position`,
    [contactIds],
  );
  for (const row of rows) {
    byContact.get(row.contact_id)?.push({ kind: row.kind, raw: row.raw, e164: row.e164, extension: row.extension });
  }
  return byContact;
}

export async function withPhones(q: Queryable, rows: ContactDbRow[]): Promise<DirectoryContact[]> {
  const phones = await phonesByContact(
    q,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toContact(row, phones.get(row.id) ?? []));
}

/** Inserts the contact and its phones in one statement, so it is atomic even outside a transaction. */
export async function insertContact(
  q: Queryable,
  fields: ContactFields,
  source: ContactSource,
): Promise<DirectoryContact> {
  checkFields(fields);
  if (!SOURCES.includes(source))
    throw new StoreInputError('source', `expects one of ${SOURCES.join(', ')}, got "${String(source)}" (new contact)`);
  const phones = fields.phones ?? [];
  const { rows } = await q.query<ContactDbRow>(
    `WITH c AS (
       INSERT INTO directory_contacts (first_name, last_name, company, title, email, source, tags)
       VALUES ($1, $2, $3, $4, $5, $6, $7::text[]) RETURNING ${CONTACT_COLUMNS}
     ), p AS (${insertPhonesCte(8)})
     SELECT ${CONTACT_COLUMNS} FROM c`,
    [...SCALAR_FIELDS.map((f) => fields[f] ?? null), source, uniqueTags(fields.tags ?? []), ...phoneArrays(phones)],
  );
  return toContact(rows[0] as ContactDbRow, copyPhones(phones));
}

/** null for an unknown id and for a string that is no uuid at all. */
export async function getContact(q: Queryable, id: string): Promise<DirectoryContact | null> {
  return (await getContacts(q, [id]))[0] ?? null;
}

/**
 * Locks the contact's row (KEY SHARE) for the rest of the caller's transaction: it cannot be deleted
 * meanwhile, while edits of its fields still go ahead. false when there is no such contact.
 */
export async function lockContactAgainstDelete(q: Queryable, id: string): Promise<boolean> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM directory_contacts WHERE id = $1 FOR KEY SHARE', [id]);
  return rows.length > 0;
}

/** Several contacts with their phones, in one statement (one snapshot); unknown ids (and non-uuids) are left out. */
export async function getContacts(q: Queryable, ids: string[]): Promise<DirectoryContact[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  const { rows } = await q.query<ContactDbRow & { phones: DirectoryPhone[] }>(
    `SELECT ${CONTACT_COLUMNS}, COALESCE((SELECT json_agg(json_build_object('kind', p.kind, 'raw', p.raw,
       'e164', p.e164, 'extension', p.extension) ORDER BY p.position) FROM directory_phones p
       WHERE p.contact_id = directory_contacts.id), '[]'::json) AS phones
     FROM directory_contacts WHERE id = ANY($1::uuid[])`,
    [valid],
  );
  return rows.map((row) => toContact(row, row.phones));
}

/**
 * Changes only the keys present in `fields` (phones replace the whole list when given), bumps the
 * version and updated_at, in one statement. null when the contact does not exist. `read` is the contact
 * as the caller read it: when this update is the very next version, its phones are still those (every
 * write of a phone bumps the version) and are not read again.
 */
export async function updateContact(
  q: Queryable,
  id: string,
  fields: ContactFields,
  read?: DirectoryContact,
): Promise<DirectoryContact | null> {
  if (!isUuid(id)) return null;
  checkFields(fields, id);
  const params: unknown[] = [id];
  const sets = ['version = version + 1', 'updated_at = now()'];
  for (const field of SCALAR_FIELDS) {
    if (field in fields && fields[field] !== undefined) {
      params.push(fields[field]);
      sets.push(`${FIELD_COLUMNS[field]} = $${params.length}`);
    }
  }
  if (fields.tags !== undefined) {
    params.push(uniqueTags(fields.tags));
    sets.push(`tags = $${params.length}::text[]`);
  }
  const phones = fields.phones;
  let phoneCtes = '';
  if (phones !== undefined) {
    // Both CTEs see the snapshot from before the statement: the delete removes only the old phones.
    phoneCtes = `, d AS (DELETE FROM directory_phones WHERE contact_id IN (SELECT id FROM c)), p AS (${insertPhonesCte(params.length + 1)})`;
    params.push(...phoneArrays(phones));
  }
  const { rows } = await q.query<ContactDbRow>(
    `WITH c AS (
       UPDATE directory_contacts SET ${sets.join(', ')} WHERE id = $1 RETURNING ${CONTACT_COLUMNS}
     )${phoneCtes}
     SELECT ${CONTACT_COLUMNS} FROM c`,
    params,
  );
  const row = rows[0];
  if (!row) return null;
  if (phones !== undefined) return toContact(row, copyPhones(phones));
  if (read?.id === row.id && Number(row.version) === read.version + 1) return toContact(row, copyPhones(read.phones));
  return (await withPhones(q, [row]))[0] ?? null;
}

/** Phones and links go with it (ON DELETE CASCADE). */
export async function deleteContact(q: Queryable, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const { rowCount } = await q.query('DELETE FROM directory_contacts WHERE id = $1', [id]);
  return (rowCount ?? 0) > 0;
}

/** Contacts having any of these E.164 numbers, in id order. */
export async function findContactIdsByPhones(q: Queryable, e164s: string[]): Promise<string[]> {
  const numbers = [...new Set(e164s.filter((n) => typeof n === 'string' && n !== ''))];
  if (numbers.length === 0) return [];
  const { rows } = await q.query<{ contact_id: string }>(
    'SELECT DISTINCT contact_id FROM directory_phones WHERE e164 = ANY($1::text[]) ORDER BY contact_id',
    [numbers],
  );
  return rows.map((r) => r.contact_id);
}

/** Case- and surrounding-space-insensitive, through the indexed email_lower column. */
export async function findContactIdsByEmail(q: Queryable, email: string): Promise<string[]> {
  if (typeof email !== 'string' || email.trim() === '') return [];
  const { rows } = await q.query<{ id: string }>(
    'SELECT id FROM directory_contacts WHERE email_lower = lower(btrim($1)) ORDER BY id',
    [email],
  );
  return rows.map((r) => r.id);
}

/** A directory contact sharing a match key with an incoming record, and which keys it shares. */
export interface KeyMatch {
  contactId: string;
  byPhone: boolean;
  byEmail: boolean;
  source: ContactSource;
  updatedAt: string;
}

/**
 * Contacts having any of the E.164 numbers or the email (case- and surrounding-space-insensitive), in
 * one query: the candidates a record may join instead of creating a duplicate. Internal extensions
 * (Salesforce users) are never candidates: a customer sharing a switchboard number is not that user.
 * In id order.
 */
export async function findContactsByKeys(
  q: Queryable,
  keys: { e164s: string[]; email: string | null },
): Promise<KeyMatch[]> {
  const numbers = [...new Set(keys.e164s.filter((n) => typeof n === 'string' && n !== ''))];
  const email = typeof keys.email === 'string' && keys.email.trim() !== '' ? keys.email : null;
  if (numbers.length === 0 && email === null) return [];
  const { rows } = await q.query<{
    id: string;
    by_phone: boolean;
    by_email: boolean;
    source: ContactSource;
    updated_at: Date;
  }>(
    `SELECT c.id, c.source, c.updated_at,
       EXISTS (SELECT 1 FROM directory_phones p WHERE p.contact_id = c.id AND p.e164 = ANY($1::text[])) AS by_phone,
       COALESCE(c.email_lower = lower(btrim($2::text)), false) AS by_email
     FROM directory_contacts c
     WHERE c.source <> 'internal'
       -- A UNION, not an OR across the two tables: each side uses its index (an OR scans every contact).
       AND c.id IN (SELECT contact_id FROM directory_phones WHERE e164 = ANY($1::text[])
                    UNION SELECT id FROM directory_contacts WHERE email_lower = lower(btrim($2::text)))
     ORDER BY c.id`,
    [numbers, email],
  );
  return rows.map((r) => ({
    contactId: r.id,
    byPhone: r.by_phone,
    byEmail: r.by_email,
    source: r.source,
    updatedAt: iso(r.updated_at),
  }));
}

export interface ListContactsOptions {
  limit: number;
  /** Keyset cursor: the id of the last contact of the previous page. */
  after?: string;
  /** Matches name, company and email case-insensitively, and phone digits when the search looks like a number. */
  search?: string;
}

export const MAX_LIST_LIMIT = 1000;

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** "+1 (415) 555-26" searches phones; "Ada 2" does not (names with a stray digit would match everything). */
function phoneDigits(search: string): string | null {
  if (!/^[\d\s+().\-/x]+$/i.test(search)) return null;
  const digits = search.replace(/\D/g, '');
  return digits.length >= 3 ? digits : null;
}

export async function listContacts(q: Queryable, options: ListContactsOptions): Promise<DirectoryContact[]> {
  const limit = requirePositiveInteger('limit', options.limit, MAX_LIST_LIMIT);
  if (options.after !== undefined && !isUuid(options.after)) {
    throw new StoreInputError(
      'after',
      `expects a contact id (uuid) from the previous page, got "${String(options.after)}"`,
    );
  }
  const search = options.search?.trim() || null;
  // Postgres throws on a NUL; refused here, named, it is the caller's mistake and not a 500.
  const unstorable = search === null ? null : unstorableTextReason(search);
  if (unstorable) throw new StoreInputError('search', unstorable);
  const digits = search ? phoneDigits(search) : null;
  const { rows } = await q.query<ContactDbRow>(
    `SELECT ${CONTACT_COLUMNS} FROM directory_contacts c
     WHERE ($1::uuid IS NULL OR c.id > $1::uuid)
       AND ($2::text IS NULL
         OR c.first_name ILIKE $2 OR c.last_name ILIKE $2
         OR concat_ws(' ', c.first_name, c.last_name) ILIKE $2
         OR concat_ws(' ', c.last_name, c.first_name) ILIKE $2
         OR c.company ILIKE $2 OR c.email ILIKE $2
         OR ($3::text IS NOT NULL AND EXISTS (
           SELECT 1 FROM directory_phones p
           WHERE p.contact_id = c.id AND (regexp_replace(p.raw, '\\D', '', 'g') LIKE $3 OR p.e164 LIKE $3))))
     ORDER BY c.id
     LIMIT $4`,
    [options.after ?? null, search ? likePattern(search) : null, digits ? `%${digits}%` : null, limit],
  );
  return withPhones(q, rows);
}

export async function countContacts(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM directory_contacts');
  return rows[0]?.n ?? 0;
}
