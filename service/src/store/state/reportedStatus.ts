import type { Queryable } from '../types';
import { HEALTH_COLUMNS, toHealth, type HealthDbRow, type HealthSide, type RecordHealth } from './recordHealth';
import type { RecordStatus, RecordSyncState } from '../../model/recordStatus';

export type { RecordStatus, RecordSyncState } from '../../model/recordStatus';

/**
 * What the status reporter has told an org (migration 008): the sync error records and the record status
 * fields it wrote, so that each flush finds only what changed since, with one query each.
 */

/** A health entry whose sync error record is missing, outdated, or belongs to another sync. */
export interface PendingError {
  health: RecordHealth;
  /** The Error_Key__c sent before, or null when this entry was never sent. */
  sentKey: string | null;
  sentHash: string | null;
}

/** Health entries of the org not yet (or no longer) mirrored as they are, oldest change first. */
export async function pendingErrors(
  q: Queryable,
  orgId: string,
  syncId: string,
  limit: number,
): Promise<PendingError[]> {
  const { rows } = await q.query<HealthDbRow & { sent_key: string | null; sent_hash: string | null }>(
    `SELECT h.*, s.error_key AS sent_key, s.sent_hash
       FROM (SELECT ${HEALTH_COLUMNS} FROM record_health WHERE org_id = $1) h
       LEFT JOIN sync_errors_sent s ON s.org_id = h.org_id AND s.side = h.side AND s.key = h.key
      -- The mark holds what the service read: a JavaScript date, to the millisecond. Compared with the
      -- microseconds, every entry stayed pending, and each flush marked 2,000 of them again.
      WHERE s.key IS NULL OR s.sync_id <> $2 OR date_trunc('milliseconds', h.updated_at) > s.health_updated_at
      ORDER BY h.updated_at, h.key
      LIMIT $3`,
    [orgId, syncId, limit],
  );
  return rows.map((row) => ({ health: toHealth(row), sentKey: row.sent_key, sentHash: row.sent_hash }));
}

export interface SentError {
  side: HealthSide;
  key: string;
  errorKey: string;
}

/** Error records sent for health entries that have since cleared: they are to be resolved. */
export async function clearedErrors(q: Queryable, orgId: string, limit: number): Promise<SentError[]> {
  const { rows } = await q.query<{ side: HealthSide; key: string; error_key: string }>(
    `SELECT s.side, s.key, s.error_key FROM sync_errors_sent s
      WHERE s.org_id = $1
        AND NOT EXISTS (SELECT 1 FROM record_health h WHERE h.org_id = s.org_id AND h.side = s.side AND h.key = s.key)
      ORDER BY s.sent_at, s.key
      LIMIT $2`,
    [orgId, limit],
  );
  return rows.map((r) => ({ side: r.side, key: r.key, errorKey: r.error_key }));
}

/**
 * Failing entries not yet ignored whose error record this sync holds: the ones an admin may have set to
 * Ignored since. Empty when nothing is failing, so the check costs no API call then.
 */
export async function ignorableErrors(q: Queryable, orgId: string, syncId: string): Promise<SentError[]> {
  const { rows } = await q.query<{ side: HealthSide; key: string; error_key: string }>(
    `SELECT s.side, s.key, s.error_key FROM record_health h
       JOIN sync_errors_sent s ON s.org_id = h.org_id AND s.side = h.side AND s.key = h.key
      WHERE h.org_id = $1 AND h.state = 'failing' AND h.ignored_at IS NULL AND s.sync_id = $2`,
    [orgId, syncId],
  );
  return rows.map((r) => ({ side: r.side, key: r.key, errorKey: r.error_key }));
}

/** What was sent for one health entry: its Error_Key__c, under which sync, with which content. */
export interface SentErrorMark {
  side: HealthSide;
  key: string;
  errorKey: string;
  syncId: string;
  hash: string;
  healthUpdatedAt: string;
}

/** Records what a flush sent, in one statement (a flush after the initial sync sends thousands). */
export async function markErrorsSent(q: Queryable, orgId: string, marks: SentErrorMark[]): Promise<void> {
  if (marks.length === 0) return;
  await q.query(
    `INSERT INTO sync_errors_sent (org_id, side, key, error_key, sync_id, sent_hash, health_updated_at)
     SELECT $1, side, key, error_key, sync_id, sent_hash, health_updated_at
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
         AS m(side, key, error_key, sync_id, sent_hash, health_updated_at)
     ON CONFLICT (org_id, side, key) DO UPDATE SET error_key = EXCLUDED.error_key, sync_id = EXCLUDED.sync_id,
       sent_hash = EXCLUDED.sent_hash, health_updated_at = EXCLUDED.health_updated_at, sent_at = now()`,
    [
      orgId,
      marks.map((m) => m.side),
      marks.map((m) => m.key),
      marks.map((m) => m.errorKey),
      marks.map((m) => m.syncId),
      marks.map((m) => m.hash),
      marks.map((m) => m.healthUpdatedAt),
    ],
  );
}

/** These errors were resolved in the org (or their health entries came back under other keys). */
export async function forgetSentErrors(
  q: Queryable,
  orgId: string,
  entries: Array<{ side: HealthSide; key: string }>,
): Promise<void> {
  if (entries.length === 0) return;
  await q.query(
    `DELETE FROM sync_errors_sent s USING unnest($2::text[], $3::text[]) AS e(side, key)
      WHERE s.org_id = $1 AND s.side = e.side AND s.key = e.key`,
    [orgId, entries.map((e) => e.side), entries.map((e) => e.key)],
  );
}

/**
 * Records whose status fields differ from what was last written: linked records (Failing when their own
 * entry or their contact's write-back fails, Excluded when a rule keeps them out, In sync otherwise),
 * excluded or failing records without a link, and records written before that lost their link and
 * entry (Not synced).
 */
export async function pendingRecordStatuses(q: Queryable, orgId: string, limit: number): Promise<RecordStatus[]> {
  const { rows } = await q.query<{
    record_id: string;
    sobject: string;
    state: RecordSyncState;
    directory_id: string | null;
    note: string | null;
    synced_at: Date | null;
  }>(
    `WITH desired AS (
       SELECT l.record_id, l.sobject,
              CASE WHEN 'failing' IN (hs.state, ht.state) THEN 'Failing'
                   WHEN 'excluded' IN (hs.state, ht.state) THEN 'Excluded'
                   ELSE 'InSync' END AS state,
              l.contact_id::text AS directory_id,
              CASE WHEN hs.state = 'failing' OR ht.state IS NULL THEN hs.reason ELSE ht.reason END AS note,
              l.updated_at AS synced_at
         FROM links l
         LEFT JOIN record_health hs ON hs.org_id = l.org_id AND hs.side = 'salesforce' AND hs.key = l.record_id
         LEFT JOIN record_health ht ON ht.org_id = l.org_id AND ht.side = 'telephony' AND ht.key = l.contact_id::text
        WHERE l.org_id = $1
       UNION ALL
       SELECT h.key, h.sobject, CASE WHEN h.state = 'failing' THEN 'Failing' ELSE 'Excluded' END, NULL, h.reason, NULL
         FROM record_health h
        WHERE h.org_id = $1 AND h.side = 'salesforce' AND h.sobject IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM links l WHERE l.org_id = h.org_id AND l.record_id = h.key)
       UNION ALL
       SELECT s.record_id, s.sobject, 'NotSynced', NULL, NULL, NULL
         FROM record_status_sent s
        WHERE s.org_id = $1
          AND NOT EXISTS (SELECT 1 FROM links l WHERE l.org_id = s.org_id AND l.record_id = s.record_id)
          AND NOT EXISTS (SELECT 1 FROM record_health h WHERE h.org_id = s.org_id AND h.side = 'salesforce' AND h.key = s.record_id)
     )
     SELECT d.* FROM desired d
       LEFT JOIN record_status_sent s ON s.org_id = $1 AND s.record_id = d.record_id
      WHERE s.record_id IS NULL AND d.state <> 'NotSynced'
         OR s.record_id IS NOT NULL AND (s.state <> d.state OR s.directory_id IS DISTINCT FROM d.directory_id OR s.note IS DISTINCT FROM d.note)
      LIMIT $2`,
    [orgId, limit],
  );
  return rows.map((r) => ({
    recordId: r.record_id,
    sobject: r.sobject,
    state: r.state,
    directoryId: r.directory_id,
    note: r.note,
    syncedAt: r.synced_at ? r.synced_at.toISOString() : null,
  }));
}

/** Records what the records' status fields now say, in two statements; a record back to Not synced needs no entry. */
export async function markRecordStatusesSent(q: Queryable, orgId: string, statuses: RecordStatus[]): Promise<void> {
  const gone = statuses.filter((s) => s.state === 'NotSynced').map((s) => s.recordId);
  if (gone.length > 0)
    await q.query('DELETE FROM record_status_sent WHERE org_id = $1 AND record_id = ANY($2::text[])', [orgId, gone]);
  // One row per record: the last status given for it wins, as it would have one by one.
  const latest = new Map<string, RecordStatus>();
  for (const status of statuses) if (status.state !== 'NotSynced') latest.set(status.recordId, status);
  const rows = [...latest.values()];
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO record_status_sent (org_id, record_id, sobject, state, directory_id, note)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
     ON CONFLICT (org_id, record_id) DO UPDATE SET sobject = EXCLUDED.sobject, state = EXCLUDED.state,
       directory_id = EXCLUDED.directory_id, note = EXCLUDED.note, sent_at = now()`,
    [
      orgId,
      rows.map((r) => r.recordId),
      rows.map((r) => r.sobject),
      rows.map((r) => r.state),
      rows.map((r) => r.directoryId),
      rows.map((r) => r.note),
    ],
  );
}

/** Linked records, and linked records with no excluded or failing entry, for the status counters. */
export async function syncCounts(q: Queryable, orgId: string): Promise<{ linked: number; inSync: number }> {
  const { rows } = await q.query<{ linked: string; in_sync: string }>(
    `SELECT count(*) AS linked,
            count(*) FILTER (WHERE hs.key IS NULL AND ht.key IS NULL) AS in_sync
       FROM links l
       LEFT JOIN record_health hs ON hs.org_id = l.org_id AND hs.side = 'salesforce' AND hs.key = l.record_id
       LEFT JOIN record_health ht ON ht.org_id = l.org_id AND ht.side = 'telephony' AND ht.key = l.contact_id::text
      WHERE l.org_id = $1`,
    [orgId],
  );
  return { linked: Number(rows[0]?.linked ?? 0), inSync: Number(rows[0]?.in_sync ?? 0) };
}
