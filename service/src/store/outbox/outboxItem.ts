import { isBigintId, iso, StoreInputError } from '../values';

/**
 * What an outbox row is — one telephony-side change on its way to Salesforce — and how a row read from
 * the database becomes one. The queue (outboxQueue.ts), the admin views (outboxAdmin.ts) and the sync's
 * reshaping of unsent writes (outboxPending.ts) all speak in these shapes.
 */

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
  /** The call a Task create logs (migration 025); absent or null for record writes. */
  callId?: string | null;
}

/** One telephony-side change waiting to be written to Salesforce, with its delivery state. */
export interface OutboxItem extends NewOutboxItem {
  id: string;
  attempts: number;
  /** How often a worker has claimed it: above one, an earlier attempt may have reached Salesforce. */
  claims: number;
  /**
   * Fields Salesforce's value won while the row was claimed: a worker that claims it again sends the
   * payload without them (see trimPendingUpdates).
   */
  superseded: string[];
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

/** An outbox row as `pg` returns it. */
export interface OutboxDbRow {
  id: string;
  org_id: string;
  contact_id: string | null;
  link_id: string | null;
  sobject: string;
  record_id: string | null;
  operation: OutboxOperation;
  payload: Record<string, unknown> | null;
  payload_hash: string;
  call_id: string | null;
  state: OutboxState;
  attempts: number;
  claims: number;
  superseded: string[] | null;
  next_attempt_at: Date;
  lease_until: Date | null;
  last_error: string | null;
  last_error_code: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Every column of a row, for SELECT and RETURNING. */
export const OUTBOX_COLUMNS =
  'id, org_id, contact_id, link_id, sobject, record_id, operation, payload, payload_hash, call_id, state, attempts, claims, superseded, next_attempt_at, lease_until, last_error, last_error_code, created_at, updated_at';

/** The camelCase shape the store returns: ids as strings (int8 exceeds safe integers), times as ISO 8601. */
export function toOutboxItem(row: OutboxDbRow): OutboxItem {
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
    callId: row.call_id === null || row.call_id === undefined ? null : String(row.call_id),
    attempts: row.attempts,
    claims: row.claims,
    superseded: row.superseded ?? [],
    lastError: row.last_error,
    lastErrorCode: row.last_error_code,
    state: row.state,
    nextAttemptAt: iso(row.next_attempt_at),
    leaseUntil: iso(row.lease_until),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Oldest first: ids are bigserial decimal strings, compared as numbers. */
export function byOutboxId(a: OutboxItem, b: OutboxItem): number {
  const x = BigInt(a.id);
  const y = BigInt(b.id);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Postgres would reject a malformed id with a vaguer error: this one names the argument. */
export function checkOutboxId(field: string, id: string): void {
  if (!isBigintId(id)) throw new StoreInputError(field, `expects an outbox id, got "${String(id)}"`);
}

/** Every id of a batch is checked before the statement runs, so a bad one names its position. */
export function checkOutboxIds(ids: string[]): void {
  ids.forEach((id, i) => checkOutboxId(`ids[${i}]`, id));
}
