import type { Queryable } from '../types';
import { isUuid, iso, requirePositiveInteger, StoreInputError } from '../values';

export type HealthSide = 'salesforce' | 'telephony';
export type HealthState = 'excluded' | 'failing';

/** Why one record or contact is not in sync in one org. No entry means it is in sync. */
export interface RecordHealth {
  orgId: string;
  side: HealthSide;
  /** The Salesforce record id (side salesforce) or the directory contact id (side telephony). */
  key: string;
  sobject: string | null;
  recordId: string | null;
  contactId: string | null;
  state: HealthState;
  /** Machine-readable: EXCLUDED_NO_PHONE, EXCLUDED_NO_FIRST_NAME, a Salesforce error code, … */
  code: string;
  reason: string;
  attempts: number;
  nextRetryAt: string | null;
  /**
   * When an admin set this failing entry's sync error record to Ignored in Salesforce: its retries
   * stopped, and the same error is not retried again. Null otherwise.
   */
  ignoredAt: string | null;
  since: string;
  updatedAt: string;
}

export type HealthInput = Pick<RecordHealth, 'orgId' | 'side' | 'key' | 'state' | 'code' | 'reason'> &
  Partial<Pick<RecordHealth, 'sobject' | 'recordId' | 'contactId' | 'attempts' | 'nextRetryAt'>>;

export interface HealthDbRow {
  org_id: string;
  side: HealthSide;
  key: string;
  sobject: string | null;
  record_id: string | null;
  contact_id: string | null;
  state: HealthState;
  code: string;
  reason: string;
  attempts: number;
  next_retry_at: Date | null;
  ignored_at: Date | null;
  since: Date;
  updated_at: Date;
}

export const HEALTH_COLUMNS =
  'org_id, side, key, sobject, record_id, contact_id, state, code, reason, attempts, next_retry_at, ignored_at, since, updated_at';

export function toHealth(row: HealthDbRow): RecordHealth {
  return {
    orgId: row.org_id,
    side: row.side,
    key: row.key,
    sobject: row.sobject,
    recordId: row.record_id,
    contactId: row.contact_id,
    state: row.state,
    code: row.code,
    reason: row.reason,
    attempts: row.attempts,
    nextRetryAt: iso(row.next_retry_at),
    ignoredAt: iso(row.ignored_at),
    since: iso(row.since),
    updatedAt: iso(row.updated_at),
  };
}

/**
 * Records (or refreshes) why a record is not in sync. `since` is kept while the state and code stay the
 * same, so "failing since" means the first failure, not the latest retry; so is an admin's Ignored.
 */
export async function setRecordHealth(q: Queryable, input: HealthInput): Promise<RecordHealth> {
  if (input.side !== 'salesforce' && input.side !== 'telephony') {
    throw new StoreInputError('side', `expects salesforce or telephony, got "${String(input.side)}"`, input.key);
  }
  if (input.state !== 'excluded' && input.state !== 'failing') {
    throw new StoreInputError('state', `expects excluded or failing, got "${String(input.state)}"`, input.key);
  }
  if (!input.key) throw new StoreInputError('key', 'is required (record id or contact id)');
  if (!input.code || !input.reason) throw new StoreInputError(input.code ? 'reason' : 'code', 'is required', input.key);
  if (input.contactId != null && !isUuid(input.contactId)) {
    throw new StoreInputError('contactId', `expects a contact id (uuid), got "${input.contactId}"`, input.key);
  }
  const { rows } = await q.query<HealthDbRow>(
    `INSERT INTO record_health (org_id, side, key, sobject, record_id, contact_id, state, code, reason, attempts, next_retry_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (org_id, side, key) DO UPDATE SET
       sobject = COALESCE(EXCLUDED.sobject, record_health.sobject),
       record_id = COALESCE(EXCLUDED.record_id, record_health.record_id),
       contact_id = COALESCE(EXCLUDED.contact_id, record_health.contact_id),
       since = CASE WHEN record_health.state = EXCLUDED.state AND record_health.code = EXCLUDED.code
                    THEN record_health.since ELSE now() END,
       ignored_at = CASE WHEN record_health.state = EXCLUDED.state AND record_health.code = EXCLUDED.code
                    THEN record_health.ignored_at END,
       state = EXCLUDED.state, code = EXCLUDED.code, reason = EXCLUDED.reason,
       attempts = EXCLUDED.attempts, next_retry_at = EXCLUDED.next_retry_at, updated_at = now()
     RETURNING ${HEALTH_COLUMNS}`,
    [
      input.orgId,
      input.side,
      input.key,
      input.sobject ?? null,
      input.recordId ?? null,
      input.contactId ?? null,
      input.state,
      input.code,
      input.reason,
      input.attempts ?? 0,
      input.nextRetryAt ?? null,
    ],
  );
  return toHealth(rows[0] as HealthDbRow);
}

/** The record is in sync again (re-evaluated and passed, or written). Returns whether an entry was removed. */
export async function clearRecordHealth(q: Queryable, orgId: string, side: HealthSide, key: string): Promise<boolean> {
  const { rowCount } = await q.query('DELETE FROM record_health WHERE org_id = $1 AND side = $2 AND key = $3', [
    orgId,
    side,
    key,
  ]);
  return (rowCount ?? 0) > 0;
}

/** Writes that went through: their 'failing' entries go; an exclusion (a different reason) stays. */
export async function clearFailingHealth(q: Queryable, orgId: string, side: HealthSide, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await q.query(
    `DELETE FROM record_health WHERE org_id = $1 AND side = $2 AND key = ANY($3::text[]) AND state = 'failing'`,
    [orgId, side, keys],
  );
}

/** A record passed the validity rules again: its exclusion goes; a 'failing' entry (a write-back's) stays. */
export async function clearExcludedHealth(
  q: Queryable,
  orgId: string,
  side: HealthSide,
  key: string,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `DELETE FROM record_health WHERE org_id = $1 AND side = $2 AND key = $3 AND state = 'excluded'`,
    [orgId, side, key],
  );
  return (rowCount ?? 0) > 0;
}

export async function getRecordHealth(
  q: Queryable,
  orgId: string,
  side: HealthSide,
  key: string,
): Promise<RecordHealth | null> {
  const { rows } = await q.query<HealthDbRow>(
    `SELECT ${HEALTH_COLUMNS} FROM record_health WHERE org_id = $1 AND side = $2 AND key = $3`,
    [orgId, side, key],
  );
  return rows[0] ? toHealth(rows[0]) : null;
}

/** Every entry about one directory contact, in every org (its own telephony entry and its linked records'). */
export async function healthOfContact(q: Queryable, contactId: string): Promise<RecordHealth[]> {
  if (!isUuid(contactId)) return [];
  const { rows } = await q.query<HealthDbRow>(
    `SELECT ${HEALTH_COLUMNS} FROM record_health WHERE contact_id = $1 OR (side = 'telephony' AND key = $1::text) ORDER BY org_id, side, key`,
    [contactId],
  );
  return rows.map(toHealth);
}

/** Newest first, for dashboards; `state` narrows to excluded or failing. */
export async function listRecordHealth(
  q: Queryable,
  orgId: string,
  options: { state?: HealthState; limit?: number } = {},
): Promise<RecordHealth[]> {
  const limit = requirePositiveInteger('limit', options.limit ?? 100, 10_000);
  const { rows } = await q.query<HealthDbRow>(
    `SELECT ${HEALTH_COLUMNS} FROM record_health WHERE org_id = $1 AND ($2::text IS NULL OR state = $2) ORDER BY updated_at DESC, key LIMIT $3`,
    [orgId, options.state ?? null, limit],
  );
  return rows.map(toHealth);
}

/** Entries per state; failing ones an admin ignored are counted apart (they no longer ask for attention). */
export type HealthCountsByState = Record<HealthState | 'ignored', number>;

export async function countRecordHealth(q: Queryable, orgId: string): Promise<HealthCountsByState> {
  const { rows } = await q.query<{ state: HealthState | 'ignored'; n: string }>(
    `SELECT CASE WHEN ignored_at IS NULL THEN state ELSE 'ignored' END AS state, count(*) AS n
       FROM record_health WHERE org_id = $1 GROUP BY 1`,
    [orgId],
  );
  const counts: HealthCountsByState = { excluded: 0, failing: 0, ignored: 0 };
  for (const row of rows) counts[row.state] = Number(row.n);
  return counts;
}

/**
 * An admin ignored these failing entries' errors: they are marked (retries stop) and returned; entries
 * no longer failing, or already marked, are left as they are.
 */
export async function markHealthIgnored(
  q: Queryable,
  orgId: string,
  entries: Array<{ side: HealthSide; key: string }>,
): Promise<RecordHealth[]> {
  if (entries.length === 0) return [];
  const { rows } = await q.query<HealthDbRow>(
    `UPDATE record_health h SET ignored_at = now(), next_retry_at = NULL, updated_at = now()
       FROM unnest($2::text[], $3::text[]) AS e(side, key)
      WHERE h.org_id = $1 AND h.side = e.side AND h.key = e.key AND h.state = 'failing' AND h.ignored_at IS NULL
      RETURNING ${HEALTH_COLUMNS.split(', ')
        .map((c) => `h.${c}`)
        .join(', ')}`,
    [orgId, entries.map((e) => e.side), entries.map((e) => e.key)],
  );
  return rows.map(toHealth);
}

/** The ones of `recordIds` with a health entry (excluded or failing) on the Salesforce side of the org. */
export async function recordIdsWithHealth(q: Queryable, orgId: string, recordIds: string[]): Promise<Set<string>> {
  if (recordIds.length === 0) return new Set();
  const { rows } = await q.query<{ key: string }>(
    `SELECT key FROM record_health WHERE org_id = $1 AND side = 'salesforce' AND key = ANY($2::text[])`,
    [orgId, recordIds],
  );
  return new Set(rows.map((r) => r.key));
}

/** A Salesforce record a bulk load found excluded by the validity rules. */
export interface NewBulkExclusion {
  sobject: string;
  recordId: string;
  code: string;
  reason: string;
}

/**
 * Records new exclusions of Salesforce records in one statement (the initial sync's set-based load). The
 * records have no health entry yet: the caller sends the others through the per-record rules.
 */
export async function insertExclusionsBulk(q: Queryable, orgId: string, exclusions: NewBulkExclusion[]): Promise<void> {
  if (exclusions.length === 0) return;
  await q.query(
    `INSERT INTO record_health (org_id, side, key, sobject, record_id, state, code, reason)
     SELECT $1, 'salesforce', record_id, sobject, record_id, 'excluded', code, reason
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(sobject, record_id, code, reason)`,
    [
      orgId,
      exclusions.map((e) => e.sobject),
      exclusions.map((e) => e.recordId),
      exclusions.map((e) => e.code),
      exclusions.map((e) => e.reason),
    ],
  );
}
