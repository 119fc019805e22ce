import type { Database } from '../../store/types';
import { findOrgLinksByRecords, linkedRecordIds } from '../../store/state/links';
import type { DeleteCandidate, SfChangeRecord, SyncedObject } from '../../model/records';
import type { OrgConnection, OrgSession } from '../../salesforce/session';
import {
  bulkRecordPages,
  conditionRefusal,
  queryErrorOf,
  queryRecordPages,
} from '../../salesforce/queries/recordQueries';
import type { RecordSelection } from '../../salesforce/queries/soql';
import type { OrgSyncSettings } from '../rules/context';
import type { SettingsProblem } from '../rules/syncSettings';
import { applyUpsert } from '../inbound/applyChange';
import { mappingsFor } from '../rules/fieldMap';
import { outOfScopeWhere, ScopeError, SCOPE_FIELDS, scopeWhere } from '../rules/scope';
import { toChangeRecord } from '../inbound/syncRecordsNow';
import { unchangedForLink } from '../rules/unchangedRecord';

/**
 * How far before the watermark each query reaches back. SystemModstamp is stamped when a record is
 * saved, not when its transaction commits, so a long transaction can commit a change stamped before the
 * watermark a concurrent run just took; looking back this far catches it. Re-reading a record is cheap:
 * applying it again is a no-op (stale and unchanged checks).
 */
export const WATERMARK_OVERLAP_MS = 2 * 60_000;

/** Outcomes of applyUpsert that changed the directory: drift the events did not carry. */
const REPAIRS = new Set(['created', 'linked', 'updated']);

export interface ObjectReconcileResult {
  objectName: SyncedObject;
  checked: number;
  repaired: number;
  excluded: number;
  /** Linked records gone from the sync (deleted, or out of scope), for the deletes path and its guard. */
  gone: DeleteCandidate[];
  /** The newest SystemModstamp seen (the next watermark), or null when nothing was returned. */
  newest: string | null;
  /** A scope the org refused: the object was skipped. */
  problem: SettingsProblem | null;
}

/**
 * One object's Salesforce side of a reconcile: the in-scope records changed since `since` (every one when
 * null) applied through the same rules as change events, one transaction per query page; linked records
 * deleted since (queryAll, IsDeleted) or outside the scope collected for the deletes path. A scope the org
 * (or the service) refuses is reported as a problem of its scope field, and the object is skipped: loading
 * it without its scope would sync records the admin left out.
 */
export async function reconcileSalesforceObject(
  db: Database,
  session: OrgSession,
  settings: OrgSyncSettings,
  objectName: SyncedObject,
  since: string | null,
): Promise<ObjectReconcileResult> {
  const conn = session.conn;
  const result: ObjectReconcileResult = {
    objectName,
    checked: 0,
    repaired: 0,
    excluded: 0,
    gone: [],
    newest: null,
    problem: null,
  };
  const modifiedAfter = since ? new Date(Date.parse(since) - WATERMARK_OVERLAP_MS) : undefined;
  const fields = ['Id', 'SystemModstamp', ...mappingsFor(settings.mappings, objectName).map((m) => m.sfField)];
  const seen = (stamp: unknown) => {
    if (typeof stamp !== 'string') return;
    const at = new Date(stamp).toISOString();
    if (result.newest === null || at > result.newest) result.newest = at;
  };
  try {
    const changed = { sobject: objectName, fields, condition: scopeWhere(settings.policy, objectName), modifiedAfter };
    for await (const records of changedRecords(session, changed, since === null)) {
      for (const record of records) seen(record.systemModstamp);
      // Most records come back as their links saw them (after a load, the status fields written to every record
      // stamped them all): those are passed over on one read of the page's links, the rest applied.
      const links = await findOrgLinksByRecords(
        db,
        settings.orgId,
        records.map((r) => r.id),
      );
      const toApply = records.filter((r) => {
        const link = links.get(r.id);
        return !link || !unchangedForLink(settings, objectName, r, link);
      });
      if (toApply.length > 0)
        await db.transaction(async (tx) => {
          for (const record of toApply) {
            const { outcome } = await applyUpsert(tx, settings, objectName, record, 'reconcile');
            if (REPAIRS.has(outcome)) result.repaired++;
            if (outcome === 'excluded') result.excluded++;
          }
        });
      result.checked += records.length;
    }
    const gone = { sobject: objectName, fields: ['Id', 'SystemModstamp'], modifiedAfter };
    const outside = outOfScopeWhere(settings.policy, objectName);
    if (outside)
      await collectGone(db, conn, settings.orgId, { ...gone, condition: outside }, 'out-of-scope', result, seen);
    await collectGone(db, conn, settings.orgId, { ...gone, deleted: true }, 'deleted', result, seen);
  } catch (err) {
    const problem = await scopeProblemOf(err, conn, settings, objectName);
    if (!problem) throw err;
    return { ...result, problem };
  }
  return result;
}

/** The linked records among those the selection finds (deleted, or out of scope), as delete candidates. */
async function collectGone(
  db: Database,
  conn: OrgConnection,
  orgId: string,
  selection: RecordSelection & { sobject: SyncedObject },
  cause: DeleteCandidate['cause'],
  result: ObjectReconcileResult,
  seen: (stamp: unknown) => void,
): Promise<void> {
  for await (const rows of queryRecordPages(conn, selection)) {
    result.checked += rows.length;
    for (const row of rows) seen(row.SystemModstamp);
    // Only linked records matter; keeping just those holds memory to the deletes, not the whole sweep.
    for (const recordId of await linkedRecordIds(
      db,
      orgId,
      rows.map((r) => String(r.Id)),
    ))
      result.gone.push({ recordId, sobject: selection.sobject, cause });
  }
}

/**
 * The records of a query as change records: a full sweep through Bulk API 2.0 (one job, instead of a REST
 * call per 2,000 records), a delta since a watermark through REST (no job to create and poll).
 */
async function* changedRecords(
  session: OrgSession,
  selection: RecordSelection & { fields: string[] },
  full: boolean,
): AsyncGenerator<SfChangeRecord[]> {
  const pages = full
    ? bulkRecordPages(session, selection, { batchSize: 2000 })
    : queryRecordPages(session.conn, selection);
  for await (const rows of pages) yield rows.map((row) => toChangeRecord(row, selection.fields));
}

/**
 * The scope problem behind a failed query, or null when the failure is something else. The service's own
 * check fails with ScopeError; for an org error the scope alone is tried, so a bad mapped field is not
 * blamed on the scope.
 */
async function scopeProblemOf(
  err: unknown,
  conn: OrgConnection,
  settings: OrgSyncSettings,
  objectName: SyncedObject,
): Promise<SettingsProblem | null> {
  const recordId = settings.syncId ?? settings.orgId;
  if (err instanceof ScopeError) return { recordId, field: err.field, message: err.reason };
  const { code, refusedQuery } = queryErrorOf(err);
  const scope = settings.policy.scope[objectName];
  if (!scope || !refusedQuery) return null;
  const refusal = await conditionRefusal(conn, {
    sobject: objectName,
    condition: scopeWhere(settings.policy, objectName),
  });
  if (!refusal) return null;
  return {
    recordId,
    field: SCOPE_FIELDS[objectName],
    message: `Salesforce refused the condition: ${refusal.reason ?? code}`,
  };
}
