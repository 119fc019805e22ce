import type { OutboxItem, OutboxOperation } from '../../store/outbox/outbox';
import type { SfValue } from '../../model/records';
import type { IngestOperation } from '../../salesforce/bulk/bulkIngest';

/**
 * How claimed outbox rows become Salesforce calls, decided before anything is sent: edits of one record
 * are coalesced, then the writes are grouped into rounds by operation and object.
 */

/** One Salesforce write: a create, or all queued changes of one record coalesced, or a delete. */
export interface PendingWrite {
  operation: OutboxOperation;
  sobject: string;
  recordId: string | null;
  contactId: string | null;
  payload: Record<string, SfValue>;
  items: OutboxItem[];
}

/** Writes of one operation and object that go out together: one Bulk API job, or one Collections call. */
export interface WriteRound {
  operation: OutboxOperation;
  sobject: string;
  bulk: boolean;
  writes: PendingWrite[];
}

/** How large a round may be, as the worker is configured. */
export interface PlanOptions {
  /** Records per sObject Collections call, at most 200. */
  chunkSize: number;
  /** More writes than this of one operation and object go as one bulk job, when bulk is available. */
  bulkThreshold: number;
  bulkAvailable: boolean;
}

const OPERATION_ORDER: OutboxOperation[] = ['create', 'update', 'delete'];

/** The Bulk API 2.0 name of each outbox operation. */
export const INGEST_OPERATION: Record<OutboxOperation, IngestOperation> = {
  create: 'insert',
  update: 'update',
  delete: 'delete',
};

/** Creates, then updates, then deletes; per object; one bulk job or chunks of ≤200. */
export function planRounds(items: OutboxItem[], options: PlanOptions): WriteRound[] {
  const rounds: WriteRound[] = [];
  const writes = coalesce(items);
  for (const operation of OPERATION_ORDER) {
    const byObject = new Map<string, PendingWrite[]>();
    for (const write of writes.filter((w) => w.operation === operation)) {
      byObject.set(write.sobject, [...(byObject.get(write.sobject) ?? []), write]);
    }
    for (const [sobject, list] of byObject) {
      if (options.bulkAvailable && list.length > options.bulkThreshold) {
        rounds.push({ operation, sobject, bulk: true, writes: list });
        continue;
      }
      for (let i = 0; i < list.length; i += options.chunkSize) {
        rounds.push({ operation, sobject, bulk: false, writes: list.slice(i, i + options.chunkSize) });
      }
    }
  }
  return rounds;
}

/** Several queued edits of one record go out as one update, the later values winning; one delete per record. */
function coalesce(items: OutboxItem[]): PendingWrite[] {
  const writes: PendingWrite[] = [];
  const byRecord = new Map<string, PendingWrite>();
  for (const item of items) {
    const payload = sendable(item);
    const key =
      item.operation === 'create' || !item.recordId ? null : `${item.operation}:${item.sobject}:${item.recordId}`;
    const existing = key ? byRecord.get(key) : undefined;
    if (existing) {
      existing.payload = { ...existing.payload, ...payload };
      existing.items.push(item);
      continue;
    }
    const write: PendingWrite = {
      operation: item.operation,
      sobject: item.sobject,
      recordId: item.recordId,
      contactId: item.contactId,
      payload: { ...payload },
      items: [item],
    };
    writes.push(write);
    if (key) byRecord.set(key, write);
  }
  return writes;
}

/**
 * What a row still has to send: its payload without the fields Salesforce's value won while the row was
 * on its way (store/outbox trimPendingUpdates) — a row claimed again must not land the old value twice.
 */
function sendable(item: OutboxItem): Record<string, SfValue> {
  const payload = item.payload as Record<string, SfValue>;
  if (item.superseded.length === 0) return payload;
  return Object.fromEntries(Object.entries(payload).filter(([field]) => !item.superseded.includes(field)));
}

/** A write as one row of a bulk ingest job: a create has no Id yet, a delete needs nothing else. */
export function bulkRow(write: PendingWrite): Record<string, SfValue> {
  if (write.operation === 'create') return write.payload;
  if (write.operation === 'delete') return { Id: write.recordId };
  return { Id: write.recordId, ...write.payload };
}

/** The outbox rows behind these writes. */
export function outboxIdsOf(writes: PendingWrite[]): string[] {
  return writes.flatMap((w) => w.items.map((i) => i.id));
}

/** Whether the write is a call's Task (an outbox row carrying the call it logs, migration 025). */
export function isCallTask(write: PendingWrite): boolean {
  return write.items.some((item) => item.callId);
}
