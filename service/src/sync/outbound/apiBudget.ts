import type { Logger } from 'pino';
import type { Database } from '../../store/types';
import { recordAudit } from '../../store/audit';
import { dailyApiUsage, type DailyApiUsage } from '../../salesforce/orgFigures';
import { observedApiUsage } from '../../salesforce/limitInfo';
import type { OrgConnection } from '../../salesforce/session';

/** The org's daily API request allocation and how much of it is spent (every client of the org counts). */
export type ApiUsage = DailyApiUsage;

export interface ApiBudgetStatus {
  used: number | null;
  limit: number | null;
  /** Share of the daily allocation spent, 0–100 (one decimal). */
  percent: number | null;
  /** Write-back is holding its queue until usage falls below resumeBelowPercent. */
  paused: boolean;
  pauseAtPercent: number;
  resumeBelowPercent: number;
}

export interface ApiBudgetOptions {
  /** The usage the latest response reported (`Sforce-Limit-Info`), if any response has been seen. */
  observed(): ApiUsage | undefined;
  /** Asks the org for its usage (GET /limits): at start when nothing was observed, and while paused. */
  fetch(): Promise<ApiUsage>;
  /** Called on every pause and resume, after the state changed. */
  onChange(paused: boolean, usage: ApiUsage): Promise<void> | void;
  pauseAtPercent?: number;
  resumeBelowPercent?: number;
  /**
   * While paused, ask the org at most this often: usage falls only as the rolling 24 h window moves, and
   * a paused worker makes no calls of its own that would report it. Default 5 minutes.
   */
  refreshMs?: number;
  now?: () => number;
}

/**
 * Keeps write-back inside the org's daily API allocation. Pausing at one threshold and resuming only below
 * a lower one (90 % / 75 % by default) keeps the worker from flapping at the edge; while paused nothing
 * is dropped, the outbox simply waits.
 */
export class ApiBudget {
  private usage: ApiUsage | undefined;
  private paused = false;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  readonly pauseAtPercent: number;
  readonly resumeBelowPercent: number;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ApiBudgetOptions) {
    this.pauseAtPercent = options.pauseAtPercent ?? 90;
    this.resumeBelowPercent = options.resumeBelowPercent ?? 75;
    if (!(
      this.resumeBelowPercent > 0 &&
      this.resumeBelowPercent <= this.pauseAtPercent &&
      this.pauseAtPercent <= 100
    )) {
      throw new Error(
        `API budget thresholds: resumeBelowPercent (${this.resumeBelowPercent}) must be above 0 and at most pauseAtPercent (${this.pauseAtPercent}), which is at most 100`,
      );
    }
    this.refreshMs = options.refreshMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  /** Before a write: may it go? Reads the latest observed usage, asking the org when none is known or while paused. */
  async allowsWrites(): Promise<boolean> {
    const due = this.usage === undefined || (this.paused && this.now() - this.fetchedAt >= this.refreshMs);
    if (due && (this.options.observed() === undefined || this.paused)) {
      try {
        await this.refresh();
      } catch {
        // An org that will not say (no permission to read limits, a blip) is not a reason to stop writing:
        // every response's Sforce-Limit-Info header keeps the budget informed from the first call on.
      }
    } else {
      await this.take(this.options.observed());
    }
    return !this.paused;
  }

  /** After a call: its response reported the new usage. Returns whether writes may go on. */
  async afterCall(): Promise<boolean> {
    await this.take(this.options.observed());
    return !this.paused;
  }

  /** Asks the org now (GET /limits). */
  async refresh(): Promise<void> {
    this.fetchedAt = this.now();
    await this.take(await this.options.fetch());
  }

  status(): ApiBudgetStatus {
    const usage = this.usage;
    return {
      used: usage?.used ?? null,
      limit: usage?.limit ?? null,
      percent: usage ? percentOf(usage) : null,
      paused: this.paused,
      pauseAtPercent: this.pauseAtPercent,
      resumeBelowPercent: this.resumeBelowPercent,
    };
  }

  private async take(usage: ApiUsage | undefined): Promise<void> {
    if (!usage || !(usage.limit > 0)) return;
    this.usage = usage;
    const percent = percentOf(usage);
    if (!this.paused && percent >= this.pauseAtPercent) {
      this.paused = true;
      // Just seen: the next look at the org is one refresh period away.
      this.fetchedAt = this.now();
      await this.options.onChange(true, usage);
    } else if (this.paused && percent < this.resumeBelowPercent) {
      this.paused = false;
      await this.options.onChange(false, usage);
    }
  }
}

function percentOf(usage: ApiUsage): number {
  return Math.round((usage.used / usage.limit) * 1000) / 10;
}

export interface OrgApiBudgetOptions {
  db: Database;
  orgId: string;
  logger: Logger;
  refreshMs?: number;
}

/** An org's budget: usage from its responses' Sforce-Limit-Info and GET /limits; pauses and resumes logged and audited. */
export function orgApiBudget(conn: OrgConnection, options: OrgApiBudgetOptions): ApiBudget {
  const { db, orgId, logger } = options;
  const budget: ApiBudget = new ApiBudget({
    refreshMs: options.refreshMs,
    observed: () => observedApiUsage(conn),
    fetch: async () => {
      const usage = await dailyApiUsage(conn);
      if (!usage) throw new Error('GET /limits reported no DailyApiRequests');
      return usage;
    },
    onChange: async (paused, usage) => {
      const percent = percentOf(usage);
      const rule = paused
        ? `API usage ${usage.used} of ${usage.limit} daily requests (${percent} %) reached ${budget.pauseAtPercent} %: write-back paused until usage is below ${budget.resumeBelowPercent} %`
        : `API usage ${usage.used} of ${usage.limit} daily requests (${percent} %) is below ${budget.resumeBelowPercent} %: write-back resumed`;
      if (paused) logger.warn({ used: usage.used, limit: usage.limit, percent }, rule);
      else logger.info({ used: usage.used, limit: usage.limit, percent }, rule);
      await recordAudit(db, {
        orgId,
        contactId: null,
        recordId: null,
        origin: 'system',
        action: paused ? 'api-budget-paused' : 'api-budget-resumed',
        rule,
        before: null,
        after: { used: usage.used, limit: usage.limit, percent },
      }).catch((err: unknown) => logger.error({ err }, 'could not audit the API budget change'));
    },
  });
  return budget;
}
