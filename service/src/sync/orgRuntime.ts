import type { Logger } from 'pino';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Database } from '../store/types';
import { OrgSession, type OrgAuthSettings } from '../salesforce/session';
import { ChangeSubscriber, type SubscriberState } from '../salesforce/subscriber';
import { ChangeEventError, decodeChangeEvent, type RawPubSubEvent } from '../salesforce/changeEvent';
import { changeEventTopic } from '../salesforce/topics';
import { JsforceRecordWriter } from '../salesforce/records';
import { orgApiBudget, type ApiBudgetStatus } from './apiBudget';
import { bumpSettingsVersion, getOrg, orgPause, setOrgPause, sharedOrgState, updateOrgSettings, upsertOrg } from '../store/orgs';
import { Leadership, type Role } from '../store/leadership';
import { runSystemsCheck } from './systemsCheck';
import { clearReplayId, getReplayId } from '../store/checkpoints';
import { applyChangeEvents, type ApplyResult, type DeliveredEvent } from './applyChange';
import { WriteBackWorker } from './writeBack';
import { runInitialSync, storedInitialSyncStatus } from './initialSync';
import { clearCheckpoints } from './initialSyncCheckpoint';
import { pendingInitialSync, type InitialSyncStatus } from './initialSyncStatus';
import { readSyncConfiguration } from '../salesforce/settingsReader';
import { StatusReporter, type HealthCounts, type StatusReporterOptions } from './statusReporter';
import { CommandChannel } from './commandChannel';
import type { CommandTarget, SystemsCheckResult } from './commandRunner';
import { forgetSync, type ForgetResult } from './forgetSync';
import { syncRecordsNow } from './syncRecordsNow';
import type { SettingsProblem, SyncSettings } from './syncSettings';
import { DEFAULT_MAPPINGS } from './fieldMap';
import { replayIdFromBytes } from './replayId';
import { DEFAULT_POLICY, policyOf, type OrgSyncSettings } from './context';
import { runReconcile, type ReconcileResult } from './reconcile';
import { ReconcileScheduler, ReconcileUnavailableError, type ReconcileStatus } from './reconcileScheduler';
import { decideHeldDeletes } from './deletes';
import { heldSummary } from './massDeleteGuard';
import { decideQueuedDeletes, guardQueuedDeletes } from './telephonyDeleteGuard';
import { heldOutboxDeletes } from '../store/heldOutboxDeletes';
import { scopeProblems } from './scope';

export interface OrgConnectionSettings extends OrgAuthSettings {
  /** The service's own id for this org connection (stable across restarts). */
  id: string;
  name: string;
  pubSubEndpoint: string;
  namespace: string;
  extraCaPem?: string;
}

export interface OrgRuntimeOptions {
  db: Database;
  connection: OrgConnectionSettings;
  defaultCountry: CountryCode;
  logger: Logger;
  writeback: { batchSize: number; intervalMs: number };
  subscriber?: { backoff?: { initialMs: number; maxMs: number }; batchSize?: number };
  /** Load every record once, when the org has never completed an initial sync (default true). */
  initialSync?: boolean;
  /** How long after the subscribe request the initial sync may start without a server confirmation. */
  subscribeGraceMs?: number;
  /** Records per Bulk API page and directory transaction of the initial sync (default 10,000). */
  initialSyncPageSize?: number;
  /** How often a follower instance tries to take over the subscribers (default 5 s). */
  electionRetryMs?: number;
  /** Status reporting to the org (statusReporter.ts): flush interval, heartbeat, records per flush. */
  status?: Pick<StatusReporterOptions, 'intervalMs' | 'heartbeatMs' | 'maxRecordsPerFlush' | 'ignoredCheckMs'>;
}

export type { InitialSyncStatus } from './initialSyncStatus';

export interface OrgStatus {
  id: string;
  name: string;
  /** Whether this instance runs the org's subscribers ('leader') or leaves them to another ('follower'). */
  role: Role;
  organizationId: string | null;
  instanceUrl: string | null;
  subscriber: SubscriberState;
  lastError: string | null;
  lastEventAt: string | null;
  eventsApplied: number;
  needsReconcile: boolean;
  paused: boolean;
  lastCommand: string | null;
  initialSync: InitialSyncStatus;
  /** The org's sync record this connection runs, as last read; null when none is configured. */
  sync: { id: string; name: string; status: string } | null;
  /** Configuration mistakes found in the org's sync and mapping records, naming record and field. */
  settingsProblems: SettingsProblem[];
  settingsError: string | null;
  reconcile: ReconcileStatus;
  /** Salesforce deletes the mass-deletion guard holds until an admin resumes (applies) or discards them. */
  held: { deletes: number; reason: string } | null;
  /** The org's daily API usage as write-back sees it; write-back pauses at 90 % and resumes below 75 %. */
  apiBudget: ApiBudgetStatus | null;
  /** Records in sync, excluded and failing, as of the status reporter's last flush. */
  health: HealthCounts;
}

/**
 * Everything the service runs for one connected org: its session, its change-event subscriber and its
 * write-back worker. Sign-in failures do not stop the service: the subscriber keeps retrying with backoff
 * and the status says why.
 */
export class OrgRuntime implements CommandTarget {
  readonly session: OrgSession;
  readonly subscriber: ChangeSubscriber;
  readonly writeBack: WriteBackWorker;
  readonly settings: OrgSyncSettings;
  readonly topic: string;
  readonly commands: CommandChannel;
  readonly leadership: Leadership;
  readonly reporter: StatusReporter;
  private paused = false;
  private started = false;
  private lastEventAt: string | null = null;
  private eventsApplied = 0;
  private needsReconcile = false;
  readonly reconciler: ReconcileScheduler;
  private held: { deletes: number; reason: string } | null = null;
  private initial: InitialSyncStatus = pendingInitialSync();
  private initialRun: Promise<void> | undefined;
  private initialAbort: AbortController | undefined;
  private stopping = false;
  private pauseWatch: NodeJS.Timeout | undefined;
  /** The leader's count of settings reloads that this instance has loaded (see followOtherInstances). */
  private settingsVersion = 0;
  private readonly logger: Logger;
  private sync: SyncSettings | null = null;
  private settingsProblems: SettingsProblem[] = [];
  private settingsError: string | null = null;

  constructor(private readonly options: OrgRuntimeOptions) {
    const { connection, db } = options;
    this.logger = options.logger.child({ org: connection.id });
    this.topic = changeEventTopic(connection.namespace);
    this.settings = {
      orgId: connection.id,
      mappings: DEFAULT_MAPPINGS,
      defaultCountry: options.defaultCountry,
      objects: ['Contact', 'Lead', 'Account'],
      syncId: null,
      policy: DEFAULT_POLICY,
    };
    this.session = new OrgSession(connection, this.logger);
    this.session.onRefresh((info) => {
      void upsertOrg(db, {
        id: connection.id,
        name: connection.name,
        loginUrl: connection.loginUrl,
        organizationId: info.organizationId,
        instanceUrl: info.instanceUrl,
      }).catch((err: unknown) => this.logger.error({ err }, 'could not record the org connection'));
    });
    this.subscriber = new ChangeSubscriber({
      session: this.session,
      topic: this.topic,
      pubSubEndpoint: connection.pubSubEndpoint,
      extraCaPem: connection.extraCaPem,
      logger: this.logger,
      batchSize: options.subscriber?.batchSize,
      backoff: options.subscriber?.backoff,
      loadReplayId: async () => {
        const bytes = await getReplayId(db, connection.id, this.topic);
        return bytes ? replayIdFromBytes(bytes) : null;
      },
      handle: (event) => this.handleEvent(event).then(() => undefined),
      handleBatch: (events) => this.handleEvents(events).then(() => undefined),
      onReplayExpired: async () => {
        this.needsReconcile = true;
        // The changes of the gap came in no event we can replay: the reconcile is their recovery path.
        this.reconciler.runNow('replay id expired').catch((err: unknown) => this.logger.warn({ err }, 'reconcile after the replay id expired did not run'));
        await clearReplayId(db, connection.id, this.topic);
      },
    });
    this.writeBack = new WriteBackWorker({
      db,
      orgId: connection.id,
      records: new JsforceRecordWriter(this.session.conn),
      settings: this.settings,
      budget: orgApiBudget(this.session.conn, { db, orgId: connection.id, logger: this.logger }),
      logger: this.logger,
      batchSize: options.writeback.batchSize,
      intervalMs: options.writeback.intervalMs,
      // A follower hears of a pause only through the database: it checks before every round.
      paused: async () => (await orgPause(db, connection.id)) !== null,
      deleteGuard: () => guardQueuedDeletes(db, this.settings),
      onDeletesHeld: () => void this.holdDeletes(),
    });
    this.commands = new CommandChannel({
      db,
      orgId: connection.id,
      session: this.session,
      namespace: connection.namespace,
      pubSubEndpoint: connection.pubSubEndpoint,
      extraCaPem: connection.extraCaPem,
      logger: this.logger,
      target: this,
      backoff: options.subscriber?.backoff,
    });
    this.reconciler = new ReconcileScheduler({
      db,
      orgId: connection.id,
      logger: this.logger,
      run: () => this.reconcileOnce(),
      blockedBy: () => this.reconcileBlockedBy(),
    });
    this.leadership = new Leadership({
      db,
      orgId: connection.id,
      logger: this.logger,
      retryMs: options.electionRetryMs,
      onLeader: () => this.lead(),
      onFollower: () => this.follow(),
    });
    this.reporter = new StatusReporter({
      db,
      orgId: connection.id,
      conn: this.session.conn,
      namespace: connection.namespace,
      logger: this.logger,
      ...options.status,
      source: {
        syncId: () => this.sync?.syncId ?? null,
        recordedStatus: () => this.sync?.status ?? null,
        reporting: () => this.leadership.role === 'leader',
        paused: () => this.paused,
        initialSync: () => this.initial,
        lastSyncAt: () => this.lastEventAt,
        problem: () => this.settingsError ?? (this.settingsProblems.map((p) => `${p.recordId} ${p.field}: ${p.message}`).join('\n') || null),
        broken: () => this.settingsError !== null,
        onStatusWritten: (status) => {
          if (this.sync) this.sync = { ...this.sync, status };
        },
      },
    });
  }

  async start(): Promise<void> {
    const { connection, db } = this.options;
    await upsertOrg(db, { id: connection.id, name: connection.name, loginUrl: connection.loginUrl });
    await this.reloadSettings();
    const { pause: shared, settingsVersion } = await sharedOrgState(db, connection.id);
    this.settingsVersion = settingsVersion;
    this.paused = shared !== null || this.sync?.status === 'Paused';
    // From here on the shared flag is the one truth every instance follows (followOtherInstances).
    if (this.paused && !shared) await setOrgPause(db, connection.id, { reason: null });
    if (!this.paused) this.writeBack.start();
    this.held = await this.heldNow();
    // Every instance schedules it; the reconcile lease lets one run per org at a time.
    if (!this.paused) this.reconciler.start();
    // Write-back is shared by every instance; the subscribers run only on the elected one.
    await this.leadership.start();
    this.started = true;
    this.reporter.start();
    this.pauseWatch = setInterval(() => {
      this.followOtherInstances().catch((err: unknown) => this.logger.warn({ err }, 'could not read the state other instances share'));
    }, this.options.electionRetryMs ?? 5000);
    this.pauseWatch.unref();
  }

  /** This instance won the subscriber election (at start, or taking over from one that went away). */
  private async lead(): Promise<void> {
    const { db, connection } = this.options;
    if (this.started) {
      // The settings and pause state may have changed while another instance led.
      await this.reloadSettings();
      this.paused = await this.pausedNow();
    }
    const saved = (await getOrg(db, connection.id))?.settings.initialSync;
    this.initial = await storedInitialSyncStatus(db, connection.id, this.settings.objects, saved);
    this.commands.subscriber.start();
    if (!this.paused) this.subscriber.start();
    const runnable = this.sync !== null && this.sync.status !== 'NotStarted' && this.sync.status !== 'Paused';
    if (this.options.initialSync !== false && runnable && this.initial.state !== 'done') this.startInitialSyncWhenSubscribed();
  }

  private async follow(): Promise<void> {
    await this.commands.subscriber.stop();
    await this.subscriber.stop();
  }

  /**
   * Reads the org's sync record and mappings (the "configuration changed" command calls this again). A
   * failure keeps the previous settings — the built-in defaults at first — and says why in the status.
   */
  async reloadSettings(): Promise<void> {
    try {
      if (!this.session.current) await this.session.signIn();
      const { sync, ignoredSyncIds, problems } = await readSyncConfiguration(this.session.conn, this.options.connection.namespace);
      this.sync = sync;
      this.settingsProblems = problems;
      this.settingsError = null;
      if (sync) {
        Object.assign(this.settings, {
          mappings: sync.mappings,
          defaultCountry: sync.defaultCountry,
          objects: sync.objects,
          syncId: sync.syncId,
          policy: policyOf(sync),
        });
        this.settingsProblems = [...this.settingsProblems, ...scopeProblems(sync.syncId, this.settings.policy)];
      }
      this.reconciler.setSchedule(this.settings.policy.schedule);
      // The leader's reloads are counted for the other instances; at start every instance reads the count.
      if (this.started && this.leadership.role === 'leader') this.settingsVersion = await bumpSettingsVersion(this.options.db, this.options.connection.id);
      for (const problem of problems) this.logger.warn(problem, 'sync configuration problem');
      if (ignoredSyncIds.length > 0) this.logger.warn({ ignoredSyncIds }, 'the org has more syncs than this connection runs; only the oldest is used');
      this.logger.info({ sync: sync?.syncId ?? null, status: sync?.status ?? null, problems: problems.length }, 'sync settings loaded');
    } catch (err) {
      this.settingsError = (err as Error).message;
      this.logger.error({ err }, 'could not read the sync settings from the org; keeping the previous ones');
    }
  }

  /**
   * Subscribe first, snapshot second, so a change made during the snapshot arrives as an event. The
   * server confirms a subscription only with its first batch or keepalive (up to 270 s on a quiet org),
   * so a short grace after the subscribe request, ample for it to take its position, also counts.
   */
  private startInitialSyncWhenSubscribed(): void {
    let timer: NodeJS.Timeout | undefined;
    const begin = () => {
      if (timer) clearTimeout(timer);
      this.subscriber.off('live', begin);
      this.subscriber.off('state', onState);
      if (!this.initialRun && !this.stopping) this.initialRun = this.runInitialSync();
    };
    const onState = (state: string) => {
      if (state === 'subscribed' && !timer) timer = setTimeout(begin, this.options.subscribeGraceMs ?? 2000);
    };
    this.subscriber.on('live', begin);
    this.subscriber.on('state', onState);
    if (this.subscriber.live) begin();
    else onState(this.subscriber.state);
  }

  /** Resolves when the initial sync started at start() has finished (or at once when none runs). */
  async initialSyncSettled(): Promise<InitialSyncStatus> {
    await this.initialRun;
    return this.initial;
  }

  private async runInitialSync(): Promise<void> {
    const { db, connection } = this.options;
    const abort = (this.initialAbort = new AbortController());
    // A resumed run keeps its first start: the reconcile counts changes from the snapshot's beginning.
    this.initial = { ...this.initial, state: 'running', startedAt: this.initial.startedAt ?? new Date().toISOString(), finishedAt: null, error: null };
    try {
      const result = await runInitialSync(db, this.session, this.settings, this.logger, {
        apiVersion: connection.apiVersion,
        pageSize: this.options.initialSyncPageSize,
        signal: abort.signal,
        onProgress: (progress) => {
          this.initial = { ...this.initial, ...progress };
        },
      });
      this.initial = { ...this.initial, state: 'done', etaSeconds: 0, finishedAt: new Date().toISOString() };
      this.logger.info({ records: result.records, ms: result.ms, perObject: result.perObject, pushed: result.pushed }, 'initial sync complete');
      await this.reportStatus('Active', null);
    } catch (err) {
      if (abort.signal.aborted) {
        this.initial = { ...this.initial, state: 'pending', ratePerSecond: null, etaSeconds: null };
        this.logger.info({ done: this.initial.done, total: this.initial.total }, 'initial sync interrupted; it resumes from its checkpoint at the next start');
      } else {
        this.initial = { ...this.initial, state: 'failed', finishedAt: new Date().toISOString(), error: (err as Error).message };
        this.logger.error({ err }, 'initial sync failed; it resumes from its checkpoint at the next start');
      }
    }
    await updateOrgSettings(db, connection.id, { initialSync: this.initial }).catch((err: unknown) =>
      this.logger.error({ err }, 'could not record the initial sync status'),
    );
  }

  /** The initial sync's state, progress, rate and ETA (what the status reporter sends to the org). */
  initialSyncStatus(): InitialSyncStatus {
    return { ...this.initial, objects: this.initial.objects.map((o) => ({ ...o })) };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.pauseWatch);
    this.initialAbort?.abort();
    await this.reconciler.stop();
    await this.initialRun;
    await this.commands.subscriber.stop();
    await this.subscriber.stop();
    await this.writeBack.stop();
    await this.reporter.stop();
    await this.leadership.stop();
  }

  currentSyncId(): string | null {
    return this.sync?.syncId ?? null;
  }

  /**
   * Stops applying changes, writing back and reconciling; the replay position and the outbox wait for
   * resume. `reason` (the mass-deletion guard's) is reported to the org as the sync's last error.
   */
  async pause(reason?: string): Promise<void> {
    this.paused = true;
    await setOrgPause(this.options.db, this.options.connection.id, { reason: reason ?? null });
    this.reconciler.suspend();
    await this.subscriber.stop();
    await this.writeBack.stop();
    await this.reportStatus('Paused', reason);
  }

  /** Resuming is the admin's approval of held deletes: they are applied before anything else runs. */
  async resume(): Promise<void> {
    if (this.held) await this.decideHeldDeletes(true);
    this.paused = false;
    await setOrgPause(this.options.db, this.options.connection.id, null);
    this.reconciler.start();
    if (this.leadership.role === 'leader') this.subscriber.start();
    this.writeBack.start();
    await this.reportStatus(this.initial.state === 'done' ? 'Active' : 'InitialSync');
  }

  async restartInitialSync(): Promise<void> {
    await this.initialRun;
    // After a completed one, a new snapshot; an interrupted or failed one resumes from its checkpoint.
    if (this.initial.state === 'done') await clearCheckpoints(this.options.db, this.options.connection.id);
    this.initial = this.initial.state === 'done' ? pendingInitialSync() : { ...this.initial, state: 'pending' };
    this.initialRun = undefined;
    if (this.paused) await this.resume();
    this.startInitialSyncWhenSubscribed();
  }

  syncRecords(recordIds: string[]) {
    return syncRecordsNow(this.options.db, this.session.conn, this.settings, recordIds);
  }

  /** Delete (or delete and revert): stop this sync and forget it; the org's records are never touched. */
  async forget(revert: boolean): Promise<ForgetResult> {
    this.paused = true;
    await setOrgPause(this.options.db, this.options.connection.id, { reason: 'the sync was deleted' });
    this.held = null;
    await this.reconciler.stop();
    await this.subscriber.stop();
    await this.writeBack.stop();
    const result = await forgetSync(this.options.db, this.options.connection.id, revert);
    this.initial = pendingInitialSync();
    return result;
  }

  async systemsCheck(): Promise<SystemsCheckResult> {
    const result = await runSystemsCheck(this, this.options);
    await this.reportStatus(undefined, result.ok ? null : result.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join('\n'));
    return result;
  }

  /**
   * Tells the org how this sync is doing, now (statusReporter.ts batches everything else). Status__c
   * follows from the runtime's state, so `_status` only documents the caller's intent; `lastError`
   * replaces the reported error (null clears it). A failure is logged, never thrown.
   */
  private async reportStatus(_status?: string, lastError?: string | null): Promise<void> {
    await this.reporter.flush(lastError);
  }

  /** Decodes and applies one event; an unreadable event is recorded and skipped, never retried forever. */
  async handleEvent(raw: RawPubSubEvent): Promise<ApplyResult | null> {
    const [result] = await this.handleEvents([raw]);
    return result;
  }

  /** Decodes and applies a burst of events in one transaction (applyChangeEvents), in order. */
  async handleEvents(raws: RawPubSubEvent[]): Promise<Array<ApplyResult | null>> {
    const delivered = raws.map((raw): DeliveredEvent => {
      try {
        return { event: decodeChangeEvent(raw, this.options.connection.namespace), replayId: raw.replayId };
      } catch (err) {
        if (!(err instanceof ChangeEventError)) throw err;
        this.logger.error({ eventId: err.eventId, field: err.field, reason: err.message }, 'change event rejected');
        return { rejected: err.message, replayId: raw.replayId };
      }
    });
    const results = await applyChangeEvents(this.options.db, this.settings, this.topic, delivered);
    if (results.some((r) => r?.outcomes.some((o) => o.outcome === 'held'))) await this.holdDeletes();
    this.eventsApplied += raws.length;
    this.lastEventAt = new Date().toISOString();
    return results;
  }

  status(): OrgStatus {
    const info = this.session.current;
    return {
      id: this.options.connection.id,
      name: this.options.connection.name,
      role: this.leadership.role,
      organizationId: info?.organizationId ?? null,
      instanceUrl: info?.instanceUrl ?? null,
      subscriber: this.subscriber.state,
      lastError: this.subscriber.error,
      lastEventAt: this.lastEventAt,
      eventsApplied: this.eventsApplied,
      needsReconcile: this.needsReconcile,
      paused: this.paused,
      lastCommand: this.commands.outcome,
      initialSync: { ...this.initial },
      sync: this.sync ? { id: this.sync.syncId, name: this.sync.name, status: this.sync.status } : null,
      settingsProblems: this.settingsProblems,
      settingsError: this.settingsError,
      reconcile: this.reconciler.status(),
      health: this.reporter.health,
      held: this.held ? { ...this.held } : null,
      apiBudget: this.writeBack.budgetStatus(),
    };
  }

  /** Reconciles now (or joins the run in progress); ReconcileUnavailableError when the state forbids it. */
  runReconcileNow(): Promise<ReconcileResult> {
    return this.reconciler.runNow('requested');
  }

  /** The admin's "no" to held deletes: every contact stays, the links to the gone records are dropped. */
  async discardHeldDeletes(): Promise<number> {
    return this.decideHeldDeletes(false);
  }

  private async decideHeldDeletes(approve: boolean): Promise<number> {
    const decided = (await decideHeldDeletes(this.options.db, this.settings, approve)) + (await decideQueuedDeletes(this.options.db, this.options.connection.id, approve));
    this.held = await this.heldNow();
    this.logger.info({ decided, approve }, approve ? 'held deletes applied' : 'held deletes discarded');
    return decided;
  }

  private reconcileBlockedBy(): string | null {
    if (this.paused) return 'the sync is paused';
    if (this.initial.state === 'running') return 'the initial sync is running';
    if (!this.sync) return 'no sync is configured in the org';
    if (this.sync.status === 'NotStarted' || this.sync.status === 'Deleting') return `the sync is ${this.sync.status}`;
    return null;
  }

  /** Deletes the mass-deletion guard holds, from either side, with the newest reason. */
  private async heldNow(): Promise<{ deletes: number; reason: string } | null> {
    const { db, connection } = this.options;
    const salesforce = await heldSummary(db, connection.id);
    const telephony = await heldOutboxDeletes(db, connection.id);
    const deletes = (salesforce?.deletes ?? 0) + telephony.deletes;
    return deletes > 0 ? { deletes, reason: telephony.reason ?? salesforce?.reason ?? '' } : null;
  }

  /**
   * What another instance did to the org: the leader reloaded the settings ("configuration changed"
   * reaches it alone), so this one reloads too; or it paused or resumed (the command reaches the leader,
   * the guard trips on any), so this one follows — no instance keeps applying, writing back or
   * reconciling, or serves the phone API with old settings.
   */
  private async followOtherInstances(): Promise<void> {
    if (!this.started || this.stopping) return;
    const { pause, settingsVersion } = await sharedOrgState(this.options.db, this.options.connection.id);
    if (settingsVersion !== this.settingsVersion && this.leadership.role !== 'leader') {
      this.settingsVersion = settingsVersion;
      await this.reloadSettings();
    }
    const shared = pause !== null;
    if (shared === this.paused) return;
    this.paused = shared;
    this.held = await this.heldNow();
    if (shared) {
      this.reconciler.suspend();
      await this.subscriber.stop();
      await this.writeBack.stop();
    } else {
      this.reconciler.start();
      if (this.leadership.role === 'leader') this.subscriber.start();
      this.writeBack.start();
    }
    this.logger.info({ paused: shared }, shared ? 'the sync was paused by another instance' : 'the sync was resumed by another instance');
    // The reason (the mass-deletion guard's, tripped on another instance) is what the org should show.
    await this.reporter.flush(pause ? (pause.reason ?? undefined) : null);
  }

  /** Paused by the org's sync record, or by a pause another instance of the service recorded. */
  private async pausedNow(): Promise<boolean> {
    return this.sync?.status === 'Paused' || (await orgPause(this.options.db, this.options.connection.id)) !== null;
  }

  private async reconcileOnce(): Promise<ReconcileResult> {
    // The lease lets any instance run it: one that did not see the pause itself reads it here.
    if (await orgPause(this.options.db, this.options.connection.id)) throw new ReconcileUnavailableError('reconcile not started: the sync is paused');
    const startedAt = this.initial.state === 'done' ? this.initial.startedAt : null;
    const result = await runReconcile(this.options.db, this.session, this.settings, { initialSyncStartedAt: startedAt });
    this.needsReconcile = false;
    const known = new Set(this.settingsProblems.map((p) => `${p.recordId}|${p.field}`));
    this.settingsProblems = [...this.settingsProblems, ...result.problems.filter((p) => !known.has(`${p.recordId}|${p.field}`))];
    if (result.held > 0) await this.holdDeletes();
    return result;
  }

  /**
   * The guard held deletes: pause until an admin decides. Not awaited: this runs inside the event handler
   * or the reconcile, which pause() waits for.
   */
  private async holdDeletes(): Promise<void> {
    this.held = await this.heldNow();
    if (!this.held || this.paused) return;
    this.logger.warn({ held: this.held.deletes }, this.held.reason);
    void this.pause(this.held.reason).catch((err: unknown) => this.logger.error({ err }, 'could not pause for the held deletes'));
  }
}
