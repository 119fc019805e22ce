import type { Logger } from 'pino';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Database } from '../store/types';
import { OrgSession, type OrgConnectionSettings } from '../salesforce/session';
import type { ChangeSubscriber } from '../salesforce/pubsub/subscriber';
import type { RawPubSubEvent } from '../salesforce/pubsub/changeEvent';
import { JsforceRecordWriter } from '../salesforce/records';
import { orgApiBudget } from '../sync/outbound/apiBudget';
import { orgPause, sharedOrgState, upsertOrg } from '../store/state/orgs';
import { Leadership } from '../store/state/leadership';
import { runSystemsCheck } from './systemsCheck';
import type { ApplyResult } from '../sync/inbound/applyChange';
import { WriteBackWorker } from '../sync/outbound/writeBack';
import type { InitialSyncStatus } from '../sync/initialSync/initialSyncStatus';
import { StatusReporter, type StatusReporterOptions } from './status/statusReporter';
import { CommandChannel } from './commands/commandChannel';
import { CommandDesk } from './commands/commandDesk';
import type { CommandTarget, SystemsCheckResult } from './commands/commandRunner';
import { forgetSync, type ForgetResult } from '../store/state/forgetSync';
import { syncRecordsNow } from '../sync/inbound/syncRecordsNow';
import type { OrgSyncSettings } from '../sync/rules/context';
import type { ReconcileResult } from '../sync/reconcile/reconcile';
import type { ReconcileScheduler } from '../sync/reconcile/reconcileScheduler';
import { guardQueuedDeletes } from '../sync/outbound/telephonyDeleteGuard';
import type { OrgStatus } from './orgStatus';
import { SyncConfiguration } from './syncConfiguration';
import { PauseControl } from './pauseControl';
import { OtherInstancesWatch } from './otherInstancesWatch';
import { OrgInitialSync } from './orgInitialSync';
import { ChangeFeed, type PubSubAccess } from '../sync/inbound/changeFeed';
import { orgReconcileScheduler } from './orgReconcile';

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
  /** The User field holding each user's extension (CALLS_USER_EXTENSION_FIELD; default Extension). */
  userExtensionField?: string;
  /** Status reporting to the org (statusReporter.ts): flush interval, heartbeat, records per flush. */
  status?: Pick<StatusReporterOptions, 'intervalMs' | 'heartbeatMs' | 'maxRecordsPerFlush' | 'ignoredCheckMs'>;
}

export type { InitialSyncStatus } from '../sync/initialSync/initialSyncStatus';

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
  /** Where this org's commands arrive, from the API or the command channel: run and audited there. */
  readonly commandDesk: CommandDesk;
  readonly leadership: Leadership;
  readonly reporter: StatusReporter;
  readonly reconciler: ReconcileScheduler;
  private readonly config: SyncConfiguration;
  private readonly pausing: PauseControl;
  private readonly feed: ChangeFeed;
  private readonly initialSync: OrgInitialSync;
  private readonly watch: OtherInstancesWatch;
  private started = false;
  private stopping = false;
  private readonly logger: Logger;

  constructor(private readonly options: OrgRuntimeOptions) {
    const { connection, db } = options;
    const { namespace } = connection;
    this.logger = options.logger.child({ org: connection.id });
    const org = { db, orgId: connection.id, logger: this.logger };
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
    this.config = new SyncConfiguration({
      ...org,
      namespace,
      defaultCountry: options.defaultCountry,
      session: this.session,
    });
    this.settings = this.config.settings;
    // Pausing stops and starts the workers below; it reads them from this runtime only when it does.
    this.pausing = new PauseControl({ ...org, settings: this.settings, work: this });
    const pubSub: PubSubAccess = {
      session: this.session,
      pubSubEndpoint: connection.pubSubEndpoint,
      extraCaPem: connection.extraCaPem,
      logger: this.logger,
      backoff: options.subscriber?.backoff,
    };
    this.feed = new ChangeFeed({
      ...org,
      settings: this.settings,
      namespace,
      pubSub,
      batchSize: options.subscriber?.batchSize,
      onHeld: () => this.pausing.hold(),
      // The reconcile is the recovery path of the changes no event brought.
      onGap: (reason) =>
        void this.reconciler
          .runNow(reason)
          .catch((err: unknown) => this.logger.warn({ err, reason }, 'reconcile for a gap in the events did not run')),
      initialSyncDone: () => this.initialSync.status.state === 'done',
    });
    this.topic = this.feed.topic;
    this.subscriber = this.feed.subscriber;
    this.initialSync = new OrgInitialSync({
      ...org,
      session: this.session,
      settings: this.settings,
      enabled: options.initialSync !== false,
      apiVersion: connection.apiVersion,
      pageSize: options.initialSyncPageSize,
      subscribeGraceMs: options.subscribeGraceMs,
      subscriber: this.subscriber,
      // Status__c follows from the state: Active now.
      onDone: () => this.reporter.flush(null),
    });
    this.writeBack = new WriteBackWorker({
      ...org,
      records: new JsforceRecordWriter(this.session.conn, {}, namespace),
      settings: this.settings,
      budget: orgApiBudget(this.session.conn, org),
      batchSize: options.writeback.batchSize,
      intervalMs: options.writeback.intervalMs,
      // A follower hears of a pause only through the database: it checks before every round.
      paused: async () => (await orgPause(db, connection.id)) !== null,
      deleteGuard: () => guardQueuedDeletes(db, this.settings),
      onDeletesHeld: () => void this.pausing.hold(),
    });
    this.commandDesk = new CommandDesk({ ...org, namespace, target: this });
    this.commands = new CommandChannel({ ...org, ...pubSub, namespace, desk: this.commandDesk });
    this.reconciler = orgReconcileScheduler({
      ...org,
      session: this.session,
      settings: this.settings,
      config: this.config,
      pausing: this.pausing,
      initialSync: this.initialSync,
      onReconciled: () => this.feed.reconciled(),
      userExtensionField: options.userExtensionField,
    });
    this.leadership = new Leadership({
      ...org,
      retryMs: options.electionRetryMs,
      onLeader: () => this.lead(),
      onFollower: () => this.follow(),
    });
    this.reporter = new StatusReporter({
      ...org,
      conn: this.session.conn,
      namespace,
      ...options.status,
      source: {
        syncId: () => this.currentSyncId(),
        recordedStatus: () => this.config.sync?.status ?? null,
        reporting: () => this.leadership.role === 'leader',
        paused: () => this.pausing.paused,
        initialSync: () => this.initialSync.status,
        lastSyncAt: () => this.feed.lastEventAt,
        problem: () => this.config.problemText(),
        broken: () => this.config.error !== null,
        onStatusWritten: (status) => this.config.statusWritten(status),
      },
    });
    this.watch = new OtherInstancesWatch({
      ...org,
      intervalMs: options.electionRetryMs ?? 5000,
      active: () => this.started && !this.stopping,
      isLeader: () => this.leadership.role === 'leader',
      reloadSettings: () => this.reloadSettings(),
      pauseGeneration: () => this.pausing.generation,
      followPause: (pause, readAt) => this.pausing.follow(pause, readAt),
    });
  }

  async start(): Promise<void> {
    const { connection, db } = this.options;
    await upsertOrg(db, { id: connection.id, name: connection.name, loginUrl: connection.loginUrl });
    await this.reloadSettings();
    const { pause: shared, settingsVersion } = await sharedOrgState(db, connection.id);
    this.watch.loaded(settingsVersion);
    await this.pausing.adopt(shared, this.config.pausedByOrg());
    if (!this.pausing.paused) this.writeBack.start();
    await this.pausing.refreshHeld();
    // Every instance schedules it; the reconcile lease lets one run per org at a time.
    if (!this.pausing.paused) this.reconciler.start();
    // Write-back is shared by every instance; the subscribers run only on the elected one.
    await this.leadership.start();
    this.started = true;
    this.reporter.start();
    this.watch.start();
  }

  /** This instance won the subscriber election (at start, or taking over from one that went away). */
  private async lead(): Promise<void> {
    if (this.started) {
      // The settings and pause state may have changed while another instance led.
      await this.reloadSettings();
      await this.pausing.reread(this.config.pausedByOrg());
    }
    await this.initialSync.load();
    this.commands.subscriber.start();
    if (!this.pausing.paused) this.subscriber.start();
    this.initialSync.startIfDue(this.config.sync);
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
    await this.config.reload(async () => {
      this.reconciler.setSchedule(this.settings.policy.schedule);
      // The leader's reloads are counted for the other instances; at start every instance reads the count.
      if (this.started && this.leadership.role === 'leader') await this.watch.counted();
    });
  }

  /** Resolves when the initial sync started at start() has finished (or at once when none runs). */
  initialSyncSettled(): Promise<InitialSyncStatus> {
    return this.initialSync.settled();
  }

  /** The initial sync's state, progress, rate and ETA (what the status reporter sends to the org). */
  initialSyncStatus(): InitialSyncStatus {
    return this.initialSync.snapshot();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.watch.stop();
    this.initialSync.abort();
    await this.reconciler.stop();
    await this.initialSync.settled();
    await this.commands.subscriber.stop();
    await this.subscriber.stop();
    await this.writeBack.stop();
    await this.reporter.stop();
    await this.leadership.stop();
  }

  currentSyncId(): string | null {
    return this.config.sync?.syncId ?? null;
  }

  /**
   * Stops applying changes, writing back and reconciling; the replay position and the outbox wait for
   * resume. `reason` (the mass-deletion guard's) is reported to the org as the sync's last error.
   */
  pause(reason?: string): Promise<void> {
    return this.pausing.pause(reason);
  }

  /** Resuming is the admin's approval of held deletes: they are applied before anything else runs. */
  resume(): Promise<void> {
    return this.pausing.resume();
  }

  async restartInitialSync(): Promise<void> {
    await this.initialSync.reset();
    if (this.pausing.paused) await this.resume();
    this.initialSync.startWhenSubscribed();
  }

  syncRecords(recordIds: string[]) {
    return syncRecordsNow(this.options.db, this.session.conn, this.settings, recordIds);
  }

  /** Delete (or delete and revert): stop this sync and forget it; the org's records are never touched. */
  async forget(revert: boolean): Promise<ForgetResult> {
    await this.pausing.pauseForDeletion();
    await this.reconciler.stop();
    await this.subscriber.stop();
    await this.writeBack.stop();
    const result = await forgetSync(this.options.db, this.options.connection.id, revert);
    this.initialSync.forgotten();
    return result;
  }

  /** Runs the systems check; what failed replaces the sync's last error in the org (null when all passed). */
  async systemsCheck(): Promise<SystemsCheckResult> {
    const result = await runSystemsCheck(this, this.options);
    await this.reporter.flush(
      result.ok
        ? null
        : result.checks
            .filter((c) => !c.ok)
            .map((c) => `${c.name}: ${c.detail}`)
            .join('\n'),
    );
    return result;
  }

  /** Decodes and applies one event; an unreadable event is recorded and skipped, never retried forever. */
  async handleEvent(raw: RawPubSubEvent): Promise<ApplyResult | null> {
    const [result] = await this.handleEvents([raw]);
    return result;
  }

  /** Decodes and applies a burst of events in one transaction (applyChangeEvents), in order. */
  handleEvents(raws: RawPubSubEvent[]): Promise<Array<ApplyResult | null>> {
    return this.feed.apply(raws);
  }

  status(): OrgStatus {
    const info = this.session.current;
    const { sync } = this.config;
    return {
      id: this.options.connection.id,
      name: this.options.connection.name,
      role: this.leadership.role,
      organizationId: info?.organizationId ?? null,
      instanceUrl: info?.instanceUrl ?? null,
      subscriber: this.subscriber.state,
      lastError: this.subscriber.error,
      lastEventAt: this.feed.lastEventAt,
      eventsApplied: this.feed.eventsApplied,
      needsReconcile: this.feed.needsReconcile,
      paused: this.pausing.paused,
      lastCommand: this.commands.outcome,
      initialSync: { ...this.initialSync.status },
      sync: sync ? { id: sync.syncId, name: sync.name, status: sync.status } : null,
      settingsProblems: this.config.problems,
      settingsError: this.config.error,
      reconcile: this.reconciler.status(),
      health: this.reporter.health,
      held: this.pausing.held ? { ...this.pausing.held } : null,
      apiBudget: this.writeBack.budgetStatus(),
    };
  }

  /** Reconciles now (or joins the run in progress); ReconcileUnavailableError when the state forbids it. */
  runReconcileNow(): Promise<ReconcileResult> {
    return this.reconciler.runNow('requested');
  }

  /** The admin's "no" to held deletes: every contact stays, the links to the gone records are dropped. */
  discardHeldDeletes(): Promise<number> {
    return this.pausing.decide(false);
  }
}
