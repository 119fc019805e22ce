import type { Database, Queryable } from './types';
import { isBigintId, isUuid, iso, jsonParam, requirePositiveInteger, StoreInputError } from './values';

export const OUTBOX_OPERATIONS = ['create', 'update', 'delete'] as const;
export type OutboxOperation = (typeof OUTBOX_OPERATIONS)[number];
export const OUTBOX_STATES = ['pending', 'processing', 'done', 'failed', 'held'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** What a caller enqueues: one telephony-side change to write to Salesforce. */
export interface NewOutboxItem {
  orgId: string;
  contactId: string | null;
  linkId: string | null;
  sobject: string;
  /** null for a create until Salesforce assigns the id. */
  recordId: string | null;
  operation: OutboxOperation;
  /** Salesforce field values to send. */
  payload: Record<string, unknown>;
  payloadHash: string;
}

/** One telephony-side change waiting to be written to Salesforce, with its delivery state. */
export interface OutboxItem extends NewOutboxItem {
  id: string;
  attempts: number;
  lastError: string | null;
  lastErrorCode: string | null;
  state: OutboxState;
  nextAttemptAt: string;
  leaseUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OutboxError {
  code: string;
  message: string;
}

export type OutboxStats = Record<OutboxState, number>;

interface OutboxDbRow {
  id: string;
  org_id: string;
  contact_id: string | null;
  link_id: string | null;
  sobject: string;
  record_id: string | null;
  operation: OutboxOperation;
  payload: Record<string, unknown> | null;
  payload_hash: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: Date;
  lease_until: Date | null;
  last_error: string | null;
  last_error_code: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, org_id, contact_id, link_id, sobject, record_id, operation, payload, payload_hash, state, attempts, next_attempt_at, lease_until, last_error, last_error_code, created_at, updated_at';

function toItem(row: OutboxDbRow): OutboxItem {
  return {
    id: String(row.id),
    orgId: row.org_id,
    contactId: row.contact_id,
    linkId: row.link_id === null ? null : String(row.link_id),
    sobject: row.sobject,
    recordId: row.record_id,
    operation: row.operation,
    payload: row.payload ?? {},
    payloadHash: row.payload_hash,
    attempts: row.attempts,
    lastError: row.last_error,
    lastErrorCode: row.last_error_code,
    state: row.state,
    nextAttemptAt: iso(row.next_attempt_at),
    leaseUntil: iso(row.lease_until),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function byId(a: OutboxItem, b: OutboxItem): number {
  const x = BigInt(a.id);
  const y = BigInt(b.id);
  return x < y ? -1 : x > y ? 1 : 0;
}

function checkId(field: string, id: string): void {
  if (!isBigintId(id)) throw new StoreInputError(field, `expects an outbox id, got "${String(id)}"`);
}

function checkNewItem(item: NewOutboxItem): void {
  const record = item.recordId ?? item.contactId ?? undefined;
  if (!OUTBOX_OPERATIONS.includes(item.operation)) {
    throw new StoreInputError('operation', `expects one of ${OUTBOX_OPERATIONS.join(', ')}, got "${String(item.operation)}"`, record);
  }
  if (item.contactId !== null && !isUuid(item.contactId)) {
    throw new StoreInputError('contactId', `expects a contact id (uuid) or null, got "${String(item.contactId)}"`, record);
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
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) RETURNING ${COLUMNS}`,
    [item.orgId, item.contactId, item.linkId, item.sobject, item.recordId, item.operation, jsonParam(item.payload), item.payloadHash],
  );
  return toItem(rows[0] as OutboxDbRow);
}

export interface ClaimOptions {
  orgId: string;
  limit: number;
  /** How long the claim holds; after that another worker may take the items (a crashed worker's leftovers). */
  leaseMs: number;
}

/**
 * Claims up to `limit` items, oldest first: pending ones that are due and processing ones whose lease ran
 * out. SKIP LOCKED lets several workers claim side by side without waiting or overlapping.
 *
 * Changes to one contact or record stay in order across workers: an item is held back while an older
 * item for the same contact or record is in flight elsewhere (processing under a live lease) or waiting
 * for a retry. Due items of one record are claimed together, oldest first, so a worker can coalesce them.
 */
export async function claimOutboxBatch(db: Database, opts: ClaimOptions): Promise<OutboxItem[]> {
  const limit = requirePositiveInteger('limit', opts.limit);
  if (!Number.isFinite(opts.leaseMs) || opts.leaseMs < 0) {
    throw new StoreInputError('leaseMs', `expects a non-negative number of milliseconds, got ${String(opts.leaseMs)}`);
  }
  const items = await db.transaction(async (tx) => {
    const { rows } = await tx.query<OutboxDbRow>(
      `UPDATE outbox o
       SET state = 'processing', lease_until = now() + $3 * interval '1 millisecond', updated_at = now()
       FROM (
         SELECT c.id FROM outbox c
         WHERE c.org_id = $1
           AND ((c.state = 'pending' AND c.next_attempt_at <= now())
             OR (c.state = 'processing' AND c.lease_until < now()))
           AND NOT EXISTS (
             SELECT 1 FROM outbox older
             WHERE older.org_id = c.org_id AND older.id < c.id
               AND ((older.state = 'processing' AND older.lease_until >= now())
                 OR (older.state = 'pending' AND older.next_attempt_at > now()))
               AND (older.contact_id = c.contact_id OR older.record_id = c.record_id))
         ORDER BY c.id
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       ) picked
       WHERE o.id = picked.id
       RETURNING ${COLUMNS.split(', ')
         .map((c) => `o.${c}`)
         .join(', ')}`,
      [opts.orgId, limit, opts.leaseMs],
    );
    return rows.map(toItem);
  });
  return items.sort(byId);
}

export async function completeOutbox(q: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  ids.forEach((id, i) => checkId(`ids[${i}]`, id));
  await q.query(
    `UPDATE outbox SET state = 'done', lease_until = NULL, last_error = NULL, last_error_code = NULL, updated_at = now()
     WHERE id = ANY($1::bigint[])`,
    [ids],
  );
}

/** A transient failure: back to pending, tried again from `nextAttemptAt`. */
export async function retryOutbox(q: Queryable, id: string, error: OutboxError, nextAttemptAt: Date): Promise<void> {
  checkId('id', id);
  await q.query(
    `UPDATE outbox SET state = 'pending', attempts = attempts + 1, last_error = $2, last_error_code = $3,
       next_attempt_at = $4, lease_until = NULL, updated_at = now()
     WHERE id = $1`,
    [id, error.message, error.code, nextAttemptAt],
  );
}

/** A permanent failure (e.g. a validation rule): parked as failed with its reason, never blocking the rest. */
export async function failOutbox(q: Queryable, id: string, error: OutboxError): Promise<void> {
  checkId('id', id);
  await q.query(
    `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = $2, last_error_code = $3,
       lease_until = NULL, updated_at = now()
     WHERE id = $1`,
    [id, error.message, error.code],
  );
}

/** Puts parked items back in the queue (an admin fixed the cause). Returns how many. */
export async function requeueFailedOutbox(q: Queryable, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  ids.forEach((id, i) => checkId(`ids[${i}]`, id));
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

/** Items for a contact not yet written (pending or processing), oldest first. */
export async function pendingOutboxForContact(q: Queryable, contactId: string): Promise<OutboxItem[]> {
  if (!isUuid(contactId)) return [];
  const { rows } = await q.query<OutboxDbRow>(
    `SELECT ${COLUMNS} FROM outbox WHERE contact_id = $1 AND state IN ('pending', 'processing') ORDER BY id`,
    [contactId],
  );
  return rows.map(toItem);
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
    `SELECT ${COLUMNS} FROM outbox
     WHERE ($1::text IS NULL OR org_id = $1) AND ($2::text IS NULL OR state = $2)
     ORDER BY id DESC LIMIT $3`,
    [options.orgId ?? null, options.state ?? null, limit],
  );
  return rows.map(toItem);
}

/** Deletes written items older than `olderThan`; returns how many. */
export async function pruneOutbox(q: Queryable, olderThan: Date): Promise<number> {
  const { rowCount } = await q.query("DELETE FROM outbox WHERE state = 'done' AND updated_at < $1", [olderThan]);
  return rowCount ?? 0;
}

/**
 * Payloads still on their way to one Salesforce record (pending or being sent), oldest first. An event
 * carrying exactly these values is the echo of our own write, even before the write-back has settled.
 */
export async function inflightPayloadsForRecord(q: Queryable, orgId: string, recordId: string): Promise<Array<Record<string, unknown>>> {
  const { rows } = await q.query<{ payload: Record<string, unknown> }>(
    `SELECT payload FROM outbox WHERE org_id = $1 AND record_id = $2 AND state IN ('pending', 'processing') ORDER BY id`,
    [orgId, recordId],
  );
  return rows.map((r) => r.payload);
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
  const { rows } = await q.query<{ due: number; oldest_wait_ms: number | null; newest_wait_ms: number | null; abandoned: boolean }>(
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
  ids.forEach((id, i) => checkId(`ids[${i}]`, id));
  await q.query(
    `UPDATE outbox SET state = 'pending', lease_until = NULL, updated_at = now()
     WHERE id = ANY($1::bigint[]) AND state = 'processing'`,
    [ids],
  );
}

/** Keeps a claim alive through a long call (a Bulk API job), so no other worker sends the items again. */
export async function extendOutboxLease(q: Queryable, ids: string[], leaseMs: number): Promise<void> {
  if (ids.length === 0) return;
  ids.forEach((id, i) => checkId(`ids[${i}]`, id));
  await q.query(
    `UPDATE outbox SET lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
     WHERE id = ANY($1::bigint[]) AND state = 'processing'`,
    [ids, leaseMs],
  );
}

/** The contact's create for one org that is waiting or being sent, if any (there is at most one). */
export async function activeCreateFor(q: Queryable, orgId: string, contactId: string): Promise<OutboxItem | null> {
  if (!isUuid(contactId)) return null;
  const { rows } = await q.query<OutboxDbRow>(
    `SELECT ${COLUMNS} FROM outbox
     WHERE org_id = $1 AND contact_id = $2 AND operation = 'create' AND state IN ('pending', 'processing')`,
    [orgId, contactId],
  );
  return rows[0] ? toItem(rows[0]) : null;
}

/** A waiting create takes the contact's latest values; false when it is already being sent. */
export async function refreshPendingCreate(q: Queryable, id: string, payload: Record<string, unknown>, payloadHash: string): Promise<boolean> {
  checkId('id', id);
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
 * Drops fields from one record's queued updates that no worker has claimed yet, because Salesforce's value
 * now stands (it won a conflict): they must not overwrite it later. A row left with nothing to send is
 * withdrawn. `rehash` computes payload_hash as the enqueuer did. One being sent cannot be trimmed. Call in
 * the transaction that applies Salesforce's value. Returns how many rows changed.
 */
export async function trimPendingUpdates(
  q: Queryable,
  orgId: string,
  recordId: string,
  fields: string[],
  rehash: (payload: Record<string, unknown>) => string,
): Promise<number> {
  if (fields.length === 0) return 0;
  const { rows } = await q.query<{ id: string; payload: Record<string, unknown> }>(
    `SELECT id, payload FROM outbox
     WHERE org_id = $1 AND record_id = $2 AND operation = 'update' AND state = 'pending' AND payload ?| $3::text[]
     ORDER BY id FOR UPDATE`,
    [orgId, recordId, fields],
  );
  for (const row of rows) {
    const payload = Object.fromEntries(Object.entries(row.payload).filter(([field]) => !fields.includes(field)));
    if (Object.keys(payload).length === 0) await q.query('DELETE FROM outbox WHERE id = $1', [row.id]);
    else await q.query('UPDATE outbox SET payload = $2::jsonb, payload_hash = $3, updated_at = now() WHERE id = $1', [row.id, jsonParam(payload), rehash(payload)]);
  }
  return rows.length;
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
export async function parkRetries(q: Queryable, orgId: string, targets: { contactIds: string[]; recordIds: string[] }): Promise<OutboxItem[]> {
  if (targets.contactIds.length === 0 && targets.recordIds.length === 0) return [];
  const { rows } = await q.query<OutboxDbRow>(
    `UPDATE outbox SET state = 'failed', lease_until = NULL, updated_at = now()
      WHERE org_id = $1 AND state = 'pending' AND attempts > 0
        AND ((operation = 'create' AND contact_id = ANY($2::uuid[])) OR (operation <> 'create' AND record_id = ANY($3::text[])))
      RETURNING ${COLUMNS}`,
    [orgId, targets.contactIds.filter(isUuid), targets.recordIds],
  );
  return rows.map(toItem).sort(byId);
}
