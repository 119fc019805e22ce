import { randomUUID } from 'node:crypto';
import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Database } from '../../store/types';
import { claimReconcileLease, releaseReconcileLease } from '../../store/state/reconcileState';
import { failureLevel, isDatabaseUnavailable } from '../../store/availability';
import { counts, summary, type ReconcileCounts, type ReconcileResult } from './reconcile';

/** A reconcile that cannot run now (paused, initial sync running, another instance busy): the API answers 409. */
export class ReconcileUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReconcileUnavailableError';
  }
}

export interface ReconcileStatus {
  lastRunAt: string | null;
  /** Counts of the last completed run, or its error. */
  lastResult: (ReconcileCounts & { summary: string }) | { error: string } | null;
  nextRunAt: string | null;
  running: boolean;
}

export interface ReconcileSchedulerOptions {
  db: Database;
  orgId: string;
  logger: Logger;
  /** One reconcile of the org. */
  run(): Promise<ReconcileResult>;
  /** Why a reconcile may not start now, or null when it may. */
  blockedBy(): string | null;
}

/** How long a lease lasts without renewal: a crashed instance's run blocks others at most this long. */
const LEASE_MS = 2 * 60_000;

/** A scheduled run the database's outage stopped is tried again after 5 s, 10 s, … at most every 5 min. */
const OUTAGE_RETRY_FIRST_MS = 5_000;
const OUTAGE_RETRY_MAX_MS = 5 * 60_000;

/**
 * Runs one org's reconcile on its cron schedule, and on demand. Never two at once: in this process a
 * second request joins the run in progress; across instances a lease row in Postgres (renewed while the
 * run lasts) lets only one run, and the others skip that tick.
 */
export class ReconcileScheduler {
  private task: ScheduledTask | undefined;
  private expression: string | null = null;
  private active = false;
  private current: Promise<ReconcileResult> | undefined;
  private lastRunAt: string | null = null;
  private lastResult: ReconcileStatus['lastResult'] = null;
  private readonly owner = randomUUID();
  private outageRetry: NodeJS.Timeout | undefined;
  private outageRetryMs = 0;

  constructor(private readonly options: ReconcileSchedulerOptions) {}

  /** Sets (or changes) the cron expression; takes effect at once when the schedule is running. */
  setSchedule(expression: string): void {
    if (expression === this.expression && (this.task || !this.active)) return;
    this.expression = expression;
    if (this.active) this.arm();
  }

  /** Starts firing on the schedule (resume, start). */
  start(): void {
    this.active = true;
    this.arm();
  }

  /** Stops firing at once, without waiting for a run in progress (pause may be called from inside one). */
  suspend(): void {
    this.active = false;
    this.disarm();
    clearTimeout(this.outageRetry);
    this.outageRetry = undefined;
  }

  /** Stops firing and waits for a run in progress to end. */
  async stop(): Promise<void> {
    this.suspend();
    await this.current?.catch(() => undefined);
  }

  /**
   * Reconciles now, or joins the run in progress. Throws ReconcileUnavailableError when the org's state
   * does not allow a run, or another instance holds the org's lease.
   */
  runNow(reason: string): Promise<ReconcileResult> {
    const blocked = this.options.blockedBy();
    if (blocked) return Promise.reject(new ReconcileUnavailableError(`reconcile not started: ${blocked}`));
    if (this.current) return this.current;
    this.current = this.runExclusive(reason).finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  status(): ReconcileStatus {
    return {
      lastRunAt: this.lastRunAt,
      lastResult: this.lastResult,
      nextRunAt: this.task?.getNextRun()?.toISOString() ?? null,
      running: this.current !== undefined,
    };
  }

  private async runExclusive(reason: string): Promise<ReconcileResult> {
    const { db, orgId, logger } = this.options;
    if (!(await claimReconcileLease(db, orgId, this.owner, LEASE_MS))) {
      throw new ReconcileUnavailableError('reconcile not started: another service instance is reconciling this org');
    }
    const renew = setInterval(() => {
      claimReconcileLease(db, orgId, this.owner, LEASE_MS).catch((err: unknown) =>
        logger.warn({ err }, 'could not renew the reconcile lease'),
      );
    }, LEASE_MS / 4);
    renew.unref();
    try {
      logger.info({ reason }, 'reconcile started');
      const result = await this.options.run();
      this.lastResult = { ...counts(result), summary: summary(result) };
      logger.info({ ...counts(result), ms: result.ms, problems: result.problems }, 'reconcile finished');
      return result;
    } catch (err) {
      // Not a failure: the org's state (a pause another instance recorded) does not allow a run now.
      if (err instanceof ReconcileUnavailableError) throw err;
      this.lastResult = { error: (err as Error).message };
      logger[failureLevel(err, 'error')]({ err }, 'reconcile failed; the next one starts from the same watermarks');
      throw err;
    } finally {
      this.lastRunAt = new Date().toISOString();
      clearInterval(renew);
      await releaseReconcileLease(db, orgId, this.owner).catch((err: unknown) =>
        logger[failureLevel(err, 'warn')]({ err }, 'could not release the reconcile lease'),
      );
    }
  }

  private arm(): void {
    this.disarm();
    if (!this.expression) return;
    // unref: a pending tick must not keep a stopping process alive.
    this.task = createTask(this.expression, () => this.onTick(), {
      name: `reconcile-${this.options.orgId}`,
      unref: true,
    });
    void this.task.start();
  }

  private disarm(): void {
    if (!this.task) return;
    void this.task.destroy();
    this.task = undefined;
  }

  private onTick(): void {
    if (this.current) return;
    this.runNow('schedule').then(
      () => {
        this.outageRetryMs = 0;
      },
      (err: unknown) => {
        if (err instanceof ReconcileUnavailableError)
          this.options.logger.info({ reason: err.message }, 'scheduled reconcile skipped');
        else if (isDatabaseUnavailable(err)) this.retryAfterOutage();
      },
    );
  }

  /**
   * The schedule may be hourly or daily: a run the database's outage stopped would otherwise wait that
   * long to repair what the outage left, so it is tried again with backoff until it runs.
   */
  private retryAfterOutage(): void {
    if (!this.active || this.outageRetry) return;
    this.outageRetryMs = Math.min(OUTAGE_RETRY_MAX_MS, this.outageRetryMs * 2 || OUTAGE_RETRY_FIRST_MS);
    this.outageRetry = setTimeout(() => {
      this.outageRetry = undefined;
      if (this.active) this.onTick();
    }, this.outageRetryMs);
    this.outageRetry.unref();
  }
}
