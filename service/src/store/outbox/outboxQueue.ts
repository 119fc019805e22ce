import type { Queryable } from '../types';
import { isBigintId, isUuid, jsonParam, requirePositiveInteger, StoreInputError } from '../values';
import {
  checkOutboxId,
  checkOutboxIds,
  OUTBOX_COLUMNS,
  OUTBOX_OPERATIONS,
  toOutboxItem,
  type NewOutboxItem,
  type OutboxDbRow,
  type OutboxError,
  type OutboxItem,
} from './outboxItem';

/**
 * The outbox as the write-back worker's queue: a change is enqueued with the directory change it mirrors,
 * claimed by one worker under a lease, then completed, retried later or parked as failed.
 */

function checkNewItem(item: NewOutboxItem): void {
  const record = item.recordId ?? item.contactId ?? undefined;
  if (!OUTBOX_OPERATIONS.includes(item.operation)) {
    throw new StoreInputError(
      'operation',
      `expects one of ${OUTBOX_OPERATIONS.join(', ')}, got "${String(item.operation)}"`,
      record,
    );
  }
  if (item.contactId !== null && !isUuid(item.contactId)) {
    throw new StoreInputError(
      'contactId',
      `expects a contact id (uuid) or null, got "${String(item.contactId)}"`,
      record,
    );
  }
  if (item.linkId !== null && !isBigintId(item.linkId)) {
    throw new StoreInputError('linkId', `expects a link id or null, got "${String(item.linkId)}"`, record);
  }
  if (item.operation !== 'create' && !item.recordId) {
    throw new StoreInputError('recordId', `is required for ${item.operation}`, item.contactId ?? undefined);
  }
  if (typeof item.payload !== 'object' || item.payload === null || Array.isArray(item.payload)) {
    throw new StoreInputError('payload', 'expects an object of Salesforce field values', record);
  }
}

/** Call in the same transaction as the directory change it mirrors. */
export async function enqueueOutbox(q: Queryable, item: NewOutboxItem): Promise<OutboxItem> {
  checkNewItem(item);
  const { rows } = await q.query<OutboxDbRow>(
    `INSERT INTO outbox (org_id, contact_id, link_id, sobject, record_id, operation, payload, payload_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) RETURNING ${OUTBOX_COLUMNS}`,
    [
      item.orgId,
      item.contactId,
      item.linkId,
      item.sobject,
      item.recordId,
      item.operation,
      jsonParam(item.payload),
      item.payloadHash,
    ],
  );
  return toOutboxItem(rows[0] as OutboxDbRow);
}

export async function completeOutbox(q: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  checkOutboxIds(ids);
  await q.query(
    `UPDATE outbox SET state = 'done', lease_until = NULL, last_error = NULL, last_error_code = NULL, updated_at = now()
     WHERE id = ANY($1::bigint[])`,
    [ids],
  );
}

/** A transient failure: back to pending, tried again from `nextAttemptAt`. */
export async function retryOutbox(q: Queryable, id: string, error: OutboxError, nextAttemptAt: Date): Promise<void> {
  checkOutboxId('id', id);
  await q.query(
    `UPDATE outbox SET state = 'pending', attempts = attempts + 1, last_error = $2, last_error_code = $3,
       next_attempt_at = $4, lease_until = NULL, updated_at = now()
     WHERE id = $1`,
    [id, error.message, error.code, nextAttemptAt],
  );
}

/** A permanent failure (e.g. a validation rule): parked as failed with its reason, never blocking the rest. */
export async function failOutbox(q: Queryable, id: string, error: OutboxError): Promise<void> {
  checkOutboxId('id', id);
  await q.query(
    `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = $2, last_error_code = $3,
       lease_until = NULL, updated_at = now()
     WHERE id = $1`,
    [id, error.message, error.code],
  );
}

/** How much is due for one org: enough for the worker to decide between waiting for a fuller batch and sending now. */
export interface OutboxBacklog {
  /** Due items, counted up to the cap the caller asked for. */
  due: number;
  /** How long the longest-waiting due item has been due, by the database clock; 0 when none is. */
  oldestWaitMs: number;
  /** How long ago the latest of the counted items became due: a quiet queue has stopped growing. */
  newestWaitMs: number;
  /** A crashed worker left items behind (processing, lease run out): take them now. */
  abandoned: boolean;
}

export async function outboxBacklog(q: Queryable, orgId: string, cap: number): Promise<OutboxBacklog> {
  const limit = requirePositiveInteger('cap', cap);
  const { rows } = await q.query<{
    due: number;
    oldest_wait_ms: number | null;
    newest_wait_ms: number | null;
    abandoned: boolean;
  }>(
    `SELECT count(*)::int AS due,
       (extract(epoch FROM now() - min(d.next_attempt_at)) * 1000)::float8 AS oldest_wait_ms,
       (extract(epoch FROM now() - max(d.next_attempt_at)) * 1000)::float8 AS newest_wait_ms,
       EXISTS (SELECT 1 FROM outbox a WHERE a.org_id = $1 AND a.state = 'processing' AND a.lease_until < now()) AS abandoned
     FROM (SELECT next_attempt_at FROM outbox
           WHERE org_id = $1 AND state = 'pending' AND next_attempt_at <= now()
           ORDER BY next_attempt_at LIMIT $2) d`,
    [orgId, limit],
  );
  const row = rows[0];
  return {
    due: row?.due ?? 0,
    oldestWaitMs: Number(row?.oldest_wait_ms ?? 0),
    newestWaitMs: Number(row?.newest_wait_ms ?? 0),
    abandoned: row?.abandoned ?? false,
  };
}

/** Claimed items that were not sent (write-back paused mid-batch) go back to the queue as they were. */
export async function releaseOutbox(q: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  checkOutboxIds(ids);
  await q.query(
    `UPDATE outbox SET state = 'pending', lease_until = NULL, updated_at = now()
     WHERE id = ANY($1::bigint[]) AND state = 'processing'`,
    [ids],
  );
}

/** Which of these rows are done (written): a settle whose commit's answer was lost asks before trying again. */
export async function doneOutboxIds(q: Queryable, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  checkOutboxIds(ids);
  const { rows } = await q.query<{ id: string }>(
    `SELECT id::text AS id FROM outbox WHERE id = ANY($1::bigint[]) AND state = 'done'`,
    [ids],
  );
  return new Set(rows.map((r) => r.id));
}

/** Keeps a claim alive through a long call (a Bulk API job), so no other worker sends the items again. */
export async function extendOutboxLease(q: Queryable, ids: string[], leaseMs: number): Promise<void> {
  if (ids.length === 0) return;
  checkOutboxIds(ids);
  await q.query(
    `UPDATE outbox SET lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
     WHERE id = ANY($1::bigint[]) AND state = 'processing'`,
    [ids, leaseMs],
  );
}
