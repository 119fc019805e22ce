import type { Queryable } from '../types';

/**
 * Queued Salesforce deletes (outbox rows) and the mass-deletion guard: unapproved ones are judged before
 * they are sent, held ones ('held') wait for an admin, approved ones (approved_at) are never judged again.
 */

/** Queued Salesforce deletes of the org that no admin approved yet (pending or being sent). */
export async function countUnapprovedDeletes(q: Queryable, orgId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox
      WHERE org_id = $1 AND operation = 'delete' AND approved_at IS NULL AND state IN ('pending', 'processing')`,
    [orgId],
  );
  return rows[0]?.n ?? 0;
}

/** Holds every unapproved queued delete of the org (the mass-deletion guard tripped); returns their ids. */
export async function holdUnapprovedDeletes(q: Queryable, orgId: string, reason: string): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `UPDATE outbox SET state = 'held', held_reason = $2, lease_until = NULL, updated_at = now()
      WHERE org_id = $1 AND operation = 'delete' AND approved_at IS NULL AND state IN ('pending', 'processing')
      RETURNING id`,
    [orgId, reason],
  );
  return rows.map((r) => String(r.id));
}

/** Held deletes waiting for an admin, and the newest reason. */
export async function heldOutboxDeletes(
  q: Queryable,
  orgId: string,
): Promise<{ deletes: number; reason: string | null }> {
  const { rows } = await q.query<{ n: number; reason: string | null }>(
    `SELECT count(*)::int AS n,
            (SELECT held_reason FROM outbox WHERE org_id = $1 AND state = 'held' ORDER BY updated_at DESC, id DESC LIMIT 1) AS reason
       FROM outbox WHERE org_id = $1 AND state = 'held'`,
    [orgId],
  );
  return { deletes: rows[0]?.n ?? 0, reason: rows[0]?.reason ?? null };
}

/**
 * The admin's decision on held deletes: approved ones are queued again and never judged again; discarded
 * ones are removed (returned, for the audit log).
 */
export async function decideHeldOutboxDeletes(
  q: Queryable,
  orgId: string,
  approve: boolean,
): Promise<Array<{ recordId: string | null; sobject: string; contactId: string | null }>> {
  const { rows } = await q.query<{ record_id: string | null; sobject: string; contact_id: string | null }>(
    approve
      ? `UPDATE outbox SET state = 'pending', approved_at = now(), next_attempt_at = now(), updated_at = now()
          WHERE org_id = $1 AND state = 'held' RETURNING record_id, sobject, contact_id`
      : `DELETE FROM outbox WHERE org_id = $1 AND state = 'held' RETURNING record_id, sobject, contact_id`,
    [orgId],
  );
  return rows.map((r) => ({ recordId: r.record_id, sobject: r.sobject, contactId: r.contact_id }));
}
