import type { Logger } from 'pino';
import type { Database, Queryable } from '../store/types';
import {
  claimOutboxBatch,
  completeOutbox,
  extendOutboxLease,
  failOutbox,
  outboxBacklog,
  releaseOutbox,
  retryOutbox,
  type OutboxItem,
  type OutboxOperation,
} from '../store/outbox';
import { recordAudit } from '../store/audit';
import { clearFailingHealth, getRecordHealth, setRecordHealth, type HealthSide } from '../store/recordHealth';
import type { SfValue, SyncedObject } from '../salesforce/changeEvent';
import { classifySaveError, type SaveErrorInfo } from '../salesforce/saveErrors';
import { BulkIngestJobError, type IngestOperation } from '../salesforce/bulkIngest';
import { findLinkByRecord, updateLink } from './links';
import { stableHash } from './hash';
import { contactsLinkedIn, linkCreatedRecord } from './telephonyCreate';
import type { OrgSyncSettings } from './context';
import type { ApiBudget, ApiBudgetStatus } from './apiBudget';

export interface SaveOutcome {
  id: string | null;
  success: boolean;
  errors: SaveErrorInfo[];
}

/** The Salesforce calls the worker makes: sObject Collections (≤200 records each) and, optionally, Bulk API 2.0 ingest. */
export interface RecordWriter {
  update(sobject: string, records: Array<{ Id: string } & Record<string, SfValue>>): Promise<SaveOutcome[]>;
  create(sobject: string, records: Array<Record<string, SfValue>>): Promise<SaveOutcome[]>;
  delete(sobject: string, ids: string[]): Promise<SaveOutcome[]>;
  /** One ingest job; outcomes in the order of `rows`. */
  bulk?(sobject: string, operation: IngestOperation, rows: Array<Record<string, SfValue>>): Promise<SaveOutcome[]>;
}

export interface WriteBackOptions {
  db: Database;
  orgId: string;
  records: RecordWriter;
  /** The org's live settings (mappings and policy), read when a create settles. */
  settings: OrgSyncSettings;
  logger: Logger;
  /** Records per sObject Collections call, at most 200. */
  batchSize: number;
  /**
   * How often the worker looks at the outbox. A batch smaller than batchSize goes out once no row has
   * joined it for this long (or its oldest row has waited maxWaitMs): a stream of edits shares calls
   * instead of spending one each, and a lone edit waits no longer than this.
   */
  intervalMs: number;
  /** The longest a partial batch waits for company while edits keep arriving. Default 10 × intervalMs. */
  maxWaitMs?: number;
  /** Whether the sync is paused (by any instance): checked before every round, which then sends nothing. */
  paused?: () => Promise<boolean>;
  /**
   * The mass-deletion guard, asked before a round sends deletes: the ids it holds stay unsent, and
   * onDeletesHeld is told why (the runtime pauses the sync for an admin).
   */
  deleteGuard?: () => Promise<{ ids: string[]; reason: string } | null>;
  onDeletesHeld?: (reason: string) => void;
  /** Pauses write-back near the org's daily API allocation (see ApiBudget). */
  budget?: ApiBudget;
  /** Transient failures are retried this many times before the row is parked as failing. */
  maxAttempts?: number;
  leaseMs?: number;
  /** More due writes than this of one operation and object go as one Bulk API 2.0 job. Default 2,000. */
  bulkThreshold?: number;
  /** Most rows one round claims when a bulk job is due. Default 10,000. */
  bulkClaimLimit?: number;
  /** The claim on a bulk round's rows: longer than the job may take, or another worker would send them again. */
  bulkLeaseMs?: number;
}

export interface DrainResult {
  claimed: number;
  written: number;
  retried: number;
  failed: number;
  /** sObject Collections calls made. */
  calls: number;
  bulkJobs: number;
  /** Claimed but not sent because the API budget paused write-back: back in the queue. */
  deferred: number;
}

/** One Salesforce write: a create, or all queued changes of one record coalesced, or a delete. */
interface PendingWrite {
  operation: OutboxOperation;
  sobject: string;
  recordId: string | null;
  contactId: string | null;
  payload: Record<string, SfValue>;
  items: OutboxItem[];
}

/** Rows written in one settle transaction, and the failing entries their success clears. */
interface Settled {
  outboxIds: string[];
  telephony: string[];
  salesforce: string[];
}

const OPERATION_ORDER: OutboxOperation[] = ['create', 'update', 'delete'];
const INGEST_OPERATION: Record<OutboxOperation, IngestOperation> = { create: 'insert', update: 'update', delete: 'delete' };
/** A record that is already gone needs no delete. */
const ALREADY_DELETED = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY', 'NOT_FOUND']);

/**
 * Drains one org's outbox into Salesforce. Rows are claimed with SKIP LOCKED (several service instances
 * share the work), coalesced per record, sent with sObject Collections (Bulk API 2.0 for large sets), and
 * settled one by one: a record's error never holds back the rest of its batch. A partial batch waits while
 * edits keep coming (up to maxWaitMs), since the org's API allocation, not latency, is the scarce thing;
 * nothing is sent while the API budget says stop.
 */
export class WriteBackWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly maxAttempts: number;
  private readonly bulkThreshold: number;
  private readonly chunkSize: number;

  constructor(private readonly options: WriteBackOptions) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.bulkThreshold = options.bulkThreshold ?? 2000;
    this.chunkSize = Math.min(options.batchSize, 200);
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.options.intervalMs);
    this.timer.unref?.();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Look now (after a telephony edit) instead of at the next tick; sends at once when a batch is full. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** The API budget as last seen; null when the worker runs without one. */
  budgetStatus(): ApiBudgetStatus | null {
    return this.options.budget?.status() ?? null;
  }

  /** Resolves when the round under way (if any) has finished. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    const { db, orgId, logger, intervalMs } = this.options;
    const maxWaitMs = this.options.maxWaitMs ?? 10 * intervalMs;
    try {
      while (!this.stopped) {
        const backlog = await outboxBacklog(db, orgId, this.bulkThreshold + 1);
        const quiet = backlog.newestWaitMs >= intervalMs || backlog.oldestWaitMs >= maxWaitMs;
        const ready = backlog.due >= this.chunkSize || (backlog.due > 0 && quiet) || backlog.abandoned;
        if (!ready) return;
        const bulk = this.options.records.bulk !== undefined && backlog.due > this.bulkThreshold;
        const result = await this.drainOnce(
          bulk ? { limit: this.options.bulkClaimLimit ?? 10_000, leaseMs: this.options.bulkLeaseMs ?? 30 * 60_000 } : undefined,
        );
        if (result.claimed === 0 || result.deferred > 0) return;
      }
    } catch (err) {
      logger.error({ err }, 'write-back round failed; the outbox keeps the rows');
    }
  }

  /** Claims one batch and sends it. Without a claim size, one Collections call's worth. */
  async drainOnce(claim?: { limit: number; leaseMs: number }): Promise<DrainResult> {
    const { db, orgId, budget } = this.options;
    const result: DrainResult = { claimed: 0, written: 0, retried: 0, failed: 0, calls: 0, bulkJobs: 0, deferred: 0 };
    if (await this.options.paused?.()) return result;
    if (budget && !(await budget.allowsWrites())) return result;
    const items = await claimOutboxBatch(db, {
      orgId,
      limit: claim?.limit ?? this.chunkSize,
      leaseMs: claim?.leaseMs ?? this.options.leaseMs ?? 120_000,
    });
    result.claimed = items.length;
    const rounds = this.plan(await this.withoutHeldDeletes(items));
    for (let r = 0; r < rounds.length; r++) {
      if (budget && !(await budget.allowsWrites())) {
        const unsent = rounds.slice(r).flatMap((round) => round.writes.flatMap((w) => w.items.map((i) => i.id)));
        await releaseOutbox(db, unsent);
        result.deferred = unsent.length;
        break;
      }
      await this.send(rounds[r], result);
      await budget?.afterCall();
    }
    return result;
  }

  private async withoutHeldDeletes(items: OutboxItem[]): Promise<OutboxItem[]> {
    const { deleteGuard, onDeletesHeld } = this.options;
    if (!deleteGuard || !items.some((i) => i.operation === 'delete')) return items;
    const held = await deleteGuard();
    if (!held) return items;
    this.options.logger.warn({ deletes: held.ids.length }, held.reason);
    onDeletesHeld?.(held.reason);
    const ids = new Set(held.ids);
    return items.filter((i) => !ids.has(i.id));
  }

  /** Creates, then updates, then deletes; per object; one bulk job or chunks of ≤200. */
  private plan(items: OutboxItem[]): Array<{ operation: OutboxOperation; sobject: string; bulk: boolean; writes: PendingWrite[] }> {
    const rounds: Array<{ operation: OutboxOperation; sobject: string; bulk: boolean; writes: PendingWrite[] }> = [];
    const writes = coalesce(items);
    for (const operation of OPERATION_ORDER) {
      const byObject = new Map<string, PendingWrite[]>();
      for (const write of writes.filter((w) => w.operation === operation)) {
        byObject.set(write.sobject, [...(byObject.get(write.sobject) ?? []), write]);
      }
      for (const [sobject, list] of byObject) {
        if (this.options.records.bulk && list.length > this.bulkThreshold) {
          rounds.push({ operation, sobject, bulk: true, writes: list });
          continue;
        }
        for (let i = 0; i < list.length; i += this.chunkSize) {
          rounds.push({ operation, sobject, bulk: false, writes: list.slice(i, i + this.chunkSize) });
        }
      }
    }
    return rounds;
  }

  private async send(
    round: { operation: OutboxOperation; sobject: string; bulk: boolean; writes: PendingWrite[] },
    result: DrainResult,
  ): Promise<void> {
    const { db, records, logger } = this.options;
    let writes = round.writes;
    if (round.operation === 'create') writes = await this.dropCreatesAlreadyLinked(writes, result);
    if (writes.length === 0) return;
    let outcomes: SaveOutcome[];
    try {
      if (round.bulk && records.bulk) {
        await extendOutboxLease(db, writes.flatMap((w) => w.items.map((i) => i.id)), this.options.bulkLeaseMs ?? 30 * 60_000);
        result.bulkJobs++;
        outcomes = await records.bulk(round.sobject, INGEST_OPERATION[round.operation], writes.map(bulkRow));
      } else {
        result.calls++;
        outcomes = await this.collectionsCall(round.operation, round.sobject, writes);
      }
    } catch (err) {
      const info = callError(err, round.operation);
      logger.warn({ sobject: round.sobject, operation: round.operation, records: writes.length, code: info.code }, 'write-back call failed');
      await this.settle(writes, () => ({ id: null, success: false, errors: [info] }), result);
      return;
    }
    await this.settle(writes, (i) => outcomes[i] ?? { id: null, success: false, errors: [unknownError()] }, result);
  }

  private collectionsCall(operation: OutboxOperation, sobject: string, writes: PendingWrite[]): Promise<SaveOutcome[]> {
    const { records } = this.options;
    if (operation === 'create') return records.create(sobject, writes.map((w) => w.payload));
    if (operation === 'delete') return records.delete(sobject, writes.map((w) => w.recordId as string));
    return records.update(sobject, writes.map((w) => ({ Id: w.recordId as string, ...w.payload })));
  }

  /** A matching record arrived from Salesforce and got linked while the create waited: creating it too would duplicate it. */
  private async dropCreatesAlreadyLinked(writes: PendingWrite[], result: DrainResult): Promise<PendingWrite[]> {
    const { db, orgId } = this.options;
    const linked = await contactsLinkedIn(db, orgId, writes.map((w) => w.contactId).filter((id): id is string => id !== null));
    if (linked.size === 0) return writes;
    const dropped = writes.filter((w) => w.contactId !== null && linked.has(w.contactId));
    await db.transaction(async (tx) => {
      for (const write of dropped) {
        await completeOutbox(tx, write.items.map((i) => i.id));
        await auditWrite(tx, orgId, write, 'create-skipped', `not created: the contact was linked to a ${write.sobject === 'Lead' ? 'Lead' : 'record'} of this org meanwhile`);
      }
    });
    result.written += dropped.length;
    return writes.filter((w) => !dropped.includes(w));
  }

  /**
   * Settles a sent batch in one transaction, each write under a savepoint: a write whose bookkeeping
   * fails (say its contact vanished in an unexpected way) is parked with the reason, and the others
   * still commit — a batch Salesforce accepted is never left claimed, to be sent again.
   */
  private async settle(writes: PendingWrite[], outcomeOf: (index: number) => SaveOutcome, result: DrainResult): Promise<void> {
    const { db, logger, orgId } = this.options;
    await db.transaction(async (tx) => {
      // What every written row needs is done once for the batch, at the end.
      const written: Settled = { outboxIds: [], telephony: [], salesforce: [] };
      for (let i = 0; i < writes.length; i++) {
        const write = writes[i];
        await tx.query('SAVEPOINT settle_write');
        try {
          const side = await this.settleOne(tx, write, outcomeOf(i), result);
          await tx.query('RELEASE SAVEPOINT settle_write');
          if (side) {
            written.outboxIds.push(...write.items.map((item) => item.id));
            const [healthSide, key] = healthKey(write);
            if (key) written[healthSide].push(key);
          }
        } catch (err) {
          await tx.query('ROLLBACK TO SAVEPOINT settle_write');
          logger.error({ err, recordId: write.recordId, contactId: write.contactId }, 'could not record a write-back outcome');
          const info: SaveErrorInfo = { code: 'SETTLE_FAILED', message: `the outcome could not be recorded: ${(err as Error).message}`, fields: [], transient: false };
          await this.fail(tx, write, info, result);
        }
      }
      await completeOutbox(tx, written.outboxIds);
      await clearFailingHealth(tx, orgId, 'telephony', written.telephony);
      await clearFailingHealth(tx, orgId, 'salesforce', written.salesforce);
    });
  }

  /** Records one outcome; true when the write went through (its row is completed with the batch). */
  private async settleOne(tx: Queryable, write: PendingWrite, outcome: SaveOutcome, result: DrainResult): Promise<boolean> {
    const error = outcome.errors[0] ?? unknownError();
    const gone = write.operation === 'delete' && !outcome.success && ALREADY_DELETED.has(error.code);
    if (!outcome.success && !gone) {
      await this.fail(tx, write, error, result);
      return false;
    }
    const { orgId, settings } = this.options;
    if (write.operation === 'create') {
      if (!outcome.id || !write.contactId) throw new Error('Salesforce reported a create without a record id');
      await linkCreatedRecord(tx, settings, {
        orgId,
        contactId: write.contactId,
        sobject: write.sobject as SyncedObject,
        recordId: outcome.id,
        sent: write.payload,
      });
    } else if (write.operation === 'update') {
      const link = await findLinkByRecord(tx, orgId, write.recordId as string);
      if (link) {
        const sfValues = { ...(link.sfValues ?? {}), ...write.payload };
        await updateLink(tx, link.id, { sfValues, sfHash: stableHash(sfValues) });
      }
      await auditWrite(tx, orgId, write, 'written-back', `${write.sobject} updated in Salesforce (${Object.keys(write.payload).join(', ')})`);
    } else {
      await auditWrite(tx, orgId, write, 'deleted-in-salesforce', gone ? `${write.sobject} was already deleted in Salesforce (${error.code})` : `${write.sobject} deleted in Salesforce`);
    }
    result.written++;
    return true;
  }

  /**
   * Retried with backoff while transient and under the attempt limit, else parked; either way visible in
   * record_health. An error an admin ignored for this record is not retried: the write is parked at once.
   */
  private async fail(tx: Queryable, write: PendingWrite, error: SaveErrorInfo, result: DrainResult): Promise<void> {
    const { orgId } = this.options;
    const attempts = Math.max(...write.items.map((i) => i.attempts)) + 1;
    const [side, key] = healthKey(write);
    const known = key && error.transient ? await getRecordHealth(tx, orgId, side, key) : null;
    const ignored = known?.ignoredAt != null && known.state === 'failing' && known.code === error.code;
    const park = !error.transient || ignored || attempts >= this.maxAttempts;
    const nextAttemptAt = park ? null : new Date(Date.now() + backoffMs(attempts));
    for (const item of write.items) {
      if (nextAttemptAt) await retryOutbox(tx, item.id, error, nextAttemptAt);
      else await failOutbox(tx, item.id, error);
    }
    if (key) {
      await setRecordHealth(tx, {
        orgId,
        side,
        key,
        sobject: write.sobject,
        recordId: write.recordId,
        contactId: write.contactId,
        state: 'failing',
        code: error.code,
        reason: `${write.operation} failed: ${error.message}${error.fields.length > 0 ? ` (${error.fields.join(', ')})` : ''}`,
        attempts,
        nextRetryAt: nextAttemptAt?.toISOString() ?? null,
      });
    }
    if (park) {
      await auditWrite(tx, orgId, write, 'write-back-failed', `${error.code}: ${error.message}${ignored ? ' (ignored by an admin: not retried)' : ''}`);
      result.failed++;
    } else {
      result.retried++;
    }
  }
}

/** A create is about the directory contact (no record yet); updates and deletes about the Salesforce record. */
function healthKey(write: PendingWrite): [HealthSide, string | null] {
  return write.operation === 'create' ? ['telephony', write.contactId] : ['salesforce', write.recordId];
}

function auditWrite(tx: Queryable, orgId: string, write: PendingWrite, action: string, rule: string): Promise<void> {
  return recordAudit(tx, {
    orgId,
    contactId: write.contactId,
    recordId: write.recordId,
    origin: 'telephony',
    action,
    rule,
    before: null,
    after: write.operation === 'delete' ? null : write.payload,
  });
}

/** Several queued edits of one record go out as one update, the later values winning; one delete per record. */
function coalesce(items: OutboxItem[]): PendingWrite[] {
  const writes: PendingWrite[] = [];
  const byRecord = new Map<string, PendingWrite>();
  for (const item of items) {
    const payload = item.payload as Record<string, SfValue>;
    const key = item.operation === 'create' || !item.recordId ? null : `${item.operation}:${item.sobject}:${item.recordId}`;
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

function bulkRow(write: PendingWrite): Record<string, SfValue> {
  if (write.operation === 'create') return write.payload;
  if (write.operation === 'delete') return { Id: write.recordId };
  return { Id: write.recordId, ...write.payload };
}

/**
 * A whole call failed. A bulk insert whose end was never seen may have run: sending it again could create
 * every record twice, so it is parked for an admin to check the job; updates and deletes are safe to repeat.
 */
function callError(err: unknown, operation: OutboxOperation): SaveErrorInfo {
  if (err instanceof BulkIngestJobError) return { code: err.code, message: err.message, fields: [], transient: operation !== 'create' };
  return classifySaveError(err);
}

/** 2 s, 4 s, 8 s … capped at 5 minutes. */
function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** attempts);
}

function unknownError(): SaveErrorInfo {
  return { code: 'UNKNOWN', message: 'Salesforce returned no result for this record', fields: [], transient: true };
}
