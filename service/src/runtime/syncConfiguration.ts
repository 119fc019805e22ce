import type { Logger } from 'pino';
import type { CountryCode } from 'libphonenumber-js/max';
import type { OrgSession } from '../salesforce/session';
import { readSyncConfigurationRows, type SyncConfigurationRows } from '../salesforce/settingsReader';
import { describeFields } from '../salesforce/describe';
import { classifySaveError } from '../salesforce/saveErrors';
import type { ReportedSyncStatus } from '../salesforce/status/syncStatusWriter';
import { DEFAULT_MAPPINGS } from '../sync/rules/fieldMap';
import { DEFAULT_POLICY, policyOf, type OrgSyncSettings } from '../sync/rules/context';
import { scopeProblems } from '../sync/rules/scope';
import { parseSyncSettings, type SettingsProblem, type SyncSettings } from '../sync/rules/syncSettings';
import { checkMappings, type DescribeFields } from '../sync/rules/mappingCheck';

export interface SyncConfigurationOptions {
  orgId: string;
  /** The Salesforce package's namespace the sync and mapping records live under. */
  namespace: string;
  /** Until the org's sync record names one. */
  defaultCountry: CountryCode;
  session: OrgSession;
  logger: Logger;
  /**
   * The waits before a read that met a transient error (a lock, a 5xx, a dropped connection) is tried
   * again; when they are used up the read counts as failed. Default 0.5 s, 1 s, 2 s, 4 s.
   */
  retryDelaysMs?: readonly number[];
}

const RETRY_DELAYS_MS = [500, 1000, 2000, 4000];

/** The org's sync configuration as the engine reads it. */
export interface OrgSyncConfiguration {
  /** The sync this service runs for the org: the oldest one that is not being deleted. */
  sync: SyncSettings | null;
  /** Other syncs of the org, which one service connection does not run (one sync per org connection). */
  ignoredSyncIds: string[];
  problems: SettingsProblem[];
}

/**
 * Parses the configuration rows read from the org, then checks the mappings against the org's describe
 * results: one that names a missing or read-only field is a problem and is left out, so the rest keeps
 * working. A transient describe error rejects, so the read is tried again rather than run without mappings.
 */
export async function parseSyncConfiguration(
  rows: SyncConfigurationRows,
  namespace: string,
  describe: DescribeFields,
): Promise<OrgSyncConfiguration> {
  const [chosen, ...others] = rows.syncs;
  if (!chosen) return { sync: null, ignoredSyncIds: [], problems: [] };
  const { settings, problems } = parseSyncSettings(chosen, rows.mappings, rows.defaults, namespace);
  const passing = (err: unknown) => classifySaveError(err).transient;
  const checked = await checkMappings(describe, settings.syncId, settings.objects, settings.mappings, passing);
  return {
    sync: { ...settings, mappings: checked.usable },
    ignoredSyncIds: others.map((s) => String(s.Id)),
    problems: [...problems, ...checked.problems],
  };
}

/**
 * One org's sync configuration: its sync record and mappings as last read from the org, what is wrong
 * with them, and the live settings the sync runs on. Those settings are one object that the subscriber,
 * write-back and reconcile share, so a reload updates it in place.
 */
export class SyncConfiguration {
  readonly settings: OrgSyncSettings;
  /** The org's sync record this connection runs, as last read; null when none is configured. */
  sync: SyncSettings | null = null;
  /** Configuration mistakes found in the org's sync and mapping records, naming record and field. */
  problems: SettingsProblem[] = [];
  /** Why the last read failed; null once one succeeded. */
  error: string | null = null;

  constructor(private readonly options: SyncConfigurationOptions) {
    this.settings = {
      orgId: options.orgId,
      mappings: DEFAULT_MAPPINGS,
      defaultCountry: options.defaultCountry,
      objects: ['Contact', 'Lead', 'Account'],
      syncId: null,
      policy: DEFAULT_POLICY,
    };
  }

  /**
   * Reads the org's sync record and mappings. A failure keeps the previous settings — the built-in
   * defaults at first — and says why in `error`. `applied` runs once new settings are in place; a failure
   * of its own is reported the same way, since the settings are then only partly in force.
   */
  async reload(applied: () => Promise<void>): Promise<void> {
    const { logger } = this.options;
    try {
      const { sync, ignoredSyncIds, problems } = await this.readWithRetries();
      this.sync = sync;
      this.problems = problems;
      this.error = null;
      if (sync) {
        Object.assign(this.settings, {
          mappings: sync.mappings,
          defaultCountry: sync.defaultCountry,
          objects: sync.objects,
          syncId: sync.syncId,
          policy: policyOf(sync),
        });
        this.problems = [...this.problems, ...scopeProblems(sync.syncId, this.settings.policy)];
      }
      await applied();
      for (const problem of problems) logger.warn(problem, 'sync configuration problem');
      if (ignoredSyncIds.length > 0)
        logger.warn({ ignoredSyncIds }, 'the org has more syncs than this connection runs; only the oldest is used');
      logger.info(
        { sync: sync?.syncId ?? null, status: sync?.status ?? null, problems: problems.length },
        'sync settings loaded',
      );
    } catch (err) {
      this.error = (err as Error).message;
      logger.error({ err }, 'could not read the sync settings from the org; keeping the previous ones');
    }
  }

  /** The org's configuration, read again after a transient error (see retryDelaysMs). */
  private async readWithRetries(): Promise<OrgSyncConfiguration> {
    const { session, namespace, logger } = this.options;
    const delays = this.options.retryDelaysMs ?? RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        if (!session.current) await session.signIn();
        const rows = await readSyncConfigurationRows(session.conn, namespace);
        return await parseSyncConfiguration(rows, namespace, (sobject) => describeFields(session.conn, sobject));
      } catch (err) {
        const { code, transient } = classifySaveError(err);
        const delay = delays[attempt];
        if (!transient || delay === undefined) throw err;
        logger.warn({ code, retryInMs: delay }, 'reading the sync settings met a transient error; trying again');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Whether the org's sync record says Paused, as last read. */
  pausedByOrg(): boolean {
    return this.sync?.status === 'Paused';
  }

  /** Problems the reconcile met in the records; one already known (same record and field) is not repeated. */
  addProblems(found: SettingsProblem[]): void {
    const known = new Set(this.problems.map((p) => `${p.recordId}|${p.field}`));
    this.problems = [...this.problems, ...found.filter((p) => !known.has(`${p.recordId}|${p.field}`))];
  }

  /** The problem the org's status shows: the read failure, else every configuration mistake on a line. */
  problemText(): string | null {
    return this.error ?? (this.problems.map((p) => `${p.recordId} ${p.field}: ${p.message}`).join('\n') || null);
  }

  /** The status reporter wrote the sync record's status: the copy read last follows, without a reload. */
  statusWritten(status: ReportedSyncStatus): void {
    if (this.sync) this.sync = { ...this.sync, status };
  }
}
