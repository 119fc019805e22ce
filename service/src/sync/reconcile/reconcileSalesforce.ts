import type { Connection } from 'jsforce';
import type { Database } from '../../store/types';
import { linkedRecordIds } from '../../store/state/links';
import type { DeleteCandidate, SfChangeRecord, SyncedObject } from '../../model/records';
import type { OrgSession } from '../../salesforce/session';
import { bulkQuery } from '../../salesforce/bulk/bulkQuery';
import type { OrgSyncSettings } from '../rules/context';
import type { SettingsProblem } from '../rules/syncSettings';
import { applyUpsert } from '../inbound/applyChange';
import { mappingsFor } from '../rules/fieldMap';
import { outOfScopeWhere, ScopeError, SCOPE_FIELDS, scopedQuery, soqlDateTime } from '../rules/scope';
import { toChangeRecord } from '../inbound/syncRecordsNow';

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
  const result: ObjectReconcileResult = { objectName, checked: 0, repaired: 0, excluded: 0, gone: [], newest: null, problem: null };
  const extra = since ? [`SystemModstamp > ${soqlDateTime(new Date(Date.parse(since) - WATERMARK_OVERLAP_MS))}`] : [];
  const fields = ['Id', 'SystemModstamp', ...mappingsFor(settings.mappings, objectName).map((m) => m.sfField)];
  const seen = (stamp: unknown) => {
    if (typeof stamp !== 'string') return;
    const at = new Date(stamp).toISOString();
    if (result.newest === null || at > result.newest) result.newest = at;
  };
  try {
    for await (const records of changedRecords(session, scopedQuery(fields, settings.policy, objectName, extra), fields, since === null)) {
      await db.transaction(async (tx) => {
        for (const record of records) {
          seen(record.systemModstamp);
          const { outcome } = await applyUpsert(tx, settings, objectName, record, 'reconcile');
          if (REPAIRS.has(outcome)) result.repaired++;
          if (outcome === 'excluded') result.excluded++;
        }
      });
      result.checked += records.length;
    }
    const outside = outOfScopeWhere(settings.policy, objectName, extra);
    if (outside) await collectGone(db, conn, settings.orgId, `SELECT Id, SystemModstamp FROM ${objectName} WHERE ${outside}`, false, objectName, 'out-of-scope', result, seen);
    const deleted = ['IsDeleted = true', ...extra].join(' AND ');
    await collectGone(db, conn, settings.orgId, `SELECT Id, SystemModstamp FROM ${objectName} WHERE ${deleted}`, true, objectName, 'deleted', result, seen);
  } catch (err) {
    const problem = await scopeProblemOf(err, conn, settings, objectName);
    if (!problem) throw err;
    return { ...result, problem };
  }
  return result;
}

async function collectGone(
  db: Database,
  conn: Connection,
  orgId: string,
  soql: string,
  includeDeleted: boolean,
  objectName: SyncedObject,
  cause: DeleteCandidate['cause'],
  result: ObjectReconcileResult,
  seen: (stamp: unknown) => void,
): Promise<void> {
  for await (const rows of restQuery(conn, soql, includeDeleted)) {
    result.checked += rows.length;
    for (const row of rows) seen(row.SystemModstamp);
    // Only linked records matter; keeping just those holds memory to the deletes, not the whole sweep.
    for (const recordId of await linkedRecordIds(db, orgId, rows.map((r) => String(r.Id)))) result.gone.push({ recordId, sobject: objectName, cause });
  }
}

/**
 * The records of a query as change records: a full sweep through Bulk API 2.0 (one job, instead of a REST
 * call per 2,000 records), a delta since a watermark through REST (no job to create and poll).
 */
async function* changedRecords(session: OrgSession, soql: string, fields: string[], full: boolean): AsyncGenerator<SfChangeRecord[]> {
  const pages = full ? bulkQuery(session, soql, { apiVersion: session.conn.version, batchSize: 2000 }) : restQuery(session.conn, soql, false);
  for await (const rows of pages) yield rows.map((row) => toChangeRecord(row, fields));
}

/** A REST query page by page (`nextRecordsUrl`), so memory holds one page (≤2,000 records), not the result. */
async function* restQuery(conn: Connection, soql: string, includeDeleted: boolean): AsyncGenerator<Array<Record<string, unknown>>> {
  let url: string | undefined = `/services/data/v${conn.version}/${includeDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`;
  while (url) {
    const page: { done: boolean; nextRecordsUrl?: string; records: Array<Record<string, unknown>> } = await conn.request(url);
    yield page.records;
    url = page.done ? undefined : page.nextRecordsUrl;
  }
}

/** Query errors by which the org refuses a condition (a field that does not exist, bad syntax, a bad operator). */
const QUERY_ERRORS = new Set(['INVALID_FIELD', 'MALFORMED_QUERY', 'INVALID_QUERY_FILTER_OPERATOR', 'INVALID_TYPE']);

/**
 * The scope problem behind a failed query, or null when the failure is something else. The service's own
 * check fails with ScopeError; for an org error the scope alone is tried, so a bad mapped field is not
 * blamed on the scope.
 */
async function scopeProblemOf(err: unknown, conn: Connection, settings: OrgSyncSettings, objectName: SyncedObject): Promise<SettingsProblem | null> {
  const recordId = settings.syncId ?? settings.orgId;
  if (err instanceof ScopeError) return { recordId, field: err.field, message: err.reason };
  const code = (err as { errorCode?: string }).errorCode ?? (err as Error).name;
  const scope = settings.policy.scope[objectName];
  if (!scope || !QUERY_ERRORS.has(code)) return null;
  try {
    await conn.request(`/services/data/v${conn.version}/query?q=${encodeURIComponent(scopedQuery(['Id'], settings.policy, objectName) + ' LIMIT 1')}`);
    return null;
  } catch (probe) {
    // Salesforce quotes the query and points at the column before the reason, on the last line.
    const reason = (probe as Error).message.split('\n').map((line) => line.trim()).filter(Boolean).pop();
    return { recordId, field: SCOPE_FIELDS[objectName], message: `Salesforce refused the condition: ${reason ?? code}` };
  }
}
