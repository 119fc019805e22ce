import type { Queryable } from '../store/types';
import { isUuid, iso } from '../store/values';
import { ADVISORY_LOCKS } from '../store/advisoryLocks';

/**
 * The CardDAV names and UIDs of directory contacts (migration 021), for carddav/.
 *
 * Contract: a contact is one address object resource. Its name is the one a client created it under (a row in
 * carddav_resources), else `<contact id>.vcf`; its UID likewise the client's, else the contact id; its ETag comes
 * from the contact's version. Reads answer only contacts that exist, except `cardResourcesOf`, which also names
 * deleted ones (for sync-collection's 404 entries).
 */
export interface CardResource {
  contactId: string;
  /** The last path segment, e.g. `3f0c….vcf`. */
  name: string;
  uid: string;
  /** The contact's version (0 when the contact no longer exists). */
  version: number;
  /** ISO 8601 (null when the contact no longer exists). */
  updatedAt: string | null;
  exists: boolean;
}

const DEFAULT_SUFFIX = '.vcf';

/** The name a contact has when no client named it. */
export function defaultCardName(contactId: string): string {
  return `${contactId}${DEFAULT_SUFFIX}`;
}

interface ResourceRow {
  contact_id: string;
  name: string | null;
  uid: string | null;
  version: number | null;
  updated_at: Date | null;
}

function toResource(row: ResourceRow): CardResource {
  return {
    contactId: row.contact_id,
    name: row.name ?? defaultCardName(row.contact_id),
    uid: row.uid ?? row.contact_id,
    version: row.version ?? 0,
    updatedAt: row.updated_at ? iso(row.updated_at) : null,
    exists: row.version !== null,
  };
}

/**
 * One page of every contact's resource, in contact id order (keyset after `afterId`). Two statements rather than
 * `($1 IS NULL OR id > $1)`: with the OR the planner cannot use the primary key's range and sorts the whole table
 * for every page (a 100,000-contact listing took 19 s instead of 2).
 */
export async function cardResourcePage(q: Queryable, afterId: string | null, limit: number): Promise<CardResource[]> {
  const select = `SELECT c.id::text AS contact_id, r.name, r.uid, c.version, c.updated_at
     FROM directory_contacts c LEFT JOIN carddav_resources r ON r.contact_id = c.id`;
  const size = Math.max(1, Math.floor(limit));
  const { rows } =
    afterId === null
      ? await q.query<ResourceRow>(`${select} ORDER BY c.id LIMIT $1`, [size])
      : await q.query<ResourceRow>(`${select} WHERE c.id > $1::uuid ORDER BY c.id LIMIT $2`, [afterId, size]);
  return rows.map(toResource);
}

/** The resources of these contacts, deleted ones included (exists false), in the order asked. */
export async function cardResourcesOf(q: Queryable, contactIds: string[]): Promise<CardResource[]> {
  const ids = contactIds.filter(isUuid);
  if (ids.length === 0) return [];
  const { rows } = await q.query<ResourceRow>(
    `SELECT x.id::text AS contact_id, r.name, r.uid, c.version, c.updated_at
     FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, ord)
     LEFT JOIN directory_contacts c ON c.id = x.id
     LEFT JOIN carddav_resources r ON r.contact_id = x.id
     ORDER BY x.ord`,
    [ids],
  );
  return rows.map(toResource);
}

/**
 * The existing contact served under `name`, or null. A client's name wins; `<uuid>.vcf` is a contact's default
 * name only while no client gave it another.
 */
export async function cardResourceNamed(q: Queryable, name: string): Promise<CardResource | null> {
  const { rows } = await q.query<ResourceRow>(
    `SELECT c.id::text AS contact_id, r.name, r.uid, c.version, c.updated_at
     FROM carddav_resources r JOIN directory_contacts c ON c.id = r.contact_id
     WHERE r.name = $1`,
    [name],
  );
  if (rows[0]) return toResource(rows[0]);
  const id = name.endsWith(DEFAULT_SUFFIX) ? name.slice(0, -DEFAULT_SUFFIX.length) : '';
  if (!isUuid(id)) return null;
  const byId = await q.query<ResourceRow>(
    `SELECT c.id::text AS contact_id, r.name, r.uid, c.version, c.updated_at
     FROM directory_contacts c LEFT JOIN carddav_resources r ON r.contact_id = c.id
     WHERE c.id = $1 AND r.contact_id IS NULL`,
    [id],
  );
  return byId.rows[0] ? toResource(byId.rows[0]) : null;
}

/** The existing contact whose resource carries this UID (a client's, or the contact id as default), or null. */
export async function contactIdWithUid(q: Queryable, uid: string): Promise<string | null> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT r.contact_id::text AS id FROM carddav_resources r JOIN directory_contacts c ON c.id = r.contact_id
     WHERE r.uid = $1
     UNION ALL
     SELECT c.id::text FROM directory_contacts c
     WHERE $2::uuid IS NOT NULL AND c.id = $2::uuid
       AND NOT EXISTS (SELECT 1 FROM carddav_resources r WHERE r.contact_id = c.id)
     LIMIT 1`,
    [uid, isUuid(uid) ? uid : null],
  );
  return rows[0]?.id ?? null;
}

/**
 * Records the name and UID a client gave a contact, in one statement. A row left by a deleted contact under the
 * same name is taken over; a default name and UID need no row (an existing one goes).
 */
export async function saveCardResource(q: Queryable, contactId: string, name: string, uid: string): Promise<void> {
  if (name === defaultCardName(contactId) && uid === contactId) {
    await q.query('DELETE FROM carddav_resources WHERE contact_id = $1', [contactId]);
    return;
  }
  await q.query(
    `WITH stale AS (
       DELETE FROM carddav_resources r WHERE r.name = $2 AND r.contact_id <> $1
         AND NOT EXISTS (SELECT 1 FROM directory_contacts c WHERE c.id = r.contact_id)
     )
     INSERT INTO carddav_resources (contact_id, name, uid) VALUES ($1, $2, $3)
     ON CONFLICT (contact_id) DO UPDATE SET name = EXCLUDED.name, uid = EXCLUDED.uid`,
    [contactId, name, uid],
  );
}

/** The advisory lock namespace of CardDAV names and UIDs ("SWB5"; match keys use "SWB2" and "SWB4"). */
const CARD_RESOURCE_NAMESPACE = ADVISORY_LOCKS.cardResource;

/** A name or UID a card was to be created under belongs to another contact (a concurrent PUT got there first). */
export class CardResourceTaken extends Error {
  constructor(
    readonly what: 'name' | 'uid',
    readonly holderId: string,
  ) {
    super(`the card ${what} belongs to contact ${holderId}`);
  }
}

/**
 * Gives a contact just created in the caller's transaction the name and UID its client chose, or throws
 * CardResourceTaken so the transaction (and the contact) is undone. The name and UID are locked until the
 * transaction ends, so of two PUTs creating the same name (or UID) at once the second waits, sees the first's
 * card, and creates nothing: without the lock both would create a contact and one would be left nameless.
 */
export async function claimCardResource(tx: Queryable, contactId: string, name: string, uid: string): Promise<void> {
  await tx.query(
    `SELECT count(pg_advisory_xact_lock($1::int, h)) AS locked
       FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($2::text[]) AS k ORDER BY 1) AS ordered`,
    [CARD_RESOURCE_NAMESPACE, [`name:${name}`, `uid:${uid}`]],
  );
  const named = await cardResourceNamed(tx, name);
  if (named && named.contactId !== contactId) throw new CardResourceTaken('name', named.contactId);
  const holder = await contactIdWithUid(tx, uid);
  if (holder && holder !== contactId) throw new CardResourceTaken('uid', holder);
  await saveCardResource(tx, contactId, name, uid);
}

/** The existing contacts served under these names (RFC 6352 multiget), by name; names nobody holds are absent. */
export async function cardResourcesNamed(q: Queryable, names: string[]): Promise<Map<string, CardResource>> {
  const out = new Map<string, CardResource>();
  if (names.length === 0) return out;
  const { rows } = await q.query<ResourceRow>(
    `SELECT c.id::text AS contact_id, r.name, r.uid, c.version, c.updated_at
     FROM carddav_resources r JOIN directory_contacts c ON c.id = r.contact_id
     WHERE r.name = ANY($1::text[])`,
    [names],
  );
  for (const row of rows) out.set(row.name as string, toResource(row));
  const byId = new Map<string, string>();
  for (const name of names) {
    const id = name.endsWith(DEFAULT_SUFFIX) ? name.slice(0, -DEFAULT_SUFFIX.length) : '';
    if (!out.has(name) && isUuid(id)) byId.set(id, name);
  }
  if (byId.size === 0) return out;
  const rest = await q.query<ResourceRow>(
    `SELECT c.id::text AS contact_id, r.name, r.uid, c.version, c.updated_at
     FROM directory_contacts c LEFT JOIN carddav_resources r ON r.contact_id = c.id
     WHERE c.id = ANY($1::uuid[]) AND r.contact_id IS NULL`,
    [[...byId.keys()]],
  );
  for (const row of rest.rows) out.set(byId.get(row.contact_id) as string, toResource(row));
  return out;
}
