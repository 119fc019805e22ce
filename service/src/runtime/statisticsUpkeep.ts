import type { Logger } from 'pino';
import type { Database } from '../store/types';
import { failureLevel } from '../store/availability';
import { refreshStaleStatistics } from '../store/plannerStatistics';

export interface StatisticsUpkeepOptions {
  db: Database;
  logger: Logger;
  /** How often the tables' change counts are looked at (default 10 s: a look is one catalog query). */
  everyMs?: number;
}

const DEFAULT_EVERY_MS = 10_000;

/**
 * Keeps the planner's statistics as fresh as the data, for the whole service (one per process; instances
 * take turns through an advisory lock): every few seconds, the tables that changed by more than a tenth
 * since they were last analyzed are analyzed (store/plannerStatistics.ts says why autovacuum is not enough).
 * A look that fails (the database is away) is logged and the next one tries again.
 */
export class StatisticsUpkeep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: StatisticsUpkeepOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      // runOnce never rejects (it logs): the next tick starts a look once this one is over.
      this.running ??= this.runOnce().then(() => {
        this.running = undefined;
      });
    }, this.options.everyMs ?? DEFAULT_EVERY_MS);
    this.timer.unref();
  }

  /** One look: the tables it analyzed (none when nothing changed enough or the database could not be read). */
  async runOnce(): Promise<string[]> {
    const started = performance.now();
    try {
      const tables = await refreshStaleStatistics(this.options.db);
      if (tables.length > 0)
        this.options.logger.debug(
          { tables, ms: Math.round(performance.now() - started) },
          'planner statistics refreshed',
        );
      return tables;
    } catch (err) {
      this.options.logger[failureLevel(err, 'warn')]({ err }, 'could not refresh the planner statistics');
      return [];
    }
  }

  /** Stops looking; a look under way finishes first. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
