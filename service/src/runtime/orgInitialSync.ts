import type { Logger } from 'pino';
import type { Database } from '../store/types';
import { getOrg, updateOrgSettings } from '../store/state/orgs';
import type { OrgSession } from '../salesforce/session';
import type { ChangeSubscriber } from '../salesforce/pubsub/subscriber';
import type { OrgSyncSettings } from '../sync/rules/context';
import { runInitialSync, storedInitialSyncStatus } from '../sync/initialSync/initialSync';
import { clearCheckpoints } from '../store/state/initialSyncCheckpoint';
import { pendingInitialSync, type InitialSyncStatus } from '../sync/initialSync/initialSyncStatus';
import type { SyncSettings } from '../sync/rules/syncSettings';
import { failureLevel, isDatabaseUnavailable } from '../store/availability';
import { classifySaveError } from '../salesforce/saveErrors';

/** A run the database's outage stopped starts again after 2 s, 4 s, … at most every minute. */
const OUTAGE_RETRY_FIRST_MS = 2_000;
const OUTAGE_RETRY_MAX_MS = 60_000;

export interface OrgInitialSyncOptions {
  db: Database;
  orgId: string;
  session: OrgSession;
  settings: OrgSyncSettings;
  logger: Logger;
  /** Whether an org that never completed one gets its records loaded at all. */
  enabled: boolean;
  apiVersion: string;
  /** Records per Bulk API page and directory transaction (initialSync.ts's default when absent). */
  pageSize?: number;
  /** How long after the subscribe request the run may start without a server confirmation. */
  subscribeGraceMs?: number;
  /** The change-event subscriber the run waits for. */
  subscriber: ChangeSubscriber;
  /** A run completed: the org hears at once that the sync is active. */
  onDone: () => Promise<void>;
}

/**
 * When one org's initial sync runs, and how far it got: it starts once the change-event subscription
 * stands, resumes from its checkpoint after an interruption, and records its status for the next start.
 */
export class OrgInitialSync {
  private current: InitialSyncStatus = pendingInitialSync();
  private run: Promise<void> | undefined;
  private abortController: AbortController | undefined;
  private stopped = false;
  private outageRetry: NodeJS.Timeout | undefined;
  private outageRetryMs = 0;

  constructor(private readonly options: OrgInitialSyncOptions) {}

  /** The live status (the status reporter reads it as it changes). */
  get status(): InitialSyncStatus {
    return this.current;
  }

  /** The status a previous run recorded, read again when this instance takes over the subscribers. */
  async load(): Promise<void> {
    const { db, orgId, settings } = this.options;
    const saved = (await getOrg(db, orgId))?.settings.initialSync;
    this.current = await storedInitialSyncStatus(db, orgId, settings.objects, saved);
  }

  /** After an election: starts the run unless it is done or disabled, or the org's sync is not under way. */
  startIfDue(sync: SyncSettings | null): void {
    const runnable = sync !== null && sync.status !== 'NotStarted' && sync.status !== 'Paused';
    if (this.options.enabled && runnable && this.current.state !== 'done') this.startWhenSubscribed();
  }

  /**
   * Subscribe first, snapshot second, so a change made during the snapshot arrives as an event. The
   * server confirms a subscription only with its first batch or keepalive (up to 270 s on a quiet org),
   * so a short grace after the subscribe request, ample for it to take its position, also counts.
   */
  startWhenSubscribed(): void {
    const { subscriber } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const begin = () => {
      if (timer) clearTimeout(timer);
      subscriber.off('live', begin);
      subscriber.off('state', onState);
      if (!this.run && !this.stopped) this.run = this.runOnce();
    };
    const onState = (state: string) => {
      if (state === 'subscribed' && !timer) timer = setTimeout(begin, this.options.subscribeGraceMs ?? 2000);
    };
    subscriber.on('live', begin);
    subscriber.on('state', onState);
    if (subscriber.live) begin();
    else onState(subscriber.state);
  }

  /** Resolves when the run under way (if any) has finished. */
  async settled(): Promise<InitialSyncStatus> {
    await this.run;
    return this.current;
  }

  /** A copy of the status, objects included, for callers that keep it. */
  snapshot(): InitialSyncStatus {
    return { ...this.current, objects: this.current.objects.map((o) => ({ ...o })) };
  }

  /** Makes ready to start again: after a completed run, a new snapshot; an interrupted or failed one resumes from its checkpoint. */
  async reset(): Promise<void> {
    await this.run;
    if (this.current.state === 'done') await clearCheckpoints(this.options.db, this.options.orgId);
    this.current = this.current.state === 'done' ? pendingInitialSync() : { ...this.current, state: 'pending' };
    this.run = undefined;
  }

  /** The sync was deleted: a new one starts from nothing. */
  forgotten(): void {
    this.current = pendingInitialSync();
  }

  /** The runtime stops: the run in progress ends at its next page, and none starts. */
  abort(): void {
    this.stopped = true;
    clearTimeout(this.outageRetry);
    this.abortController?.abort();
  }

  /**
   * The database went away under the run (or the org answered a transient error): nothing is wrong with
   * the org or the data, so the run starts
   * again, from its checkpoint, once the subscription stands again (an outage also ends the subscriber
   * election's connection, and the subscribers restart when the database is back) — not at the next
   * start of the service.
   */
  private retryAfterOutage(): void {
    if (this.stopped || this.outageRetry) return;
    this.outageRetryMs = Math.min(OUTAGE_RETRY_MAX_MS, this.outageRetryMs * 2 || OUTAGE_RETRY_FIRST_MS);
    this.outageRetry = setTimeout(() => {
      this.outageRetry = undefined;
      if (this.stopped || this.current.state === 'done' || this.current.state === 'running') return;
      this.run = undefined;
      this.startWhenSubscribed();
    }, this.outageRetryMs);
    this.outageRetry.unref();
  }

  private async runOnce(): Promise<void> {
    const { db, orgId, session, settings, logger } = this.options;
    const abort = (this.abortController = new AbortController());
    // A resumed run keeps its first start: the reconcile counts changes from the snapshot's beginning.
    this.current = {
      ...this.current,
      state: 'running',
      startedAt: this.current.startedAt ?? new Date().toISOString(),
      finishedAt: null,
      error: null,
    };
    try {
      const result = await runInitialSync(db, session, settings, logger, {
        apiVersion: this.options.apiVersion,
        pageSize: this.options.pageSize,
        signal: abort.signal,
        onProgress: (progress) => {
          this.current = { ...this.current, ...progress };
        },
      });
      this.current = { ...this.current, state: 'done', etaSeconds: 0, finishedAt: new Date().toISOString() };
      logger.info(
        { records: result.records, ms: result.ms, perObject: result.perObject, pushed: result.pushed },
        'initial sync complete',
      );
      this.outageRetryMs = 0;
      await this.options.onDone();
    } catch (err) {
      if (!abort.signal.aborted && isDatabaseUnavailable(err)) {
        this.current = {
          ...this.current,
          state: 'pending',
          ratePerSecond: null,
          etaSeconds: null,
          error: (err as Error).message,
        };
        logger.warn(
          { done: this.current.done, total: this.current.total, reason: (err as Error).message },
          'initial sync waits for the database; it resumes from its checkpoint when the database is back',
        );
        this.retryAfterOutage();
      } else if (!abort.signal.aborted && classifySaveError(err).transient) {
        // The org answered 5xx, a lock or a limit, or the connection broke: nothing is wrong with the data,
        // so the run starts again from its checkpoint, with backoff, instead of waiting for a restart.
        this.current = {
          ...this.current,
          state: 'pending',
          ratePerSecond: null,
          etaSeconds: null,
          error: (err as Error).message,
        };
        logger.warn(
          { done: this.current.done, total: this.current.total, code: classifySaveError(err).code },
          'initial sync met a transient Salesforce error; it resumes from its checkpoint shortly',
        );
        this.retryAfterOutage();
      } else if (abort.signal.aborted) {
        this.current = { ...this.current, state: 'pending', ratePerSecond: null, etaSeconds: null };
        logger.info(
          { done: this.current.done, total: this.current.total },
          'initial sync interrupted; it resumes from its checkpoint at the next start',
        );
      } else {
        this.current = {
          ...this.current,
          state: 'failed',
          finishedAt: new Date().toISOString(),
          error: (err as Error).message,
        };
        logger.error({ err }, 'initial sync failed; it resumes from its checkpoint at the next start');
      }
    }
    await updateOrgSettings(db, orgId, { initialSync: this.current }).catch((err: unknown) =>
      logger[failureLevel(err, 'error')]({ err }, 'could not record the initial sync status'),
    );
  }
}
