import type { Queryable } from '../types';
import { isUuid, requirePositiveInteger } from '../values';
import {
  byOutboxId,
  checkOutboxIds,
  OUTBOX_COLUMNS,
  toOutboxItem,
  type OutboxDbRow,
  type OutboxItem,
  type OutboxState,
} from './outboxItem';

/**
 * The outbox as the dashboard and admins see it: counts and lists, and the actions that put rows back in
 * the queue, make them due now, park them or prune the written ones.
 */

export type OutboxStats = Record<OutboxState, number>;

/** Puts parked items back in the queue (an admin fixed the cause). Returns how many. */
export async function requeueFailedOutbox(q: Queryable, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  checkOutboxIds(ids);
  const { rowCount } = await q.query(
    `UPDATE outbox SET state = 'pending', next_attempt_at = now(), updated_at = now()
     WHERE id = ANY($1::bigint[]) AND state = 'failed'`,
    [ids],
  );
  return rowCount ?? 0;
}

export async function outboxStats(q: Queryable, orgId?: string): Promise<OutboxStats> {
  const { rows } = await q.query<{ state: OutboxState; n: number }>(
    'SELECT state, count(*)::int AS n FROM outbox WHERE ($1::text IS NULL OR org_id = $1) GROUP BY state',
    [orgId ?? null],
  );
  const stats: OutboxStats = { pending: 0, processing: 0, failed: 0, done: 0, held: 0 };
  for (const row of rows) stats[row.state] = row.n;
  return stats;
}

export interface ListOutboxOptions {
  orgId?: string;
  state?: OutboxState;
  limit: number;
}

/** Newest first, for the dashboard. */
export async function listOutbox(q: Queryable, options: ListOutboxOptions): Promise<OutboxItem[]> {
  const limit = requirePositiveInteger('limit', options.limit, 1000);
  const { rows } = await q.query<OutboxDbRow>(
    `SELECT ${OUTBOX_COLUMNS} FROM outbox
     WHERE ($1::text IS NULL OR org_id = $1) AND ($2::text IS NULL OR state = $2)
     ORDER BY id DESC LIMIT $3`,
    [options.orgId ?? null, options.state ?? null, limit],
  );
  return rows.map(toOutboxItem);
}

/**
 * Deletes written items older than `olderThan`, at most `limit` per call (a first prune of a long-running install
 * must not hold one huge transaction); returns how many. A call's Task row stays: it holds the Task's id, so that
 * a report of the call arriving later updates that Task instead of making a second one (store/calls.ts).
 */
export async function pruneOutbox(q: Queryable, olderThan: Date, limit = 10_000): Promise<number> {
  const { rowCount } = await q.query(
    `DELETE FROM outbox WHERE id IN (
       SELECT id FROM outbox WHERE state = 'done' AND call_id IS NULL AND updated_at < $1 LIMIT $2)`,
    [olderThan, limit],
  );
  return rowCount ?? 0;
}

/**
 * "Retry now" for these Salesforce records (the dashboard's Retry, the Flow's sync-now): their parked or
 * backing-off writes become due at once. Returns how many.
 */
export async function retryWritesNow(q: Queryable, orgId: string, recordIds: string[]): Promise<number> {
  if (recordIds.length === 0) return 0;
  const { rowCount } = await q.query(
    `UPDATE outbox SET state = 'pending', next_attempt_at = now(), lease_until = NULL, updated_at = now()
      WHERE org_id = $1 AND record_id = ANY($2::text[])
        AND (state = 'failed' OR (state = 'pending' AND next_attempt_at > now()))`,
    [orgId, recordIds],
  );
  return rowCount ?? 0;
}

/**
 * An admin ignored these records' errors: their writes waiting for another attempt are parked as failed
 * (with the error they last met) instead. A create is found by its directory contact, the rest by the
 * Salesforce record; a write never tried yet (a new edit) stays queued. Returns the parked rows.
 */
export async function parkRetries(
  q: Queryable,
  orgId: string,
  targets: { contactIds: string[]; recordIds: string[] },
): Promise<OutboxItem[]> {
  if (targets.contactIds.length === 0 && targets.recordIds.length === 0) return [];
  const { rows } = await q.query<OutboxDbRow>(
    `UPDATE outbox SET state = 'failed', lease_until = NULL, updated_at = now()
      WHERE org_id = $1 AND state = 'pending' AND attempts > 0
        AND ((operation = 'create' AND contact_id = ANY($2::uuid[])) OR (operation <> 'create' AND record_id = ANY($3::text[])))
      RETURNING ${OUTBOX_COLUMNS}`,
    [orgId, targets.contactIds.filter(isUuid), targets.recordIds],
  );
  return rows.map(toOutboxItem).sort(byOutboxId);
}
