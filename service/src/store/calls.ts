import type { Queryable } from './types';
import { iso } from './values';
import type { CallDirection, CallDisposition, MergedCall } from '../model/calls';
import { ADVISORY_LOCKS } from './advisoryLocks';

/**
 * The calls table (migration 024) and the refused reports beside it.
 *
 * Contract: `lockCallId` then `callByCallId` then `saveCall`, in one transaction, is how a report is applied —
 * the lock makes two reports of one call (two legs at once) wait for each other instead of both inserting.
 * Lists are newest first with a keyset cursor (started_at, id), so a page never repeats or skips a call that
 * arrives while someone pages.
 */

/** The advisory lock namespace of call ids ("SWB7"). */
const CALL_ID_NAMESPACE = ADVISORY_LOCKS.callId;

/** How many refused reports are kept (the newest); older ones go as new ones come. */
export const KEPT_REJECTS = 1000;

/** A record of an org the call was matched to. */
export interface CallRecordMatch {
  orgId: string;
  sobject: string;
  recordId: string;
  /** The org's user whose extension took the call (the Task's owner), when one is known. */
  ownerId: string | null;
}

export interface StoredCall extends MergedCall {
  id: string;
  source: string;
  otherE164: string | null;
  contactId: string | null;
  matched: CallRecordMatch[];
  /** The Task logging the call, by org id, once Salesforce has made it. */
  tasks: Record<string, string>;
  receivedAt: string;
  updatedAt: string;
}

interface CallRow {
  id: string;
  call_id: string;
  source: string;
  direction: CallDirection;
  from_number: string;
  to_number: string;
  other_e164: string | null;
  extension: string | null;
  started_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  disposition: CallDisposition;
  recording_url: string | null;
  leg_ids: string[];
  contact_id: string | null;
  matched: CallRecordMatch[];
  tasks: Record<string, string> | null;
  received_at: Date;
  updated_at: Date;
}

const COLUMNS = `id::text, call_id, source, direction, from_number, to_number, other_e164, extension, started_at,
  answered_at, ended_at, disposition, recording_url, leg_ids, contact_id::text, matched, tasks, received_at, updated_at`;

function toCall(row: CallRow): StoredCall {
  return {
    id: row.id,
    callId: row.call_id,
    source: row.source,
    direction: row.direction,
    from: row.from_number,
    to: row.to_number,
    otherE164: row.other_e164,
    extension: row.extension,
    startedAt: new Date(row.started_at),
    answeredAt: row.answered_at ? new Date(row.answered_at) : null,
    endedAt: row.ended_at ? new Date(row.ended_at) : null,
    disposition: row.disposition,
    recordingUrl: row.recording_url,
    legIds: row.leg_ids,
    contactId: row.contact_id,
    matched: row.matched,
    tasks: row.tasks ?? {},
    receivedAt: iso(row.received_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Holds the call id until the transaction ends: reports of one call are applied one after the other. */
export async function lockCallId(tx: Queryable, callId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [CALL_ID_NAMESPACE, callId]);
}

export async function callByCallId(q: Queryable, callId: string): Promise<StoredCall | null> {
  const { rows } = await q.query<CallRow>(`SELECT ${COLUMNS} FROM calls WHERE call_id = $1`, [callId]);
  return rows[0] ? toCall(rows[0]) : null;
}

export async function callById(q: Queryable, id: string): Promise<StoredCall | null> {
  const { rows } = await q.query<CallRow>(`SELECT ${COLUMNS} FROM calls WHERE id = $1::uuid`, [id]);
  return rows[0] ? toCall(rows[0]) : null;
}

export interface CallToSave {
  call: MergedCall;
  source: string;
  otherE164: string | null;
  contactId: string | null;
  matched: CallRecordMatch[];
}

/** Inserts the call or replaces what a report changed; returns its id. */
export async function saveCall(
  tx: Queryable,
  { call, source, otherE164, contactId, matched }: CallToSave,
): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO calls (call_id, source, direction, from_number, to_number, other_e164, extension, started_at,
                        answered_at, ended_at, disposition, recording_url, leg_ids, contact_id, matched)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text[], $14::uuid, $15::jsonb)
     ON CONFLICT (call_id) DO UPDATE SET
       extension = EXCLUDED.extension, started_at = EXCLUDED.started_at, answered_at = EXCLUDED.answered_at,
       ended_at = EXCLUDED.ended_at, disposition = EXCLUDED.disposition, recording_url = EXCLUDED.recording_url,
       leg_ids = EXCLUDED.leg_ids, other_e164 = EXCLUDED.other_e164, contact_id = EXCLUDED.contact_id,
       matched = EXCLUDED.matched, updated_at = now()
     RETURNING id::text`,
    [
      call.callId,
      source,
      call.direction,
      call.from,
      call.to,
      otherE164,
      call.extension,
      call.startedAt,
      call.answeredAt,
      call.endedAt,
      call.disposition,
      call.recordingUrl,
      call.legIds,
      contactId,
      JSON.stringify(matched),
    ],
  );
  return rows[0].id;
}

/** Keeps a refused report for inspection (the newest KEPT_REJECTS are kept). */
export async function saveCallReject(
  q: Queryable,
  reject: { source: string; field: string; message: string; report: unknown },
): Promise<void> {
  await q.query(
    `WITH added AS (
       INSERT INTO call_rejects (source, field, message, report) VALUES ($1, $2, $3, $4::jsonb) RETURNING id
     )
     DELETE FROM call_rejects WHERE id <= (SELECT id FROM added) - $5::bigint`,
    [reject.source, reject.field, reject.message, JSON.stringify(reject.report ?? null), KEPT_REJECTS],
  );
}

export interface CallReject {
  id: string;
  at: string;
  source: string;
  field: string;
  message: string;
  report: unknown;
}

/** The newest refused reports first. */
export async function listCallRejects(q: Queryable, limit: number): Promise<CallReject[]> {
  const { rows } = await q.query<{
    id: string;
    at: Date;
    source: string;
    field: string;
    message: string;
    report: unknown;
  }>(`SELECT id::text, at, source, field, message, report FROM call_rejects ORDER BY id DESC LIMIT $1`, [limit]);
  return rows.map((r) => ({ ...r, at: iso(r.at) }));
}

export interface CallFilter {
  contactId?: string;
  direction?: CallDirection;
  disposition?: CallDisposition;
  /** The other party's E.164 number. */
  number?: string;
  from?: Date;
  to?: Date;
}

/** A page of calls, newest first, after the cursor (the last call of the previous page). */
export async function listCalls(
  q: Queryable,
  filter: CallFilter,
  after: { startedAt: Date; id: string } | null,
  limit: number,
): Promise<StoredCall[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.contactId) where.push(`contact_id = ${param(filter.contactId)}::uuid`);
  if (filter.direction) where.push(`direction = ${param(filter.direction)}`);
  if (filter.disposition) where.push(`disposition = ${param(filter.disposition)}`);
  if (filter.number) where.push(`other_e164 = ${param(filter.number)}`);
  if (filter.from) where.push(`started_at >= ${param(filter.from)}`);
  if (filter.to) where.push(`started_at < ${param(filter.to)}`);
  if (after) where.push(`(started_at, id) < (${param(after.startedAt)}, ${param(after.id)}::uuid)`);
  const { rows } = await q.query<CallRow>(
    `SELECT ${COLUMNS} FROM calls ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY started_at DESC, id DESC LIMIT ${param(limit)}`,
    params,
  );
  return rows.map(toCall);
}

/**
 * Queues the Task that logs a call in an org (an outbox create of sobject Task carrying the call, migration
 * 025) — at most one per org and call, whatever comes. A later report that changes the call (another leg, a
 * fuller retry) gives a still unsent row the latest values; once Salesforce made the Task (its id is with the
 * call), the same row becomes an update of that Task with them, less TaskSubtype (set on create only). A row
 * being sent takes the values but stays claimed: the settle sends them after it (settleCallTaskRow). A row
 * parked as failed is left alone. True when a row holds these values now.
 */
export async function queueCallTask(
  tx: Queryable,
  task: { orgId: string; callId: string; payload: Record<string, unknown>; payloadHash: string },
): Promise<boolean> {
  // The Task's id is on the row once made (settleCallTaskRow): read from the row itself, which ON CONFLICT sees
  // as last committed — a settle committing meanwhile included — where another table would be read as of this
  // statement's start.
  const toUpdate = `(outbox.state = 'done' AND outbox.record_id IS NOT NULL)`;
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO outbox (org_id, contact_id, link_id, sobject, record_id, operation, payload, payload_hash, call_id)
     VALUES ($1, NULL, NULL, 'Task', NULL, 'create', $2::jsonb, $3, $4::uuid)
     ON CONFLICT (org_id, call_id) WHERE call_id IS NOT NULL
     DO UPDATE SET
       operation = CASE WHEN ${toUpdate} THEN 'update' ELSE outbox.operation END,
       payload = CASE WHEN ${toUpdate} OR outbox.operation = 'update' THEN EXCLUDED.payload - 'TaskSubtype'
         ELSE EXCLUDED.payload END,
       payload_hash = EXCLUDED.payload_hash,
       state = CASE WHEN outbox.state = 'processing' THEN 'processing' ELSE 'pending' END,
       attempts = CASE WHEN ${toUpdate} THEN 0 ELSE outbox.attempts END,
       claims = CASE WHEN ${toUpdate} THEN 0 ELSE outbox.claims END,
       next_attempt_at = CASE WHEN ${toUpdate} THEN now() ELSE outbox.next_attempt_at END,
       updated_at = now()
     WHERE outbox.payload_hash <> EXCLUDED.payload_hash AND (outbox.state IN ('pending', 'processing') OR ${toUpdate})
     RETURNING id::text`,
    [task.orgId, JSON.stringify(task.payload), task.payloadHash, task.callId],
  );
  return rows.length > 0;
}

/**
 * A call's Task went through (created or updated, `taskId`) with the values whose hash was `sentHash`: the row
 * keeps the Task's id (so a later report updates that Task, queueCallTask). When a later report gave the row
 * other values meanwhile, it goes back to the queue as an update of the Task with them, and true is returned:
 * the caller must not complete it. False: the Task is up to date. The row stays locked until the caller's
 * transaction ends, so a report arriving meanwhile waits and then sees the Task's id.
 */
export async function settleCallTaskRow(
  tx: Queryable,
  outboxId: string,
  sentHash: string,
  taskId: string,
): Promise<boolean> {
  const changed = `payload_hash <> $2`;
  const { rows } = await tx.query<{ changed: boolean }>(
    `UPDATE outbox SET record_id = $3,
       operation = CASE WHEN ${changed} THEN 'update' ELSE operation END,
       payload = CASE WHEN ${changed} THEN payload - 'TaskSubtype' ELSE payload END,
       state = CASE WHEN ${changed} THEN 'pending' ELSE state END,
       attempts = CASE WHEN ${changed} THEN 0 ELSE attempts END,
       claims = CASE WHEN ${changed} THEN 0 ELSE claims END,
       next_attempt_at = CASE WHEN ${changed} THEN now() ELSE next_attempt_at END,
       lease_until = CASE WHEN ${changed} THEN NULL ELSE lease_until END,
       updated_at = now()
     WHERE id = $1::bigint
     RETURNING ${changed} AS changed`,
    [outboxId, sentHash, taskId],
  );
  return rows[0]?.changed === true;
}

/** A call's Task goes back to the queue at once without its owner (a deactivated user): the org's default owner. */
export async function dropCallTaskOwner(tx: Queryable, outboxId: string): Promise<void> {
  await tx.query(
    `UPDATE outbox SET payload = payload - 'OwnerId', state = 'pending', next_attempt_at = now(), lease_until = NULL,
       updated_at = now()
     WHERE id = $1::bigint`,
    [outboxId],
  );
}

/** Salesforce made the call's Task in the org: its id goes with the call (in the settle's transaction). */
export async function recordCallTask(tx: Queryable, callId: string, orgId: string, taskId: string): Promise<void> {
  await tx.query(
    `UPDATE calls SET tasks = tasks || jsonb_build_object($2::text, $3::text), updated_at = now() WHERE id = $1::uuid`,
    [callId, orgId, taskId],
  );
}
