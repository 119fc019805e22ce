import type { SubscriberState } from '../salesforce/pubsub/subscriber';
import type { Role } from '../store/state/leadership';
import type { ApiBudgetStatus } from '../sync/outbound/apiBudget';
import type { InitialSyncStatus } from '../sync/initialSync/initialSyncStatus';
import type { HeldDeletes } from './pauseControl';
import type { ReconcileStatus } from '../sync/reconcile/reconcileScheduler';
import type { HealthCounts } from './status/statusReporter';
import type { SettingsProblem } from '../sync/rules/syncSettings';

/** How one org connection is doing, as the status API, the dashboard and the commands see it. */
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
  held: HeldDeletes | null;
  /** The org's daily API usage as write-back sees it; write-back pauses at 90 % and resumes below 75 %. */
  apiBudget: ApiBudgetStatus | null;
  /** Records in sync, excluded and failing, as of the status reporter's last flush. */
  health: HealthCounts;
}
