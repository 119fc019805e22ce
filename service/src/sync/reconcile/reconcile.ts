import type { Database } from '../../store/types';
import type { OrgSession } from '../../salesforce/session';
import { hasPersonAccounts } from '../../salesforce/describe';
import type { DeleteCandidate, SyncedObject } from '../../model/records';
import type { OrgSyncSettings } from '../rules/context';
import type { SettingsProblem } from '../rules/syncSettings';
import { recordAudit } from '../../store/audit';
import { applySalesforceDeletes } from '../inbound/deletes';
import { reconcileSalesforceObject } from './reconcileSalesforce';
import { reconcileTelephony } from './reconcileTelephony';
import { TELEPHONY_STREAM, getWatermarks, saveWatermark, type Watermark } from '../../store/state/reconcileState';
import { stableHash } from '../rules/hash';

export interface ReconcileCounts {
  /** Records and contacts looked at, on both sides. */
  checked: number;
  /** Drift repaired: directory contacts created, linked or updated, and missing write-backs queued. */
  repaired: number;
  /** Directory contacts removed or unlinked because their record was deleted or left the scope. */
  deleted: number;
  /** Records a validity rule keeps out of the directory. */
  excluded: number;
  /** Deletes the mass-deletion guard held for an admin. */
  held: number;
}

export interface ReconcileResult extends ReconcileCounts {
  startedAt: string;
  ms: number;
  perObject: Partial<Record<SyncedObject, { checked: number; repaired: number; excluded: number; gone: number }>>;
  /** Linked contacts read and compared; passed over as their link saw them (no read); repaired. */
  telephony: { checked: number; unchanged: number; repaired: number };
  /** Scopes the org refused (their objects were skipped). */
  problems: SettingsProblem[];
  /** Why deletes were held, when they were: the org must pause. */
  heldReason: string | null;
  /** The org's users pulled in as internal extensions after the run (runtime/orgReconcile.ts), when it could. */
  internalUsers?: { users: number; added: number; updated: number; removed: number };
}

export interface ReconcileOptions {
  /** When the org's last completed initial sync started: it covered everything before. */
  initialSyncStartedAt: string | null;
}

const later = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a > b ? a : b);

/**
 * One reconcile of one org: per enabled object, the Salesforce changes since its watermark (a changed
 * scope sweeps the object whole, once), then the directory changes since the telephony watermark; then the
 * records gone from the sync, all objects together, through the deletes path and its mass-deletion guard
 * (this run is the guard's unit). The deletes, the new watermarks and the summary audit entry commit in one
 * transaction, after every page of repairs has committed: a run that dies half-way starts again from the
 * old watermarks, and repeating a repair is a no-op.
 *
 * Limits: deleted records are found while Salesforce keeps them in the recycle bin (15 days), so a sync
 * paused longer misses hard-purged ones; a scope on a parent's field (Account.Type) changes no child
 * SystemModstamp, so a record that leaves the scope that way is found at the next scope-change sweep.
 */
export async function runReconcile(
  db: Database,
  session: OrgSession,
  settings: OrgSyncSettings,
  options: ReconcileOptions,
): Promise<ReconcileResult> {
  const started = Date.now();
  if (!session.current) await session.signIn();
  const marks = await getWatermarks(db, settings.orgId);
  const result: ReconcileResult = {
    startedAt: new Date(started).toISOString(),
    ms: 0,
    checked: 0,
    repaired: 0,
    deleted: 0,
    excluded: 0,
    held: 0,
    perObject: {},
    telephony: { checked: 0, unchanged: 0, repaired: 0 },
    problems: [],
    heldReason: null,
  };
  const gone: DeleteCandidate[] = [];
  const advance: Array<[string, Watermark]> = [];

  for (const objectName of settings.objects) {
    // Person Accounts exist only where the org turned them on; elsewhere Account is not synced.
    if (objectName === 'Account' && !(await hasPersonAccounts(session.conn))) continue;
    const scopeHash = stableHash(settings.policy.scope[objectName] ?? null);
    const mark = marks.get(objectName);
    const since = !mark
      ? options.initialSyncStartedAt
      : mark.scopeHash === scopeHash
        ? later(mark.at, options.initialSyncStartedAt)
        : null;
    const done = await reconcileSalesforceObject(db, session, settings, objectName, since);
    if (done.problem) {
      result.problems.push(done.problem);
      continue;
    }
    result.perObject[objectName] = {
      checked: done.checked,
      repaired: done.repaired,
      excluded: done.excluded,
      gone: done.gone.length,
    };
    result.checked += done.checked;
    result.repaired += done.repaired;
    result.excluded += done.excluded;
    gone.push(...done.gone);
    const at = later(done.newest, since);
    if (at) advance.push([objectName, { at, scopeHash }]);
  }

  const telephonySince = later(marks.get(TELEPHONY_STREAM)?.at ?? null, options.initialSyncStartedAt);
  const telephonySide = await reconcileTelephony(db, settings, telephonySince);
  result.telephony = {
    checked: telephonySide.checked,
    unchanged: telephonySide.unchanged,
    repaired: telephonySide.repaired,
  };
  result.checked += telephonySide.checked;
  result.repaired += telephonySide.repaired;
  const telephonyAt = later(telephonySide.newest, telephonySince);
  if (telephonyAt) advance.push([TELEPHONY_STREAM, { at: telephonyAt, scopeHash: null }]);

  await db.transaction(async (tx) => {
    const deletes = await applySalesforceDeletes(tx, settings, gone, 'reconcile', 'reconcile');
    result.deleted = deletes.outcomes.filter((o) => o.outcome === 'deleted' || o.outcome === 'unlinked').length;
    result.held = deletes.outcomes.filter((o) => o.outcome === 'held').length;
    result.heldReason = deletes.held?.reason ?? null;
    for (const [stream, mark] of advance) await saveWatermark(tx, settings.orgId, stream, mark);
    result.ms = Date.now() - started;
    await recordAudit(tx, {
      orgId: settings.orgId,
      contactId: null,
      recordId: null,
      origin: 'system',
      action: 'reconcile',
      rule: summary(result),
      before: null,
      after: { ...counts(result), perObject: result.perObject, telephony: result.telephony, problems: result.problems },
    });
  });
  return result;
}

export function counts(result: ReconcileCounts): ReconcileCounts {
  const { checked, repaired, deleted, excluded, held } = result;
  return { checked, repaired, deleted, excluded, held };
}

export function summary(result: ReconcileResult): string {
  const parts = [
    `checked ${result.checked}`,
    `repaired ${result.repaired}`,
    `deleted ${result.deleted}`,
    `excluded ${result.excluded}`,
  ];
  if (result.held > 0) parts.push(`held ${result.held} deletes`);
  if (result.problems.length > 0) parts.push(`skipped ${result.problems.map((p) => p.field).join(', ')}`);
  return `reconcile: ${parts.join(', ')}`;
}
