import type { Logger } from 'pino';
import type { Database } from '../store/types';
import { failureLevel } from '../store/availability';
import { refreshStaleStatistics } from '../store/plannerStatistics';
import { pruneOutbox } from '../store/outbox/outbox';
import { pruneProcessedEvents } from '../store/state/processedEvents';

export interface DatabaseUpkeepOptions {
  db: Database;
  logger: Logger;
  /** How often the tables' change counts are looked at (default 10 s: a look is one catalog query). */
  statisticsEveryMs?: number;
  /** How often rows past their use are deleted (default hourly; the first time at the first look). */
  pruneEveryMs?: number;
}

const DEFAULT_STATISTICS_EVERY_MS = 10_000;
const DEFAULT_PRUNE_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Event markers outlive the Pub/Sub API's 72 hours of redelivery by a day. */
export const PROCESSED_EVENTS_KEPT_MS = 4 * DAY_MS;
/** Written changes stay listed a week (the audit log keeps what they did for good). */
export const WRITTEN_CHANGES_KEPT_MS = 7 * DAY_MS;

/** Rows deleted per statement while pruning: short transactions, however much a first prune finds. */
const PRUNE_CHUNK = 10_000;

/** What one look did. */
export interface UpkeepRound {
  /** Tables whose planner statistics were refreshed. */
  analyzed: string[];
  /** Rows deleted, when this look pruned. */
  pruned?: { processedEvents: number; writtenChanges: number };
}

/**
 * The database's upkeep, for the whole service (one per process):
 * - every few seconds, the planner statistics of the tables that changed by more than a tenth since they were
 *   last analyzed (store/plannerStatistics.ts says why autovacuum is not enough; instances take turns);
 * - every hour, rows past their use: event markers older than the redelivery window and written changes older
 *   than a week, which otherwise grow with every change for as long as the service runs.
 * A look that fails (the database is away) is logged and the next one tries again.
 */
export class DatabaseUpkeep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: DatabaseUpkeepOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      // runOnce never rejects (it logs): the next tick starts a look once this one is over.
      this.running ??= this.runOnce().then(() => {
        this.running = undefined;
      });
    }, this.options.statisticsEveryMs ?? DEFAULT_STATISTICS_EVERY_MS);
    this.timer.unref();
  }

  /** One look: the statistics, and the pruning when an hour went by since the last. */
  async runOnce(now = Date.now()): Promise<UpkeepRound> {
    const round: UpkeepRound = { analyzed: [] };
    try {
      if (now - this.prunedAt >= (this.options.pruneEveryMs ?? DEFAULT_PRUNE_EVERY_MS)) {
        round.pruned = await this.prune(now);
        this.prunedAt = now;
      }
      const started = performance.now();
      round.analyzed = await refreshStaleStatistics(this.options.db);
      if (round.analyzed.length > 0)
        this.options.logger.debug(
          { tables: round.analyzed, ms: Math.round(performance.now() - started) },
          'planner statistics refreshed',
        );
    } catch (err) {
      this.options.logger[failureLevel(err, 'warn')]({ err }, 'database upkeep failed; trying again at the next look');
    }
    return round;
  }

  private async prune(now: number): Promise<NonNullable<UpkeepRound['pruned']>> {
    const { db, logger } = this.options;
    const drain = async (chunk: (limit: number) => Promise<number>): Promise<number> => {
      let total = 0;
      for (let n = PRUNE_CHUNK; n === PRUNE_CHUNK; total += n) n = await chunk(PRUNE_CHUNK);
      return total;
    };
    const processedEvents = await drain((limit) =>
      pruneProcessedEvents(db, new Date(now - PROCESSED_EVENTS_KEPT_MS), limit),
    );
    const writtenChanges = await drain((limit) => pruneOutbox(db, new Date(now - WRITTEN_CHANGES_KEPT_MS), limit));
    if (processedEvents + writtenChanges > 0) logger.info({ processedEvents, writtenChanges }, 'old rows pruned');
    return { processedEvents, writtenChanges };
  }

  /** Stops looking; a look under way finishes first. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
