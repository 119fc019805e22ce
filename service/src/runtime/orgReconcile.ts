import type { Logger } from 'pino';
import type { Database } from '../store/types';
import { orgPause } from '../store/state/orgs';
import type { OrgSession } from '../salesforce/session';
import type { OrgSyncSettings } from '../sync/rules/context';
import { runReconcile, type ReconcileResult } from '../sync/reconcile/reconcile';
import { ReconcileScheduler, ReconcileUnavailableError } from '../sync/reconcile/reconcileScheduler';
import type { SyncConfiguration } from './syncConfiguration';
import type { PauseControl } from './pauseControl';
import type { OrgInitialSync } from './orgInitialSync';
import { pullUsersIntoDirectory } from '../sync/inbound/userDirectory';
import { failureLevel } from '../store/availability';

export interface OrgReconcileOptions {
  db: Database;
  orgId: string;
  session: OrgSession;
  settings: OrgSyncSettings;
  logger: Logger;
  config: Pick<SyncConfiguration, 'sync' | 'addProblems'>;
  pausing: Pick<PauseControl, 'paused' | 'hold'>;
  initialSync: Pick<OrgInitialSync, 'status'>;
  /** A reconcile ran to its end: a gap it was needed for is closed. */
  onReconciled: () => void;
  /** The User field holding each user's extension (default Extension). */
  userExtensionField?: string;
}

/** One org's reconcile schedule, run only while the org's state allows it. */
export function orgReconcileScheduler(options: OrgReconcileOptions): ReconcileScheduler {
  const { db, orgId, logger } = options;
  return new ReconcileScheduler({
    db,
    orgId,
    logger,
    run: () => reconcileOnce(options),
    blockedBy: () => reconcileBlockedBy(options),
  });
}

function reconcileBlockedBy({ config, pausing, initialSync }: OrgReconcileOptions): string | null {
  const { sync } = config;
  if (pausing.paused) return 'the sync is paused';
  if (initialSync.status.state === 'running') return 'the initial sync is running';
  if (!sync) return 'no sync is configured in the org';
  if (sync.status === 'NotStarted' || sync.status === 'Deleting') return `the sync is ${sync.status}`;
  return null;
}

async function reconcileOnce(options: OrgReconcileOptions): Promise<ReconcileResult> {
  const { db, orgId, session, settings, initialSync, logger } = options;
  // The lease lets any instance run it: one that did not see the pause itself reads it here.
  if (await orgPause(db, orgId)) throw new ReconcileUnavailableError('reconcile not started: the sync is paused');
  const initial = initialSync.status;
  const startedAt = initial.state === 'done' ? initial.startedAt : null;
  const result = await runReconcile(db, session, settings, { initialSyncStartedAt: startedAt });
  options.onReconciled();
  options.config.addProblems(result.problems);
  if (result.held > 0) await options.pausing.hold();
  // The org's users follow on the same schedule (not only when an admin runs the systems check): their
  // extensions name who took a call (the Task's owner) and make calls between them internal.
  try {
    const pulled = await pullUsersIntoDirectory(
      db,
      session.conn,
      orgId,
      settings.defaultCountry,
      session.current?.userId ?? null,
      options.userExtensionField,
    );
    result.internalUsers = pulled;
  } catch (err) {
    logger[failureLevel(err, 'warn')]({ err }, 'reconcile: the users could not be read; the next run tries again');
  }
  return result;
}
