import type { Queryable } from '../types';
import { isBigintId, isUuid, iso, jsonParam, StoreInputError } from '../values';

/** A Salesforce field value as the sync carries it (same shape as the Pub/Sub change values). */
export type LinkFieldValue = string | number | boolean | null;
export type LinkValues = Record<string, LinkFieldValue>;

/**
 * Several records of one org may link to the same contact (same person by the match keys): the primary's
 * values are what the directory shows, secondaries stay linked without overwriting them (migration 009).
 */
export const LINK_ROLES = ['primary', 'secondary'] as const;
export type LinkRole = (typeof LINK_ROLES)[number];

/** Ties one directory contact to one Salesforce record of one org, with what each side last looked like. */
export interface Link {
  id: string;
  orgId: string;
  contactId: string;
  sobject: string;
  recordId: string;
  /** Hash of the mapped values last seen from (or written to) Salesforce: drops echoes and no-op events. */
  sfHash: string | null;
  /** Hash of the directory values last written from Salesforce or sent to it. */
  telephonyHash: string | null;
  /** SystemModstamp of the newest Salesforce version applied (ISO 8601). */
  sfModstamp: string | null;
  /** Mapped Salesforce field values last seen from or written to the record; null before the first. */
  sfValues: LinkValues | null;
  role: LinkRole;
  createdAt: string;
  updatedAt: string;
}

export interface NewLink {
  orgId: string;
  contactId: string;
  sobject: string;
  recordId: string;
  sfHash?: string | null;
  telephonyHash?: string | null;
  sfModstamp?: string | null;
  sfValues?: LinkValues | null;
  /** Default: primary, or secondary when the org already has a primary link to the contact. */
  role?: LinkRole;
}

export interface LinkPatch {
  sfHash?: string | null;
  telephonyHash?: string | null;
  sfModstamp?: string | null;
  sfValues?: LinkValues | null;
  contactId?: string;
  role?: LinkRole;
}

interface LinkDbRow {
  id: string;
  org_id: string;
  contact_id: string;
  sobject: string;
  record_id: string;
  sf_hash: string | null;
  telephony_hash: string | null;
  sf_modstamp: Date | null;
  sf_values: LinkValues | null;
  role: LinkRole;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, org_id, contact_id, sobject, record_id, sf_hash, telephony_hash, sf_modstamp, sf_values, role, created_at, updated_at';

/** Patchable keys, their columns and how a value is passed (jsonb goes as JSON text). */
const PATCH_COLUMNS = {
  sfHash: { column: 'sf_hash', param: (v: unknown) => v },
  telephonyHash: { column: 'telephony_hash', param: (v: unknown) => v },
  sfModstamp: { column: 'sf_modstamp', param: (v: unknown) => v },
  sfValues: { column: 'sf_values', param: jsonParam },
  contactId: { column: 'contact_id', param: (v: unknown) => v },
  role: { column: 'role', param: (v: unknown) => v },
} as const;

function toLink(row: LinkDbRow): Link {
  return {
    id: String(row.id),
    orgId: row.org_id,
    contactId: row.contact_id,
    sobject: row.sobject,
    recordId: row.record_id,
    sfHash: row.sf_hash,
    telephonyHash: row.telephony_hash,
    sfModstamp: iso(row.sf_modstamp),
    sfValues: row.sf_values,
    role: row.role,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function checkValues(value: LinkValues | null | undefined, recordId: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new StoreInputError('sfValues', 'expects an object of field values', recordId);
  }
  for (const [field, v] of Object.entries(value)) {
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) {
      throw new StoreInputError(
        `sfValues.${field}`,
        `expects a string, number, boolean or null, got ${typeof v}`,
        recordId,
      );
    }
  }
}

function checkRole(value: LinkRole | undefined, recordId: string): void {
  if (value !== undefined && !LINK_ROLES.includes(value)) {
    throw new StoreInputError('role', `expects ${LINK_ROLES.join(' or ')}, got "${String(value)}"`, recordId);
  }
}

function checkModstamp(value: string | null | undefined, recordId: string): void {
  if (value !== undefined && value !== null && Number.isNaN(Date.parse(value))) {
    throw new StoreInputError('sfModstamp', `expects an ISO 8601 timestamp, got "${value}"`, recordId);
  }
}

/**
 * The org's link to a record and the payloads still on their way to that record (pending or being sent,
 * oldest first), read in ONE statement: one snapshot, so a write-back settling meanwhile (it moves its
 * values from the outbox into the link in one transaction) is seen on one side or the other, never on
 * neither — what telling an event that echoes our own write needs (sync/inbound/applyChange.ts).
 */
export async function findLinkWithInflight(
  q: Queryable,
  orgId: string,
  recordId: string,
): Promise<{ link: Link | null; inflight: Array<Record<string, unknown>> }> {
  const found = (await findOrgLinksWithInflight(q, orgId, [recordId])).get(recordId);
  return found ?? { link: null, inflight: [] };
}

/** findLinkWithInflight for many records in one statement: only linked records are in the answer. */
export async function findOrgLinksWithInflight(
  q: Queryable,
  orgId: string,
  recordIds: string[],
): Promise<Map<string, { link: Link; inflight: Array<Record<string, unknown>> }>> {
  if (recordIds.length === 0) return new Map();
  const { rows } = await q.query<LinkDbRow & { inflight: Array<Record<string, unknown>> }>(
    `SELECT ${COLUMNS}, COALESCE((SELECT jsonb_agg(o.payload ORDER BY o.id) FROM outbox o
       WHERE o.org_id = links.org_id AND o.record_id = links.record_id AND o.state IN ('pending', 'processing')),
       '[]'::jsonb) AS inflight
     FROM links WHERE org_id = $1 AND record_id = ANY($2::text[])`,
    [orgId, recordIds],
  );
  return new Map(rows.map((row) => [row.record_id, { link: toLink(row), inflight: row.inflight }]));
}

/** What applying a Salesforce record writes on its link: the values it now holds and the hashes of both sides. */
export interface AppliedLinkValues {
  id: string;
  sfValues: LinkValues;
  sfHash: string;
  telephonyHash: string;
  sfModstamp: string | null;
}

/** updateLink of the applied values for many links, in one statement (ids in order). */
export async function updateAppliedLinks(q: Queryable, links: AppliedLinkValues[]): Promise<void> {
  if (links.length === 0) return;
  const sorted = [...links].sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  for (const link of sorted) {
    if (!isBigintId(link.id)) throw new StoreInputError('linkId', `expects a link id, got "${String(link.id)}"`);
    checkModstamp(link.sfModstamp, `link ${link.id}`);
    checkValues(link.sfValues, `link ${link.id}`);
  }
  // One JSON document rather than five arrays: pg escapes every element of an array parameter, which
  // costs more than the statement itself for a run of a thousand links.
  const rows = sorted.map((l) => ({
    id: l.id,
    sf_values: l.sfValues,
    sf_hash: l.sfHash,
    telephony_hash: l.telephonyHash,
    sf_modstamp: l.sfModstamp,
  }));
  await q.query(
    `UPDATE links l SET updated_at = now(), sf_values = u.sf_values, sf_hash = u.sf_hash,
       telephony_hash = u.telephony_hash, sf_modstamp = COALESCE(u.sf_modstamp, l.sf_modstamp)
     FROM json_to_recordset($1::json)
       AS u(id bigint, sf_values jsonb, sf_hash text, telephony_hash text, sf_modstamp timestamptz)
     WHERE l.id = u.id`,
    [JSON.stringify(rows)],
  );
}

export async function findLinkByRecord(q: Queryable, orgId: string, recordId: string): Promise<Link | null> {
  const { rows } = await q.query<LinkDbRow>(`SELECT ${COLUMNS} FROM links WHERE org_id = $1 AND record_id = $2`, [
    orgId,
    recordId,
  ]);
  return rows[0] ? toLink(rows[0]) : null;
}

/** This org's links to these records, by record id (one query for a whole batch). */
export async function findOrgLinksByRecords(
  q: Queryable,
  orgId: string,
  recordIds: string[],
): Promise<Map<string, Link>> {
  if (recordIds.length === 0) return new Map();
  const { rows } = await q.query<LinkDbRow>(
    `SELECT ${COLUMNS} FROM links WHERE org_id = $1 AND record_id = ANY($2::text[])`,
    [orgId, recordIds],
  );
  return new Map(rows.map((row) => [row.record_id, toLink(row)]));
}

export async function findLinksByContact(q: Queryable, contactId: string): Promise<Link[]> {
  if (!isUuid(contactId)) return [];
  const { rows } = await q.query<LinkDbRow>(`SELECT ${COLUMNS} FROM links WHERE contact_id = $1 ORDER BY id`, [
    contactId,
  ]);
  return rows.map(toLink);
}

/** Every link of this org to any of the contacts (one query for a whole candidate list), in id order. */
export async function findOrgLinksByContacts(q: Queryable, orgId: string, contactIds: string[]): Promise<Link[]> {
  const ids = contactIds.filter(isUuid);
  if (ids.length === 0) return [];
  const { rows } = await q.query<LinkDbRow>(
    `SELECT ${COLUMNS} FROM links WHERE org_id = $1 AND contact_id = ANY($2::uuid[]) ORDER BY id`,
    [orgId, ids],
  );
  return rows.map(toLink);
}

/** Those of the contacts linked to any record of the org, in one query for a whole batch. */
export async function contactsLinkedIn(q: Queryable, orgId: string, contactIds: string[]): Promise<Set<string>> {
  if (contactIds.length === 0) return new Set();
  const { rows } = await q.query<{ contact_id: string }>(
    'SELECT DISTINCT contact_id FROM links WHERE org_id = $1 AND contact_id = ANY($2::uuid[])',
    [orgId, contactIds],
  );
  return new Set(rows.map((r) => r.contact_id));
}

/**
 * Fails with a unique violation when the org's record is already linked (one record, one contact), or
 * when a second primary link of the org to the same contact is created.
 */
export async function createLink(q: Queryable, link: NewLink): Promise<Link> {
  if (!isUuid(link.contactId)) {
    throw new StoreInputError(
      'contactId',
      `expects a contact id (uuid), got "${String(link.contactId)}"`,
      link.recordId,
    );
  }
  checkModstamp(link.sfModstamp, link.recordId);
  checkValues(link.sfValues, link.recordId);
  checkRole(link.role, link.recordId);
  const { rows } = await q.query<LinkDbRow>(
    `INSERT INTO links (org_id, contact_id, sobject, record_id, sf_hash, telephony_hash, sf_modstamp, sf_values, role)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, COALESCE($9, CASE WHEN EXISTS (
       SELECT 1 FROM links WHERE org_id = $1 AND contact_id = $2 AND role = 'primary') THEN 'secondary' ELSE 'primary' END))
     RETURNING ${COLUMNS}`,
    [
      link.orgId,
      link.contactId,
      link.sobject,
      link.recordId,
      link.sfHash ?? null,
      link.telephonyHash ?? null,
      link.sfModstamp ?? null,
      jsonParam(link.sfValues),
      link.role ?? null,
    ],
  );
  return toLink(rows[0] as LinkDbRow);
}

/** Changes only the given keys (null clears a hash or the modstamp). */
export async function updateLink(q: Queryable, linkId: string, patch: LinkPatch): Promise<void> {
  if (!isBigintId(linkId)) throw new StoreInputError('linkId', `expects a link id, got "${String(linkId)}"`);
  if (patch.contactId !== undefined && !isUuid(patch.contactId)) {
    throw new StoreInputError(
      'contactId',
      `expects a contact id (uuid), got "${String(patch.contactId)}" (link ${linkId})`,
    );
  }
  checkModstamp(patch.sfModstamp, `link ${linkId}`);
  checkValues(patch.sfValues, `link ${linkId}`);
  checkRole(patch.role, `link ${linkId}`);
  const params: unknown[] = [linkId];
  const sets = ['updated_at = now()'];
  for (const key of Object.keys(PATCH_COLUMNS) as (keyof LinkPatch)[]) {
    if (patch[key] !== undefined) {
      const { column, param } = PATCH_COLUMNS[key];
      params.push(param(patch[key]));
      sets.push(`${column} = $${params.length}`);
    }
  }
  if (sets.length === 1) return;
  await q.query(`UPDATE links SET ${sets.join(', ')} WHERE id = $1`, params);
}

export async function deleteLink(q: Queryable, linkId: string): Promise<void> {
  if (!isBigintId(linkId)) throw new StoreInputError('linkId', `expects a link id, got "${String(linkId)}"`);
  await q.query('DELETE FROM links WHERE id = $1', [linkId]);
}

/** How many records of the org are linked: the mass-deletion guards' base. */
export async function countLinks(q: Queryable, orgId: string): Promise<number> {
  const { rows } = await q.query<{ n: string }>('SELECT count(*) AS n FROM links WHERE org_id = $1', [orgId]);
  return Number(rows[0]?.n ?? 0);
}

/** The ones of `recordIds` already linked in the org. */
export async function linkedRecordIds(q: Queryable, orgId: string, recordIds: string[]): Promise<Set<string>> {
  if (recordIds.length === 0) return new Set();
  const { rows } = await q.query<{ record_id: string }>(
    'SELECT record_id FROM links WHERE org_id = $1 AND record_id = ANY($2::text[])',
    [orgId, recordIds],
  );
  return new Set(rows.map((r) => r.record_id));
}

/** The linked contact of each of `recordIds` the org links (the others are absent), in one query. */
export async function linkedContactsByRecord(
  q: Queryable,
  orgId: string,
  recordIds: string[],
): Promise<Map<string, string>> {
  if (recordIds.length === 0) return new Map();
  const { rows } = await q.query<{ record_id: string; contact_id: string }>(
    'SELECT record_id, contact_id FROM links WHERE org_id = $1 AND record_id = ANY($2::text[])',
    [orgId, recordIds],
  );
  return new Map(rows.map((r) => [r.record_id, r.contact_id]));
}

/** A primary link of a bulk load: the contact's id was chosen by the loader, in the same batch. */
export interface NewBulkLink {
  contactId: string;
  sobject: string;
  recordId: string;
  sfValues: LinkValues;
  sfHash: string;
  telephonyHash: string;
  sfModstamp: string | null;
  /** The contact's version telephonyHash was computed from (migration 026): 1 for a contact made with the link. */
  telephonyVersion: number | null;
}

/**
 * Inserts a whole page of primary links in one statement (arrays spread by `unnest`: the initial sync's
 * set-based load). Trusts ids and shapes: the caller built them. Fails with a unique violation when one
 * of the records is already linked in the org.
 */
export async function insertLinksBulk(q: Queryable, orgId: string, links: NewBulkLink[]): Promise<void> {
  if (links.length === 0) return;
  await q.query(
    `INSERT INTO links (org_id, contact_id, sobject, record_id, sf_values, sf_hash, telephony_hash, sf_modstamp,
       telephony_version)
     SELECT $1, contact_id, sobject, record_id, sf_values::jsonb, sf_hash, telephony_hash, sf_modstamp::timestamptz,
       telephony_version
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[])
       AS t(contact_id, sobject, record_id, sf_values, sf_hash, telephony_hash, sf_modstamp, telephony_version)`,
    [
      orgId,
      links.map((l) => l.contactId),
      links.map((l) => l.sobject),
      links.map((l) => l.recordId),
      links.map((l) => jsonParam(l.sfValues)),
      links.map((l) => l.sfHash),
      links.map((l) => l.telephonyHash),
      links.map((l) => l.sfModstamp),
      links.map((l) => l.telephonyVersion),
    ],
  );
}
