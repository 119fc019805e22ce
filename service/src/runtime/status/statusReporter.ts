import type { Logger } from 'pino';
import type { OrgConnection } from '../../salesforce/session';
import type { Database } from '../../store/types';
import { failureLevel } from '../../store/availability';
import { classifySaveError } from '../../salesforce/saveErrors';
import { countRecordHealth } from '../../store/state/recordHealth';
import { syncCounts } from '../../store/state/reportedStatus';
import {
  publishSyncStatusEvent,
  writeSyncStatus,
  type ReportedSyncStatus,
  type SyncStatusUpdate,
} from '../../salesforce/status/syncStatusWriter';
import { RecordStatusWriter } from '../../salesforce/status/recordStatusWriter';
import { canonicalJson } from '../../sync/rules/hash';
import { sendRecordStatuses, sendSyncErrors } from './statusMirror';
import { honourIgnoredErrors } from './ignoredErrors';

/** The initial sync's progress as OrgRuntime keeps it; done/total/rate/ETA when the run measures them. */
export interface InitialProgress {
  state: 'pending' | 'running' | 'done' | 'failed';
  records: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  done?: number;
  total?: number | null;
  ratePerSecond?: number | null;
  etaSeconds?: number | null;
}

/** What the reporter reads from the org's runtime at each flush. */
export interface StatusSource {
  /** The org's Switchboard_Sync__c id; nothing is reported without one. */
  syncId(): string | null;
  /** Status__c as the service last read or wrote it. */
  recordedStatus(): string | null;
  /** Whether this instance reports for the org (the elected one, when several share the database). */
  reporting(): boolean;
  paused(): boolean;
  initialSync(): InitialProgress;
  /** The last change applied or written, ISO, or null. */
  lastSyncAt(): string | null;
  /** A sync-level problem to show as the last error (invalid settings), or null. */
  problem(): string | null;
  /** The sync cannot run as configured (its settings are unreadable): Status__c Error. */
  broken(): boolean;
  /** Status__c now says this. */
  onStatusWritten(status: ReportedSyncStatus): void;
}

export interface StatusReporterOptions {
  db: Database;
  orgId: string;
  conn: OrgConnection;
  namespace: string;
  logger: Logger;
  source: StatusSource;
  /** How often pending changes are flushed (default 5 s). */
  intervalMs?: number;
  /** How often the heartbeat is written when nothing else changed (default 60 s; the dashboard calls 5 min stale). */
  heartbeatMs?: number;
  /** Sync error records per flush (default 2,000: ten Collections calls). */
  maxRecordsPerFlush?: number;
  /**
   * Records whose status fields are written per flush (default 20,000): up to 2,000 of an object go by
   * Collections, more by one Bulk API job per object, so a million after an initial sync cost about
   * 300 calls instead of 5,000.
   */
  maxRecordStatusesPerFlush?: number;
  /**
   * How often the org is asked which failing records' errors an admin set to Ignored (default 60 s; one
   * query, and none while nothing is failing).
   */
  ignoredCheckMs?: number;
}

export interface HealthCounts {
  inSync: number;
  excluded: number;
  failing: number;
  /** Failing records whose error an admin ignored: no longer retried, no longer counted as failing. */
  ignored: number;
}

/**
 * Tells one org how its sync is doing, batched: at most one Switchboard_Sync__c update and one
 * Switchboard_Status__e per flush (only when something changed, or the heartbeat is due), then the
 * changed sync error records and record status fields. A failure is logged and retried at the next
 * flush; it never reaches the sync itself.
 */
export class StatusReporter {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private lastSent: string | null = null;
  /** Records linked to a directory entry (Synced_Count__c), as of the last flush. */
  private linked = 0;
  private lastHeartbeat = 0;
  private reportedError: string | null | undefined;
  private counts: HealthCounts = { inSync: 0, excluded: 0, failing: 0, ignored: 0 };
  private lastIgnoredCheck = 0;
  private readonly records: RecordStatusWriter;

  constructor(private readonly options: StatusReporterOptions) {
    this.records = new RecordStatusWriter(options.conn, options.namespace);
  }

  /** The counts of the last flush. */
  get health(): HealthCounts {
    return { ...this.counts };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.intervalMs ?? 5000);
    this.timer.unref();
  }

  /** Stops the timer after one last flush, so the org sees the final state. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /**
   * Flushes now (a state change: pause, resume, initial sync done, systems check). `lastError` replaces
   * the reported error (null clears it); undefined keeps it. Resolves when this flush is done.
   */
  flush(lastError?: string | null): Promise<void> {
    if (lastError !== undefined) this.reportedError = lastError;
    this.running = this.running
      .then(() => this.flushOnce())
      .catch((err: unknown) => {
        // The next interval flushes again; an outage is logged once by the database, not every flush.
        this.options.logger[failureLevel(err, 'error')]({ err }, 'status flush failed');
      });
    return this.running;
  }

  private async flushOnce(): Promise<void> {
    const { source, logger } = this.options;
    const syncId = source.syncId();
    if (!syncId || !source.reporting()) return;
    // While the initial sync loads, its progress is the news: the counters, the sync error records and
    // the record status fields read (and write) what the load is writing — scans of a million links,
    // thousands of error rows per flush — and would slow it down, so they wait for its end.
    const loading = source.initialSync().state === 'running';
    if (!loading) await this.refreshCounts();
    await this.sendSyncStatus(syncId).catch((err: unknown) =>
      logOrgCallFailure(logger, err, 'could not report the sync status to the org'),
    );
    if (loading) return;
    const limit = this.options.maxRecordsPerFlush ?? 2000;
    const { db, orgId, conn, namespace } = this.options;
    await sendSyncErrors({ db, orgId, conn, namespace, logger, syncId, limit }).catch((err: unknown) =>
      logOrgCallFailure(logger, err, 'could not send the sync error records to the org'),
    );
    await this.honourIgnored(syncId);
    // Paused means no writes to the org's records; the fields catch up on resume.
    if (source.paused()) return;
    await sendRecordStatuses({
      db,
      orgId,
      writer: this.records,
      logger,
      limit: this.options.maxRecordStatusesPerFlush ?? 20_000,
    }).catch((err: unknown) => logOrgCallFailure(logger, err, 'could not write the record status fields'));
  }

  /** Throttled: the org is asked at most once per ignoredCheckMs. */
  private async honourIgnored(syncId: string): Promise<void> {
    if (Date.now() - this.lastIgnoredCheck < (this.options.ignoredCheckMs ?? 60_000)) return;
    this.lastIgnoredCheck = Date.now();
    const { db, orgId, conn, namespace, logger } = this.options;
    try {
      if ((await honourIgnoredErrors({ db, orgId, conn, namespace, syncId, logger })) > 0) await this.refreshCounts();
    } catch (err) {
      logger[failureLevel(err, 'error')]({ err }, 'could not read which sync errors the org ignores');
    }
  }

  private async refreshCounts(): Promise<void> {
    const { db, orgId } = this.options;
    const [{ linked, inSync }, health] = await Promise.all([syncCounts(db, orgId), countRecordHealth(db, orgId)]);
    this.counts = { inSync, ...health };
    this.linked = linked;
  }

  /** Status__c as the service's state implies it; undefined leaves the field to the admin (NotStarted). */
  private derivedStatus(): ReportedSyncStatus | undefined {
    const { source } = this.options;
    if (source.paused()) return 'Paused';
    const initial = source.initialSync();
    if (initial.state === 'running') return 'InitialSync';
    if (initial.state === 'failed' || source.broken()) return 'Error';
    const recorded = source.recordedStatus();
    if (initial.state === 'pending' && (recorded === null || recorded === 'NotStarted' || recorded === 'Deleting'))
      return undefined;
    return 'Active';
  }

  private snapshot(): SyncStatusUpdate {
    const { source } = this.options;
    const initial = source.initialSync();
    const lastSyncAt =
      [source.lastSyncAt(), initial.finishedAt]
        .filter((t): t is string => t !== null)
        .sort()
        .pop() ?? null;
    const update: SyncStatusUpdate = {
      syncedCount: this.linked,
      excludedCount: this.counts.excluded,
      failingCount: this.counts.failing,
      lastError: this.reportedError ?? source.problem() ?? initial.error ?? null,
    };
    const status = this.derivedStatus();
    if (status !== undefined && status !== source.recordedStatus()) update.status = status;
    if (lastSyncAt) update.lastSyncTime = new Date(lastSyncAt);
    if (initial.startedAt) {
      const done = initial.done ?? initial.records;
      const seconds =
        ((initial.finishedAt ? Date.parse(initial.finishedAt) : Date.now()) - Date.parse(initial.startedAt)) / 1000;
      update.initialSyncDone = done;
      update.initialSyncTotal = initial.total ?? (initial.state === 'done' ? done : null);
      update.initialSyncRate = initial.ratePerSecond ?? (seconds > 0 ? done / seconds : null);
    }
    return update;
  }

  private async sendSyncStatus(syncId: string): Promise<void> {
    const { conn, namespace, source } = this.options;
    const update = this.snapshot();
    const status = this.derivedStatus();
    const { status: _written, ...rest } = update;
    const key = canonicalJson({
      ...rest,
      status: status ?? null,
      syncId,
      lastSyncTime: update.lastSyncTime?.toISOString() ?? null,
    });
    const changed = key !== this.lastSent;
    const heartbeatDue = Date.now() - this.lastHeartbeat >= (this.options.heartbeatMs ?? 60_000);
    if (!changed && !heartbeatDue) return;
    const sent: SyncStatusUpdate = { ...update, heartbeat: new Date() };
    await writeSyncStatus(conn, namespace, syncId, sent);
    this.lastHeartbeat = Date.now();
    if (sent.status) source.onStatusWritten(sent.status);
    if (changed) {
      // The dashboard reloads the sync record on this event, so it goes out after the update.
      await publishSyncStatusEvent(conn, namespace, syncId, { ...sent, status }, sent.lastError ?? null);
    }
    this.lastSent = key;
  }
}

/**
 * A flush's call to the org that failed. A passing answer (a lock, a 5xx, a dropped connection) is a warning
 * naming its code, without the stack: the next flush sends again. A database outage is logged once by the
 * database; anything else is an error with its stack.
 */
function logOrgCallFailure(logger: Logger, err: unknown, message: string): void {
  const level = failureLevel(err, 'error');
  const { code, transient } = classifySaveError(err);
  if (level === 'error' && transient) logger.warn({ code }, `${message}; the next flush sends it again`);
  else logger[level]({ err }, message);
}
