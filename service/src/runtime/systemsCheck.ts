import type { Database } from '../store/types';
import type { OrgSession } from '../salesforce/session';
import { checkTopicAccess } from '../salesforce/pubsub/topicAccess';
import { describeFields } from '../salesforce/describe';
import { classifySaveError } from '../salesforce/saveErrors';
import { retryTransient } from '../salesforce/transientRetry';
import { countOrgRecords, dailyApiUsage, ORG_COUNTS } from '../salesforce/orgFigures';
import type { OrgSyncSettings } from '../sync/rules/context';
import type { SystemsCheckResult } from './commands/commandRunner';
import { checkMappings } from '../sync/rules/mappingCheck';
import { TASK_FIELDS } from '../calls/callTask';
import { pullUsersIntoDirectory } from '../sync/inbound/userDirectory';
import type { OrgConnectionSettings } from '../salesforce/session';
import type { OrgStatus } from './orgStatus';

/** What the systems check reads from one org connection (OrgRuntime). */
export interface SystemsCheckSubject {
  readonly session: OrgSession;
  readonly settings: OrgSyncSettings;
  /** The change event topic. */
  readonly topic: string;
  readonly commands: { readonly topic: string };
  reloadSettings(): Promise<void>;
  status(): OrgStatus;
}

/** Write-back pauses at 90 % of the daily allocation: a check at that level is a problem. */
const API_USAGE_ALARM = 0.9;

type Check = SystemsCheckResult['checks'][number];

/**
 * Verifies everything the sync depends on in one org, each check on its own so one failure does not hide
 * the others: sign-in, the sync settings (and the mappings against the org's fields), Pub/Sub access to
 * the change and command topics, object and field permissions, the subscription, the daily API usage,
 * and how many contacts, leads and users the org has. It also pulls the org's users into the directory
 * as internal extensions.
 */
export async function runSystemsCheck(
  subject: SystemsCheckSubject,
  context: { db: Database; connection: OrgConnectionSettings; userExtensionField?: string },
): Promise<SystemsCheckResult> {
  const { session } = subject;
  const { db, connection } = context;
  const conn = session.conn;
  const checks: Check[] = [];
  const figures: Record<string, number> = {};
  const attempt = async (name: string, run: () => Promise<string>) => {
    try {
      checks.push({ name, ok: true, detail: await run() });
    } catch (err) {
      checks.push({ name, ok: false, detail: (err as Error).message });
    }
  };
  const fieldProblem = (p: { field: string }) => p.field === 'Salesforce_Field__c';

  await attempt('authentication', async () => `signed in as ${(await session.signIn()).userId}`);
  await attempt('settings', async () => {
    await subject.reloadSettings();
    const status = subject.status();
    if (status.settingsError) throw new Error(status.settingsError);
    const problems = status.settingsProblems.filter((p) => !fieldProblem(p));
    if (problems.length > 0) throw new Error(problems.map((p) => `${p.recordId} ${p.field}: ${p.message}`).join('; '));
    return status.sync ? `sync ${status.sync.name}` : 'no sync configured';
  });
  await attempt('topic access', async () => {
    const info = session.current ?? (await session.signIn());
    const access = await checkTopicAccess(
      info,
      connection.pubSubEndpoint,
      [subject.topic, subject.commands.topic],
      connection.extraCaPem,
    );
    const denied = access.filter((a) => !a.canSubscribe);
    if (denied.length > 0)
      throw new Error(`the integration user cannot subscribe to ${denied.map((a) => a.topicName).join(', ')}`);
    return access.map((a) => `${a.topicName}: can subscribe`).join('; ');
  });
  await attempt('object and field permissions', async () => {
    const { settings } = subject;
    const checked = await checkMappings(
      // A passing error is asked again, and if it persists the check fails with it (not a mapping problem).
      (sobject) => retryTransient(() => describeFields(conn, sobject)),
      settings.syncId ?? connection.id,
      settings.objects,
      settings.mappings,
      (err) => classifySaveError(err).transient,
    );
    const problems = [...subject.status().settingsProblems.filter(fieldProblem), ...checked.problems];
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
    return checked.perObject
      .map((o) => `${o.sobject}: ${o.mapped} mapped fields, ${o.writable} written to Salesforce`)
      .join('; ');
  });
  await attempt('call logging', async () => {
    const { logging } = subject.settings.policy.calls;
    if (!logging.inbound && !logging.outbound) return 'the sync logs no calls';
    // The Task's own fields, as calls/callTask.ts writes them: without Edit Tasks none is createable.
    const fields = await retryTransient(() => describeFields(conn, 'Task'));
    const createable = new Set(fields.filter((f) => f.createable).map((f) => f.name));
    const missing = TASK_FIELDS.filter((name) => !createable.has(name));
    if (missing.length === TASK_FIELDS.length)
      throw new Error('the integration user cannot create Tasks: give it the Edit Tasks permission');
    if (missing.length > 0) throw new Error(`the integration user cannot set these Task fields: ${missing.join(', ')}`);
    return 'the integration user can create call Tasks';
  });
  await attempt('change events', async () => {
    const status = subject.status();
    if (status.role === 'follower') return 'another instance runs the subscribers';
    if (status.paused) return 'paused';
    if (status.subscriber !== 'subscribed') throw new Error(status.lastError ?? status.subscriber);
    return 'subscribed';
  });
  await attempt('API usage', async () => {
    const usage = await dailyApiUsage(conn);
    if (!usage) return 'not reported by the org';
    const { used, limit } = usage;
    figures.apiRequestsUsed = used;
    figures.apiRequestsMax = limit;
    const detail = `${used} of ${limit} daily API requests used`;
    if (used >= limit * API_USAGE_ALARM) throw new Error(`${detail}: write-back pauses at ${API_USAGE_ALARM * 100} %`);
    return detail;
  });
  for (const name of ORG_COUNTS) {
    await attempt(`${name} count`, async () => {
      figures[name] = await countOrgRecords(conn, name);
      return `${figures[name]} ${name}`;
    });
  }
  await attempt('internal extensions', async () => {
    const userId = session.current?.userId ?? null;
    const pulled = await pullUsersIntoDirectory(
      db,
      conn,
      connection.id,
      subject.settings.defaultCountry,
      userId,
      context.userExtensionField,
    );
    figures.internalExtensions = pulled.users;
    return `${pulled.users} users with a phone or extension: ${pulled.added} added, ${pulled.updated} updated, ${pulled.removed} removed`;
  });
  return { ok: checks.every((c) => c.ok), checks, figures };
}
