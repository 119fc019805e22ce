import type { Logger } from 'pino';
import type { Database, Queryable } from '../store/types';
import { claimOutboxBatch, completeOutbox, failOutbox, retryOutbox, type OutboxItem } from '../store/outbox';
import { recordAudit } from '../store/audit';
import type { SfValue } from '../salesforce/changeEvent';
import { findLinkByRecord, updateLink } from './links';
import { stableHash } from './hash';
import { classifySaveError, type SaveErrorInfo } from '../salesforce/saveErrors';

/** The slice of jsforce the worker needs: sObject Collections update (≤200 records per call). */
export interface RecordUpdater {
  updateRecords(sobject: string, records: Array<{ Id: string } & Record<string, SfValue>>): Promise<SaveOutcome[]>;
}

export interface SaveOutcome {
  id: string | null;
  success: boolean;
  errors: SaveErrorInfo[];
}

export interface WriteBackOptions {
  db: Database;
  orgId: string;
  updater: RecordUpdater;
  logger: Logger;
  batchSize: number;
  intervalMs: number;
  /** Transient failures are retried this many times before the row is parked as failing. */
  maxAttempts?: number;
  leaseMs?: number;
}

export interface DrainResult {
  claimed: number;
  written: number;
  retried: number;
  failed: number;
  calls: number;
}

/** Several queued edits of one record go out as one update, the later values winning. */
interface PendingWrite {
  sobject: string;
  recordId: string;
  payload: Record<string, SfValue>;
  items: OutboxItem[];
}

/**
 * Drains one org's outbox into Salesforce. Rows are claimed with SKIP LOCKED (several service instances
 * share the work), coalesced per record, sent with sObject Collections, and settled one by one: a
 * record's error never holds back the rest of its batch.
 */
export class WriteBackWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly maxAttempts: number;

  constructor(private readonly options: WriteBackOptions) {
    this.maxAttempts = options.maxAttempts ?? 8;
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

  /** Drain now (after a telephony edit) instead of at the next tick. */
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

  /** Resolves when the outbox holds nothing that is due (tests and shutdown use it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        const result = await this.drainOnce();
        if (result.claimed < this.options.batchSize || this.stopped) return;
      }
    } catch (err) {
      this.options.logger.error({ err }, 'write-back round failed; the outbox keeps the rows');
    }
  }

  async drainOnce(): Promise<DrainResult> {
    const { db, orgId, updater, logger } = this.options;
    const items = await claimOutboxBatch(db, {
      orgId,
      limit: this.options.batchSize,
      leaseMs: this.options.leaseMs ?? 120_000,
    });
    const result: DrainResult = { claimed: items.length, written: 0, retried: 0, failed: 0, calls: 0 };
    if (items.length === 0) return result;

    for (const [sobject, writes] of groupBySObject(coalesce(items))) {
      result.calls++;
      let outcomes: SaveOutcome[];
      try {
        outcomes = await updater.updateRecords(
          sobject,
          writes.map((w) => ({ Id: w.recordId, ...w.payload })),
        );
      } catch (err) {
        const info = classifySaveError(err);
        logger.warn({ sobject, records: writes.length, code: info.code }, 'write-back call failed; rows will be retried');
        for (const write of writes) await this.settleFailure(write, info, result);
        continue;
      }
      for (let i = 0; i < writes.length; i++) {
        const outcome = outcomes[i];
        if (outcome?.success) await this.settleSuccess(writes[i], result);
        else await this.settleFailure(writes[i], outcome?.errors[0] ?? unknownError(), result);
      }
    }
    return result;
  }

  private async settleSuccess(write: PendingWrite, result: DrainResult): Promise<void> {
    const { db, orgId } = this.options;
    await db.transaction(async (tx) => {
      const link = await findLinkByRecord(tx, orgId, write.recordId);
      if (link) {
        const sfValues = { ...(link.sfValues ?? {}), ...write.payload };
        await updateLink(tx, link.id, { sfValues, sfHash: stableHash(sfValues) });
      }
      await completeOutbox(tx, write.items.map((i) => i.id));
      await auditWrite(tx, orgId, write, 'written-back', `${write.sobject} updated in Salesforce (${Object.keys(write.payload).join(', ')})`);
    });
    result.written++;
  }

  private async settleFailure(write: PendingWrite, error: SaveErrorInfo, result: DrainResult): Promise<void> {
    const { db, orgId } = this.options;
    const attempts = Math.max(...write.items.map((i) => i.attempts)) + 1;
    const park = !error.transient || attempts >= this.maxAttempts;
    await db.transaction(async (tx) => {
      for (const item of write.items) {
        if (park) await failOutbox(tx, item.id, error);
        else await retryOutbox(tx, item.id, error, new Date(Date.now() + backoffMs(attempts)));
      }
      if (park) await auditWrite(tx, orgId, write, 'write-back-failed', `${error.code}: ${error.message}`);
    });
    if (park) result.failed++;
    else result.retried++;
  }
}

function auditWrite(tx: Queryable, orgId: string, write: PendingWrite, action: string, rule: string): Promise<void> {
  return recordAudit(tx, {
    orgId,
    contactId: write.items[0].contactId,
    recordId: write.recordId,
    origin: 'telephony',
    action,
    rule,
    before: null,
    after: write.payload,
  });
}

function coalesce(items: OutboxItem[]): PendingWrite[] {
  const byRecord = new Map<string, PendingWrite>();
  for (const item of items) {
    if (!item.recordId) continue;
    const key = `${item.sobject}:${item.recordId}`;
    const existing = byRecord.get(key);
    const payload = item.payload as Record<string, SfValue>;
    if (existing) {
      existing.payload = { ...existing.payload, ...payload };
      existing.items.push(item);
    } else {
      byRecord.set(key, { sobject: item.sobject, recordId: item.recordId, payload: { ...payload }, items: [item] });
    }
  }
  return [...byRecord.values()];
}

function groupBySObject(writes: PendingWrite[]): Map<string, PendingWrite[]> {
  const groups = new Map<string, PendingWrite[]>();
  for (const write of writes) {
    const list = groups.get(write.sobject) ?? [];
    list.push(write);
    groups.set(write.sobject, list);
  }
  return groups;
}

/** 2 s, 4 s, 8 s … capped at 5 minutes. */
function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** attempts);
}

function unknownError(): SaveErrorInfo {
  return { code: 'UNKNOWN', message: 'Salesforce returned no result for this record', fields: [], transient: true };
}
