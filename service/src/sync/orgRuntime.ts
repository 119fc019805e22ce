import type { Logger } from 'pino';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Database } from '../store/types';
import { OrgSession, type OrgAuthSettings } from '../salesforce/session';
import { ChangeSubscriber, type SubscriberState } from '../salesforce/subscriber';
import { ChangeEventError, decodeChangeEvent, type RawPubSubEvent } from '../salesforce/changeEvent';
import { changeEventTopic } from '../salesforce/topics';
import { JsforceRecordUpdater } from '../salesforce/records';
import { updateOrgSettings, upsertOrg } from '../store/orgs';
import { clearReplayId, getReplayId, saveReplayId } from '../store/checkpoints';
import { recordAudit } from '../store/audit';
import { applyChangeEvent, type ApplyResult } from './applyChange';
import { WriteBackWorker } from './writeBack';
import { runInitialSync } from './initialSync';
import { readSyncConfiguration } from '../salesforce/settingsReader';
import { writeSyncStatus } from '../salesforce/syncStatusWriter';
import { CommandChannel } from './commandChannel';
import type { CommandTarget, SystemsCheckResult } from './commandRunner';
import { forgetSync, type ForgetResult } from './forgetSync';
import { syncRecordsNow } from './syncRecordsNow';
import type { SettingsProblem, SyncSettings } from './syncSettings';
import { DEFAULT_MAPPINGS } from './fieldMap';
import { replayIdFromBytes, replayIdToBytes } from './replayId';
import { DEFAULT_POLICY, policyOf, type OrgSyncSettings } from './context';

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
}

export interface InitialSyncStatus {
  state: 'pending' | 'running' | 'done' | 'failed';
  records: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface OrgStatus {
  id: string;
  name: string;
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
  private paused = false;
  private lastEventAt: string | null = null;
  private eventsApplied = 0;
  private needsReconcile = false;
  private initial: InitialSyncStatus = { state: 'pending', records: 0, startedAt: null, finishedAt: null, error: null };
  private initialRun: Promise<void> | undefined;
  private stopping = false;
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
      onReplayExpired: async () => {
        this.needsReconcile = true;
        await clearReplayId(db, connection.id, this.topic);
      },
    });
    this.writeBack = new WriteBackWorker({
      db,
      orgId: connection.id,
      updater: new JsforceRecordUpdater(this.session.conn),
      logger: this.logger,
      batchSize: options.writeback.batchSize,
      intervalMs: options.writeback.intervalMs,
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
  }

  async start(): Promise<void> {
    const { connection, db } = this.options;
    const row = await upsertOrg(db, { id: connection.id, name: connection.name, loginUrl: connection.loginUrl });
    const done = row.settings.initialSync as InitialSyncStatus | undefined;
    if (done?.state === 'done') this.initial = done;
    await this.reloadSettings();
    this.commands.subscriber.start();
    this.paused = this.sync?.status === 'Paused';
    if (!this.paused) {
      this.subscriber.start();
      this.writeBack.start();
    }
    const runnable = this.sync !== null && this.sync.status !== 'NotStarted' && this.sync.status !== 'Paused';
    if (this.options.initialSync !== false && runnable && this.initial.state !== 'done') this.startInitialSyncWhenSubscribed();
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
      }
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
    this.initial = { state: 'running', records: 0, startedAt: new Date().toISOString(), finishedAt: null, error: null };
    try {
      const result = await runInitialSync(db, this.session, this.settings, this.logger, {
        apiVersion: connection.apiVersion,
        onProgress: (_object, total) => {
          this.initial.records = total;
        },
      });
      this.initial = { ...this.initial, state: 'done', records: result.records, finishedAt: new Date().toISOString() };
      this.logger.info({ records: result.records, ms: result.ms, perObject: result.perObject }, 'initial sync complete');
      await this.reportStatus('Active', null);
    } catch (err) {
      this.initial = { ...this.initial, state: 'failed', finishedAt: new Date().toISOString(), error: (err as Error).message };
      this.logger.error({ err }, 'initial sync failed; it runs again at the next start');
    }
    await updateOrgSettings(db, connection.id, { initialSync: this.initial }).catch((err: unknown) =>
      this.logger.error({ err }, 'could not record the initial sync status'),
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.initialRun;
    await this.commands.subscriber.stop();
    await this.subscriber.stop();
    await this.writeBack.stop();
  }

  currentSyncId(): string | null {
    return this.sync?.syncId ?? null;
  }

  /** Stops applying changes and writing back; the replay position and the outbox wait for resume. */
  async pause(): Promise<void> {
    this.paused = true;
    await this.subscriber.stop();
    await this.writeBack.stop();
    await this.reportStatus('Paused');
  }

  async resume(): Promise<void> {
    this.paused = false;
    this.subscriber.start();
    this.writeBack.start();
    await this.reportStatus(this.initial.state === 'done' ? 'Active' : 'InitialSync');
  }

  async restartInitialSync(): Promise<void> {
    await this.initialRun;
    this.initial = { state: 'pending', records: 0, startedAt: null, finishedAt: null, error: null };
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
    await this.subscriber.stop();
    await this.writeBack.stop();
    const result = await forgetSync(this.options.db, this.options.connection.id, revert);
    this.initial = { state: 'pending', records: 0, startedAt: null, finishedAt: null, error: null };
    return result;
  }

  async systemsCheck(): Promise<SystemsCheckResult> {
    const checks: SystemsCheckResult['checks'] = [];
    const attempt = async (name: string, run: () => Promise<string>) => {
      try {
        checks.push({ name, ok: true, detail: await run() });
      } catch (err) {
        checks.push({ name, ok: false, detail: (err as Error).message });
      }
    };
    await attempt('authentication', async () => `signed in as ${(await this.session.signIn()).userId}`);
    await attempt('settings', async () => {
      await this.reloadSettings();
      if (this.settingsError) throw new Error(this.settingsError);
      if (this.settingsProblems.length > 0) throw new Error(this.settingsProblems.map((p) => `${p.recordId} ${p.field}: ${p.message}`).join('; '));
      return this.sync ? `sync ${this.sync.name}` : 'no sync configured';
    });
    await attempt('change events', async () => {
      if (this.subscriber.state !== 'subscribed' && !this.paused) throw new Error(this.subscriber.error ?? this.subscriber.state);
      return this.paused ? 'paused' : 'subscribed';
    });
    for (const sobject of ['Contact', 'Lead', 'User']) {
      await attempt(`${sobject} count`, async () => `${(await this.session.conn.query(`SELECT COUNT() FROM ${sobject}`)).totalSize}`);
    }
    await attempt('API usage', async () => {
      const usage = this.session.conn.limitInfo?.apiUsage;
      return usage ? `${usage.used} of ${usage.limit} daily requests` : 'not reported yet';
    });
    const result = { ok: checks.every((c) => c.ok), checks };
    await this.reportStatus(undefined, result.ok ? null : checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join('\n'));
    return result;
  }

  /** Tells the org how this sync is doing (status, heartbeat, last error); a failure is logged, not thrown. */
  private async reportStatus(status?: string, lastError?: string | null): Promise<void> {
    if (!this.sync) return;
    try {
      await writeSyncStatus(this.session.conn, this.options.connection.namespace, this.sync.syncId, {
        status,
        heartbeat: new Date(),
        lastError,
      });
      if (status) this.sync = { ...this.sync, status: status as SyncSettings['status'] };
    } catch (err) {
      this.logger.error({ err }, 'could not report the sync status to the org');
    }
  }

  /** Decodes and applies one event; an unreadable event is recorded and skipped, never retried forever. */
  async handleEvent(raw: RawPubSubEvent): Promise<ApplyResult | null> {
    const { db, connection } = this.options;
    let result: ApplyResult | null = null;
    try {
      const event = decodeChangeEvent(raw, connection.namespace);
      result = await applyChangeEvent(db, this.settings, this.topic, event);
    } catch (err) {
      if (!(err instanceof ChangeEventError)) throw err;
      this.logger.error({ eventId: err.eventId, field: err.field, reason: err.message }, 'change event rejected');
      await db.transaction(async (tx) => {
        await recordAudit(tx, {
          orgId: connection.id,
          contactId: null,
          recordId: null,
          origin: 'salesforce',
          action: 'rejected',
          rule: err.message,
          before: null,
          after: null,
        });
        await saveReplayId(tx, connection.id, this.topic, replayIdToBytes(raw.replayId));
      });
    }
    this.eventsApplied++;
    this.lastEventAt = new Date().toISOString();
    return result;
  }

  status(): OrgStatus {
    const info = this.session.current;
    return {
      id: this.options.connection.id,
      name: this.options.connection.name,
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
    };
  }
}
