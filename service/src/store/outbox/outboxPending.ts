import type { Queryable } from '../types';
import { isUuid, jsonParam } from '../values';
import { checkOutboxId, OUTBOX_COLUMNS, toOutboxItem, type OutboxDbRow, type OutboxItem } from './outboxItem';

/**
 * Writes the sync reads or reshapes before a worker claims them: a contact's waiting create takes newer
 * values or is withdrawn, updates lose fields Salesforce won, and in-flight payloads tell our own echo.
 */

/** Items for a contact not yet written (pending or processing), oldest first. */
export async function pendingOutboxForContact(q: Queryable, contactId: string): Promise<OutboxItem[]> {
  if (!isUuid(contactId)) return [];
  const { rows } = await q.query<OutboxDbRow>(
    `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE contact_id = $1 AND state IN ('pending', 'processing') ORDER BY id`,
    [contactId],
  );
  return rows.map(toOutboxItem);
}

/** The contact's create for one org that is waiting or being sent, if any (there is at most one). */
export async function activeCreateFor(q: Queryable, orgId: string, contactId: string): Promise<OutboxItem | null> {
  if (!isUuid(contactId)) return null;
  const { rows } = await q.query<OutboxDbRow>(
    `SELECT ${OUTBOX_COLUMNS} FROM outbox
     WHERE org_id = $1 AND contact_id = $2 AND operation = 'create' AND state IN ('pending', 'processing')`,
    [orgId, contactId],
  );
  return rows[0] ? toOutboxItem(rows[0]) : null;
}

/** A waiting create takes the contact's latest values; false when it is already being sent. */
export async function refreshPendingCreate(
  q: Queryable,
  id: string,
  payload: Record<string, unknown>,
  payloadHash: string,
): Promise<boolean> {
  checkOutboxId('id', id);
  const { rowCount } = await q.query(
    `UPDATE outbox SET payload = $2::jsonb, payload_hash = $3, updated_at = now()
     WHERE id = $1 AND operation = 'create' AND state = 'pending'`,
    [id, jsonParam(payload), payloadHash],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Withdraws creates not yet sent for a contact (it was deleted, or no longer qualifies), in one org or in
 * all. One being sent cannot be withdrawn: the worker deals with its outcome. Returns how many.
 */
export async function cancelPendingCreates(q: Queryable, contactId: string, orgId?: string): Promise<number> {
  if (!isUuid(contactId)) return 0;
  const { rowCount } = await q.query(
    `DELETE FROM outbox WHERE contact_id = $1 AND ($2::text IS NULL OR org_id = $2) AND operation = 'create' AND state = 'pending'`,
    [contactId, orgId ?? null],
  );
  return rowCount ?? 0;
}

/**
 * Of these records, those with an update waiting or being sent: the ones a change Salesforce won must
 * settle against (trimPendingUpdates). Read after the caller's write of their contacts, which waited for
 * any telephony edit of them in flight, so an update such an edit queued is seen.
 */
export async function recordsWithQueuedUpdates(q: Queryable, orgId: string, recordIds: string[]): Promise<Set<string>> {
  if (recordIds.length === 0) return new Set();
  const { rows } = await q.query<{ record_id: string }>(
    `SELECT DISTINCT record_id FROM outbox
     WHERE org_id = $1 AND record_id = ANY($2::text[]) AND operation = 'update' AND state IN ('pending', 'processing')`,
    [orgId, recordIds],
  );
  return new Set(rows.map((r) => r.record_id));
}

/** What trimPendingUpdates did: rows changed while waiting, and fields of rows already on their way. */
export interface TrimmedUpdates {
  trimmed: number;
  /**
   * Fields of updates a worker has claimed (maybe sent, maybe landing after Salesforce's edit): their rows
   * now carry them as superseded, and the caller queues Salesforce's value behind them, so the org ends
   * with the winner's value whichever write lands last.
   */
  inFlight: string[];
}

/**
 * Salesforce's value of `fields` now stands on one record (it won a conflict): queued updates must not
 * overwrite it later. Rows no worker has claimed lose those fields (a row left with nothing to send is
 * withdrawn; `rehash` computes payload_hash as the enqueuer did). Rows being sent keep their payload —
 * their own event must still be recognised as our echo — and mark the fields superseded, so a worker that
 * claims them again (their worker died, the call failed) leaves them out. Call in the transaction that
 * applies Salesforce's value.
 */
export async function trimPendingUpdates(
  q: Queryable,
  orgId: string,
  recordId: string,
  fields: string[],
  rehash: (payload: Record<string, unknown>) => string,
): Promise<TrimmedUpdates> {
  if (fields.length === 0) return { trimmed: 0, inFlight: [] };
  // The common case, nothing waiting, is one statement: the claimed rows are marked, and whether any row
  // waits is looked at in the same snapshot. A waiting row is then locked first and the claimed rows marked
  // again after (a worker may claim it meanwhile: its lock is waited for, and the marking sees the claim).
  const marked = await markClaimedSuperseded(q, orgId, recordId, fields, true);
  if (!marked.waiting) return { trimmed: 0, inFlight: marked.inFlight };
  const { rows: waiting } = await q.query<{ id: string; payload: Record<string, unknown> }>(
    `SELECT id, payload FROM outbox
     WHERE org_id = $1 AND record_id = $2 AND operation = 'update' AND state = 'pending' AND payload ?| $3::text[]
     ORDER BY id FOR UPDATE`,
    [orgId, recordId, fields],
  );
  for (const row of waiting) {
    const payload = Object.fromEntries(Object.entries(row.payload).filter(([field]) => !fields.includes(field)));
    if (Object.keys(payload).length === 0) await q.query('DELETE FROM outbox WHERE id = $1', [row.id]);
    else
      await q.query('UPDATE outbox SET payload = $2::jsonb, payload_hash = $3, updated_at = now() WHERE id = $1', [
        row.id,
        jsonParam(payload),
        rehash(payload),
      ]);
  }
  const again = await markClaimedSuperseded(q, orgId, recordId, fields, false);
  const inFlight = [...new Set([...marked.inFlight, ...again.inFlight])].sort();
  return { trimmed: waiting.length, inFlight };
}

/**
 * Rows of the record being sent that carry any of `fields` get them as superseded; returns the fields they
 * carry and (when asked) whether a row not yet claimed carries any, as one statement.
 */
async function markClaimedSuperseded(
  q: Queryable,
  orgId: string,
  recordId: string,
  fields: string[],
  askWaiting: boolean,
): Promise<{ inFlight: string[]; waiting: boolean }> {
  const { rows } = await q.query<{ hit: string[] | null; waiting: boolean }>(
    `WITH claimed AS (
       UPDATE outbox SET updated_at = now(),
         superseded = ARRAY(SELECT DISTINCT f FROM unnest(superseded || $3::text[]) f WHERE payload ? f ORDER BY f)
       WHERE org_id = $1 AND record_id = $2 AND operation = 'update' AND state = 'processing' AND payload ?| $3::text[]
       RETURNING ARRAY(SELECT f FROM unnest($3::text[]) f WHERE payload ? f) AS hit
     )
     SELECT hit, false AS waiting FROM claimed
     UNION ALL SELECT NULL, true WHERE $4::boolean AND EXISTS (SELECT 1 FROM outbox
       WHERE org_id = $1 AND record_id = $2 AND operation = 'update' AND state = 'pending' AND payload ?| $3::text[])`,
    [orgId, recordId, fields, askWaiting],
  );
  return {
    inFlight: [...new Set(rows.flatMap((r) => r.hit ?? []))].sort(),
    waiting: rows.some((r) => r.waiting),
  };
}
