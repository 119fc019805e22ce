import type { Queryable } from '../types';
import type { DeleteCandidate, SyncedObject } from '../../model/records';

/**
 * Salesforce deletes the mass-deletion guard (sync/rules/massDeleteGuard.ts) held for an admin: staged
 * here, they wait until an admin approves (resume) or discards them. The guard's rule lives with the
 * engine; this module only keeps the rows. Every function runs in the caller's transaction, so a held
 * run commits with the event or reconcile that found it.
 */

export interface HeldDelete extends DeleteCandidate {
  origin: 'event' | 'reconcile';
  reason: string;
}

/** Stages the deletes; a record already held for the org keeps its first entry. */
export async function holdDeletes(q: Queryable, orgId: string, held: HeldDelete[]): Promise<void> {
  if (held.length === 0) return;
  await q.query(
    `INSERT INTO held_deletes (org_id, record_id, sobject, cause, origin, reason)
     SELECT $1, h.record_id, h.sobject, h.cause, h.origin, h.reason
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS h(record_id, sobject, cause, origin, reason)
     ON CONFLICT (org_id, record_id) DO NOTHING`,
    [
      orgId,
      held.map((h) => h.recordId),
      held.map((h) => h.sobject),
      held.map((h) => h.cause),
      held.map((h) => h.origin),
      held.map((h) => h.reason),
    ],
  );
}

/** Which of these records already have a delete held for the org. */
export async function heldRecordIds(q: Queryable, orgId: string, recordIds: string[]): Promise<Set<string>> {
  if (recordIds.length === 0) return new Set();
  const { rows } = await q.query<{ record_id: string }>(
    'SELECT record_id FROM held_deletes WHERE org_id = $1 AND record_id = ANY($2::text[])',
    [orgId, recordIds],
  );
  return new Set(rows.map((r) => r.record_id));
}

/** How many deletes wait for the admin, and the newest reason; null when none. */
export async function heldSummary(q: Queryable, orgId: string): Promise<{ deletes: number; reason: string } | null> {
  const { rows } = await q.query<{ n: string; reason: string | null }>(
    `SELECT count(*) AS n, (SELECT reason FROM held_deletes WHERE org_id = $1 ORDER BY held_at DESC LIMIT 1) AS reason
       FROM held_deletes WHERE org_id = $1`,
    [orgId],
  );
  const n = Number(rows[0]?.n ?? 0);
  return n > 0 ? { deletes: n, reason: rows[0]?.reason ?? '' } : null;
}

/**
 * Removes and returns up to `limit` held deletes, oldest first. The caller applies or discards them in
 * the same transaction; rows another transaction took meanwhile are skipped, not waited for.
 */
export async function takeHeldDeletes(q: Queryable, orgId: string, limit: number): Promise<HeldDelete[]> {
  const { rows } = await q.query<{
    record_id: string;
    sobject: SyncedObject;
    cause: HeldDelete['cause'];
    origin: HeldDelete['origin'];
    reason: string;
  }>(
    `DELETE FROM held_deletes WHERE org_id = $1 AND record_id IN (
       SELECT record_id FROM held_deletes WHERE org_id = $1 ORDER BY held_at, record_id LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING record_id, sobject, cause, origin, reason`,
    [orgId, limit],
  );
  return rows.map((r) => ({
    recordId: r.record_id,
    sobject: r.sobject,
    cause: r.cause,
    origin: r.origin,
    reason: r.reason,
  }));
}
