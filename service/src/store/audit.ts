import type { Queryable } from './types';
import { isUuid, iso, requirePositiveInteger, StoreInputError } from './values';

export const AUDIT_ORIGINS = ['salesforce', 'telephony', 'system'] as const;
export type AuditOrigin = (typeof AUDIT_ORIGINS)[number];

/** Who changed what, why, and the values before and after. */
export interface AuditEntry {
  orgId: string | null;
  contactId: string | null;
  recordId: string | null;
  origin: AuditOrigin;
  action: string;
  /** The conflict or matching rule that decided, when one did. */
  rule: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditRecord extends AuditEntry {
  id: string;
  at: string;
}

interface AuditDbRow {
  id: string;
  at: Date;
  org_id: string | null;
  contact_id: string | null;
  record_id: string | null;
  origin: AuditOrigin;
  action: string;
  rule: string | null;
  before: unknown;
  after: unknown;
}

function toRecord(row: AuditDbRow): AuditRecord {
  return {
    id: String(row.id),
    at: iso(row.at),
    orgId: row.org_id,
    contactId: row.contact_id,
    recordId: row.record_id,
    origin: row.origin,
    action: row.action,
    rule: row.rule,
    before: row.before,
    after: row.after,
  };
}

function checkEntry(entry: AuditEntry): void {
  const record = entry.recordId ?? entry.contactId ?? undefined;
  if (!AUDIT_ORIGINS.includes(entry.origin)) {
    throw new StoreInputError(
      'origin',
      `expects one of ${AUDIT_ORIGINS.join(', ')}, got "${String(entry.origin)}"`,
      record,
    );
  }
  if (entry.contactId !== null && !isUuid(entry.contactId)) {
    throw new StoreInputError(
      'contactId',
      `expects a contact id (uuid) or null, got "${String(entry.contactId)}"`,
      record,
    );
  }
  if (typeof entry.action !== 'string' || entry.action === '')
    throw new StoreInputError('action', 'is required', record);
}

export async function recordAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  await recordAudits(q, [entry]);
}

/** Several entries in one statement, in order (a burst of change events audits every record it applies). */
export async function recordAudits(q: Queryable, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  entries.forEach(checkEntry);
  // One JSON document rather than eight arrays: pg escapes every element of an array parameter.
  const rows = entries.map((e, n) => ({
    n,
    org_id: e.orgId,
    contact_id: e.contactId,
    record_id: e.recordId,
    origin: e.origin,
    action: e.action,
    rule: e.rule,
    before: e.before ?? null,
    after: e.after ?? null,
  }));
  await q.query(
    `INSERT INTO audit_log (org_id, contact_id, record_id, origin, action, rule, before, after)
     SELECT org_id, contact_id, record_id, origin, action, rule, before, after
     FROM json_to_recordset($1::json)
       AS e(n int, org_id text, contact_id uuid, record_id text, origin text, action text, rule text, before jsonb, after jsonb)
     ORDER BY n`,
    [JSON.stringify(rows)],
  );
}

/**
 * Salesforce deletes applied in the last `windowMinutes` (as the audit log records them: deletes, unlinks,
 * and exclusions that took a linked record's contact out of the directory): the mass-deletion guard's
 * window for change events.
 */
export async function countRecentSalesforceDeletes(
  q: Queryable,
  orgId: string,
  windowMinutes: number,
): Promise<number> {
  const { rows } = await q.query<{ n: string }>(
    `SELECT count(*) AS n FROM audit_log
      WHERE org_id = $1 AND origin = 'salesforce'
        AND (action IN ('delete', 'unlink') OR (action = 'excluded' AND before IS NOT NULL))
        AND at > now() - make_interval(mins => $2)`,
    [orgId, windowMinutes],
  );
  return Number(rows[0]?.n ?? 0);
}

export interface ListAuditOptions {
  contactId?: string;
  limit: number;
}

/** Newest first. An id that is no uuid has no entries. */
export async function listAudit(q: Queryable, options: ListAuditOptions): Promise<AuditRecord[]> {
  const limit = requirePositiveInteger('limit', options.limit, 1000);
  if (options.contactId !== undefined && !isUuid(options.contactId)) return [];
  const { rows } = await q.query<AuditDbRow>(
    `SELECT id, at, org_id, contact_id, record_id, origin, action, rule, before, after FROM audit_log
     WHERE ($1::uuid IS NULL OR contact_id = $1::uuid)
     ORDER BY at DESC, id DESC LIMIT $2`,
    [options.contactId ?? null, limit],
  );
  return rows.map(toRecord);
}

/**
 * Deletes of Salesforce records the write-back worker sent in the last `windowMinutes`, as the audit log
 * records them: the mass-deletion guard's window for directory deletes.
 */
export async function countRecentDeletesSentToSalesforce(
  q: Queryable,
  orgId: string,
  windowMinutes: number,
): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_log
      WHERE org_id = $1 AND origin = 'telephony' AND action = 'deleted-in-salesforce'
        AND at > now() - make_interval(mins => $2)`,
    [orgId, windowMinutes],
  );
  return rows[0]?.n ?? 0;
}

export interface AuditPageOptions {
  contactId?: string;
  orgId?: string;
  origin?: AuditOrigin;
  action?: string;
  /** Inclusive lower bound of `at`. */
  from?: Date;
  /** Exclusive upper bound of `at`. */
  to?: Date;
  limit: number;
  /** The page's start, as nextCursor of the page before. */
  cursor?: string;
}

export interface AuditPage {
  entries: AuditRecord[];
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
}

/** A page position: the last entry's `at` in microseconds since the epoch (exact, unlike ISO text) and its id. */
function encodeCursor(atMicros: string, id: string): string {
  return Buffer.from(`${atMicros}.${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { atMicros: string; id: string } {
  const match = /^(-?\d{1,19})\.(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || Buffer.from(match[0]).toString('base64url') !== cursor)
    throw new StoreInputError('cursor', 'is not a cursor this service gave out');
  return { atMicros: match[1], id: match[2] };
}

/** The audit log filtered, newest first, keyset-paged (index: audit_log_org_at_idx, audit_log_contact_at_idx). */
export async function auditPage(q: Queryable, options: AuditPageOptions): Promise<AuditPage> {
  const limit = requirePositiveInteger('limit', options.limit, 500);
  if (options.contactId !== undefined && !isUuid(options.contactId))
    throw new StoreInputError('contactId', `expects a contact id (uuid), got "${options.contactId}"`);
  const after = options.cursor === undefined ? null : decodeCursor(options.cursor);
  const { rows } = await q.query<AuditDbRow & { at_micros: string }>(
    `SELECT id, at, org_id, contact_id, record_id, origin, action, rule, before, after,
            ((extract(epoch FROM at) * 1000000)::numeric(20, 0))::text AS at_micros
       FROM audit_log
      WHERE ($1::uuid IS NULL OR contact_id = $1::uuid)
        AND ($2::text IS NULL OR org_id = $2)
        AND ($3::text IS NULL OR origin = $3)
        AND ($4::text IS NULL OR action = $4)
        AND ($5::timestamptz IS NULL OR at >= $5)
        AND ($6::timestamptz IS NULL OR at < $6)
        AND ($7::bigint IS NULL OR (at, id) < (timestamptz 'epoch' + $7::bigint * interval '1 microsecond', $8::bigint))
      ORDER BY at DESC, id DESC
      LIMIT $9`,
    [
      options.contactId ?? null,
      options.orgId ?? null,
      options.origin ?? null,
      options.action ?? null,
      options.from ?? null,
      options.to ?? null,
      after?.atMicros ?? null,
      after?.id ?? null,
      limit + 1,
    ],
  );
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    entries: page.map(toRecord),
    nextCursor: more && last ? encodeCursor(last.at_micros, String(last.id)) : null,
  };
}
