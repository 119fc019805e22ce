import type { Logger } from 'pino';
import type { Database } from '../../store/types';
import { failureLevel } from '../../store/availability';
import {
  claimOutboxBatch,
  deadClaimants,
  extendOutboxLease,
  outboxBacklog,
  releaseDeadClaims,
  releaseOwnClaims,
  releaseOutbox,
  startClaimant,
  type Claimant,
  type OutboxItem,
  type OutboxOperation,
} from '../../store/outbox/outbox';
import type { SfValue } from '../../model/records';
import type { IngestOperation } from '../../salesforce/bulk/bulkIngest';
import type { OrgSyncSettings } from '../rules/context';
import type { ApiBudget, ApiBudgetStatus } from './apiBudget';
import {
  bulkRow,
  INGEST_OPERATION,
  outboxIdsOf,
  planRounds,
  type PendingWrite,
  type WriteRound,
} from './writeBackPlan';
import { callError, unknownError, WriteBackSettler, type SettleTally } from './writeBackSettle';
import { markedCreate, settleCreatesAlreadyMade, settleTasksAlreadyMade, type CreateMarker } from './createRecovery';
import { DeadClaimWatch } from './deadClaims';
import { withoutSalesforceEdits } from './salesforceEdits';
import type { SaveOutcome } from '../../salesforce/saveErrors';

export type { SaveOutcome } from '../../salesforce/saveErrors';

/**
 * The Salesforce calls the worker makes: sObject Collections (≤200 records each) and, optionally, Bulk API
 * 2.0 ingest; with a CreateMarker, creates carry the directory id and a doubtful create is looked for first.
 */
export interface RecordWriter extends Partial<CreateMarker> {
  update(sobject: string, records: Array<{ Id: string } & Record<string, SfValue>>): Promise<SaveOutcome[]>;
  create(sobject: string, records: Array<Record<string, SfValue>>): Promise<SaveOutcome[]>;
  delete(sobject: string, ids: string[]): Promise<SaveOutcome[]>;
  /**
   * These fields of these records as Salesforce holds them now, by id: read before a round of updates
   * is sent, so a person's edit made since the write's base is not overwritten (withoutSalesforceEdits).
   */
  currentValues?(sobject: string, recordIds: string[], fields: string[]): Promise<Map<string, Record<string, SfValue>>>;
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
  /** This worker's identity in its claims (claimants.ts); started with the first round when not given. */
  claimant?: Claimant;
  /**
   * How long another worker must stay dead before its claimed rows are taken back (deadClaims.ts).
   * Default 5 s: longer than a live worker takes to lock again after its connection broke.
   */
  deadClaimConfirmMs?: number;
}

/** How often a worker looks for rows a dead worker claimed (and always at its first round). */
const DEAD_CLAIMS_EVERY_MS = 10_000;

/** A round's counts: claimed rows, and (SettleTally) how many were written, retried and parked. */
export interface DrainResult extends SettleTally {
  claimed: number;
  /** sObject Collections calls made. */
  calls: number;
  bulkJobs: number;
  /** Claimed but not sent because the API budget paused write-back: back in the queue. */
  deferred: number;
}

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
  /** stop() was called (and start() not since): a round waiting out a database outage gives up. */
  private stopRequested = false;
  private readonly bulkThreshold: number;
  private readonly bulkLeaseMs: number;
  /** The claim on a Collections round's rows. */
  private readonly leaseMs: number;
  private readonly chunkSize: number;
  private readonly settler: WriteBackSettler;
  private claimant: Promise<Claimant> | undefined;
  /** A round failed: it may have claimed rows whose claim's answer it never got. */
  private ownClaimsUncertain = false;
  private deadClaimsCheckedAt = Number.NEGATIVE_INFINITY;
  /** Rows a failed round claimed and never sent: given back at the next round. */
  private unsent: string[] = [];
  private readonly deadClaims: DeadClaimWatch;

  constructor(private readonly options: WriteBackOptions) {
    this.bulkThreshold = options.bulkThreshold ?? 2000;
    this.bulkLeaseMs = options.bulkLeaseMs ?? 30 * 60_000;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.chunkSize = Math.min(options.batchSize, 200);
    this.deadClaims = new DeadClaimWatch(options.deadClaimConfirmMs ?? 5_000);
    const { db, orgId, settings, logger } = options;
    this.settler = new WriteBackSettler({
      db,
      orgId,
      settings,
      logger,
      maxAttempts: options.maxAttempts ?? 8,
      stopped: () => this.stopRequested,
    });
  }

  start(): void {
    this.stopped = false;
    this.stopRequested = false;
    this.timer = setInterval(() => this.kick(), this.options.intervalMs);
    this.timer.unref?.();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    // A claimant the worker started is ended with it; one given to it belongs to the caller.
    if (this.claimant && !this.options.claimant) await (await this.claimant.catch(() => undefined))?.end();
    this.claimant = undefined;
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
        await this.takeBackDeadClaims();
        await this.takeBackOwnClaims();
        const backlog = await outboxBacklog(db, orgId, this.bulkThreshold + 1);
        const quiet = backlog.newestWaitMs >= intervalMs || backlog.oldestWaitMs >= maxWaitMs;
        const ready = backlog.due >= this.chunkSize || (backlog.due > 0 && quiet) || backlog.abandoned;
        if (!ready) return;
        const bulk = this.options.records.bulk !== undefined && backlog.due > this.bulkThreshold;
        const result = await this.drainOnce(
          bulk ? { limit: this.options.bulkClaimLimit ?? 10_000, leaseMs: this.bulkLeaseMs } : undefined,
        );
        if (result.claimed === 0 || result.deferred > 0) return;
      }
    } catch (err) {
      // The round may have claimed rows without hearing so (see takeBackOwnClaims).
      this.ownClaimsUncertain = true;
      // The interval retries the round; an outage is logged once by the database, not every round.
      logger[failureLevel(err, 'error')]({ err }, 'write-back round failed; the outbox keeps the rows');
    }
  }

  /** Claims one batch and sends it. Without a claim size, one Collections call's worth. */
  async drainOnce(claim?: { limit: number; leaseMs: number }): Promise<DrainResult> {
    const { db, orgId, budget } = this.options;
    const result: DrainResult = { claimed: 0, written: 0, retried: 0, failed: 0, calls: 0, bulkJobs: 0, deferred: 0 };
    if (await this.options.paused?.()) return result;
    if (budget && !(await budget.allowsWrites())) return result;
    const claimant = await this.claimantNow();
    await this.releaseUnsent();
    await this.takeBackDeadClaims();
    const items = await claimOutboxBatch(db, {
      orgId,
      limit: claim?.limit ?? this.chunkSize,
      leaseMs: claim?.leaseMs ?? this.leaseMs,
      claimant: claimant.id,
    });
    result.claimed = items.length;
    const sent = new Set<string>();
    try {
      const rounds = planRounds(await this.withoutHeldDeletes(items), {
        chunkSize: this.chunkSize,
        bulkThreshold: this.bulkThreshold,
        bulkAvailable: this.options.records.bulk !== undefined,
      });
      for (let r = 0; r < rounds.length; r++) {
        if (budget && !(await budget.allowsWrites())) {
          const unsent = rounds.slice(r).flatMap((round) => outboxIdsOf(round.writes));
          await releaseOutbox(db, unsent);
          result.deferred = unsent.length;
          break;
        }
        await this.send(rounds[r], result, sent);
        await budget?.afterCall();
      }
    } catch (err) {
      // Rows this worker claimed but never sent would wait out their lease (its lock lives on): they go
      // back to the queue at the next round. Rows sent without a recorded answer are the settle's (and,
      // should it give up, the lease's and the create marker's).
      this.unsent.push(...items.map((i) => i.id).filter((id) => !sent.has(id)));
      throw err;
    }
    return result;
  }

  /** Gives back the rows a failed round claimed and never sent (see drainOnce); kept until it works. */
  private async releaseUnsent(): Promise<void> {
    if (this.unsent.length === 0) return;
    const ids = [...this.unsent];
    await releaseOutbox(this.options.db, ids);
    this.unsent = this.unsent.filter((id) => !ids.includes(id));
  }

  private claimantNow(): Promise<Claimant> {
    if (this.options.claimant) return Promise.resolve(this.options.claimant);
    this.claimant ??= startClaimant(this.options.db);
    // A failed start (database down) is tried again next round.
    this.claimant.catch(() => (this.claimant = undefined));
    return this.claimant;
  }

  /**
   * A restarted service takes its dead predecessor's rows without waiting out their lease: once a worker
   * seen dead has stayed dead for deadClaimConfirmMs (looked at again then, else every 10 s).
   */
  private async takeBackDeadClaims(): Promise<void> {
    const sinceCheck = Date.now() - this.deadClaimsCheckedAt;
    const confirmationDue = (this.deadClaims.nextConfirmationAt() ?? Number.POSITIVE_INFINITY) <= Date.now();
    if (sinceCheck < DEAD_CLAIMS_EVERY_MS && !confirmationDue) return;
    await this.claimantNow();
    const { db, orgId, logger } = this.options;
    const dead = this.deadClaims.confirmed(await deadClaimants(db, orgId, this.leaseMs));
    this.deadClaimsCheckedAt = Date.now();
    if (dead.length === 0) return;
    const released = await releaseDeadClaims(db, orgId, this.leaseMs, dead);
    if (released > 0) logger.info({ released }, 'write-back: took back the rows of a worker that died');
  }

  /** After a failed round, the rows this worker may have claimed unknowingly go back to the queue (claimants.ts). */
  private async takeBackOwnClaims(): Promise<void> {
    if (!this.ownClaimsUncertain) return;
    const claimant = await this.claimantNow();
    const { db, orgId, logger } = this.options;
    const released = await releaseOwnClaims(db, orgId, claimant.id, this.leaseMs);
    this.ownClaimsUncertain = false;
    if (released > 0) logger.info({ released }, 'write-back: took back rows a failed round had claimed');
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

  private async send(round: WriteRound, result: DrainResult, sent: Set<string>): Promise<void> {
    const { db, records, logger } = this.options;
    let writes = round.writes;
    if (round.operation === 'create') {
      writes = await this.settler.dropCreatesAlreadyLinked(writes, result);
      writes = await settleCreatesAlreadyMade(records, this.settler, round.sobject, writes, result);
      if (round.sobject === 'Task') writes = await settleTasksAlreadyMade(records, this.settler, writes, result);
    }
    if (round.operation === 'update' && !round.bulk)
      writes = await withoutSalesforceEdits(this.options, round.sobject, writes);
    if (round.operation === 'update') writes = await this.settler.completeEmptyUpdates(writes, result);
    if (writes.length === 0) return;
    for (const id of outboxIdsOf(round.writes)) sent.add(id);
    let outcomes: SaveOutcome[];
    try {
      if (round.bulk && records.bulk) {
        await extendOutboxLease(db, outboxIdsOf(writes), this.bulkLeaseMs);
        result.bulkJobs++;
        const rows = writes.map((w) =>
          w.operation === 'create' ? markedCreate(records, round.sobject, w) : bulkRow(w),
        );
        outcomes = await records.bulk(round.sobject, INGEST_OPERATION[round.operation], rows);
      } else {
        result.calls++;
        outcomes = await this.collectionsCall(round.operation, round.sobject, writes);
      }
    } catch (err) {
      const info = callError(err, round.operation);
      logger.warn(
        { sobject: round.sobject, operation: round.operation, records: writes.length, code: info.code },
        'write-back call failed',
      );
      await this.settler.settle(writes, () => ({ id: null, success: false, errors: [info] }), result);
      return;
    }
    await this.settler.settle(
      writes,
      (i) => outcomes[i] ?? { id: null, success: false, errors: [unknownError()] },
      result,
    );
  }

  private collectionsCall(operation: OutboxOperation, sobject: string, writes: PendingWrite[]): Promise<SaveOutcome[]> {
    const { records } = this.options;
    if (operation === 'create')
      return records.create(
        sobject,
        writes.map((w) => markedCreate(records, sobject, w)),
      );
    if (operation === 'delete')
      return records.delete(
        sobject,
        writes.map((w) => w.recordId as string),
      );
    return records.update(
      sobject,
      writes.map((w) => ({ Id: w.recordId as string, ...w.payload })),
    );
  }
}
