import type { Queryable } from '../types';

/** Whether an event was handled already (a redelivered command is skipped before it runs). */
export async function isEventProcessed(q: Queryable, orgId: string, eventId: string): Promise<boolean> {
  const { rows } = await q.query<{ one: number }>(
    'SELECT 1 AS one FROM processed_events WHERE org_id = $1 AND event_id = $2',
    [orgId, eventId],
  );
  return rows.length > 0;
}

/**
 * Records an event as handled; false when it already was (a redelivery), so the caller skips it.
 * Use inside the transaction that applies the event.
 */
export async function markEventProcessed(q: Queryable, orgId: string, eventId: string): Promise<boolean> {
  const { rowCount } = await q.query(
    'INSERT INTO processed_events (org_id, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [orgId, eventId],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * markEventProcessed for a batch of events in one statement: the ids marked now (the others were handled
 * already, or come twice in the batch: then the first counts).
 */
export async function markEventsProcessed(q: Queryable, orgId: string, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await q.query<{ event_id: string }>(
    `INSERT INTO processed_events (org_id, event_id) SELECT $1, unnest($2::text[])
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [orgId, eventIds],
  );
  return new Set(rows.map((r) => r.event_id));
}

/**
 * Events are redelivered for at most 72 hours; older markers only take space. At most `limit` go per call (a
 * first prune of a long-running install must not hold one huge transaction). Returns how many went.
 */
export async function pruneProcessedEvents(q: Queryable, olderThan: Date, limit = 10_000): Promise<number> {
  const { rowCount } = await q.query(
    `DELETE FROM processed_events WHERE (org_id, event_id) IN (
       SELECT org_id, event_id FROM processed_events WHERE processed_at < $1 LIMIT $2)`,
    [olderThan, limit],
  );
  return rowCount ?? 0;
}
