import type { OrgConnection, OrgSession } from '../session';
import { bulkQuery } from '../bulk/bulkQuery';
import { countSoql, selectSoql, type RecordSelection } from './soql';

/**
 * Reads of the engine's records: rows come back raw, as Salesforce sends them (REST rows with nested
 * relationship objects and `attributes`, Bulk rows flat with dotted names); the engine parses them. Every
 * call may throw what the org answers (a refused query, a session that cannot be renewed, a network
 * failure): the callers decide what that means for their run.
 */

/** A record as a query returns it, before the engine reads it. */
export type RawRecord = Record<string, unknown>;

/** The selected records, all pages fetched (jsforce's autoFetch): for small, bounded reads only. */
export async function queryRecords(conn: OrgConnection, selection: RecordSelection): Promise<RawRecord[]> {
  const { records } = await conn.query<RawRecord>(selectSoql(selection), { autoFetch: true });
  return records;
}

/** How many records the selection matches (one COUNT() query). */
export async function countRecords(conn: OrgConnection, selection: Omit<RecordSelection, 'fields'>): Promise<number> {
  const { totalSize } = await conn.query(countSoql(selection));
  return totalSize;
}

const restQueryUrl = (conn: OrgConnection, soql: string, includeDeleted: boolean) =>
  `/services/data/v${conn.version}/${includeDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`;

/**
 * The selection through the REST query API page by page (`nextRecordsUrl`), so memory holds one page
 * (≤2,000 records), not the result; a selection of deleted records runs as queryAll.
 */
export async function* queryRecordPages(conn: OrgConnection, selection: RecordSelection): AsyncGenerator<RawRecord[]> {
  let url: string | undefined = restQueryUrl(conn, selectSoql(selection), selection.deleted === true);
  while (url) {
    const page: { done: boolean; nextRecordsUrl?: string; records: RawRecord[] } = await conn.request(url);
    yield page.records;
    url = page.done ? undefined : page.nextRecordsUrl;
  }
}

/**
 * The selection through Bulk API 2.0 (one job, instead of a REST call per 2,000 records), handed over
 * `batchSize` rows at a time: for sweeps of a whole object.
 */
export function bulkRecordPages(
  session: OrgSession,
  selection: RecordSelection,
  options: { batchSize: number },
): AsyncGenerator<RawRecord[]> {
  return bulkQuery(session, selectSoql(selection), { apiVersion: session.conn.version, batchSize: options.batchSize });
}

/** Query errors by which the org refuses a condition (a field that does not exist, bad syntax, a bad operator). */
const QUERY_ERRORS = new Set(['INVALID_FIELD', 'MALFORMED_QUERY', 'INVALID_QUERY_FILTER_OPERATOR', 'INVALID_TYPE']);

/** The error code of a failed query, and whether it is one by which the org refused the query's text. */
export function queryErrorOf(err: unknown): { code: string; refusedQuery: boolean } {
  const code = (err as { errorCode?: string }).errorCode ?? (err as Error).name;
  return { code, refusedQuery: QUERY_ERRORS.has(code) };
}

/**
 * Asks the org whether it accepts a condition on an object alone (`SELECT Id … LIMIT 1`): null when it
 * does, else why not — the org's reason (Salesforce quotes the query and points at the column before
 * the reason, on the last line), or undefined when its message has none.
 */
export async function conditionRefusal(
  conn: OrgConnection,
  selection: Omit<RecordSelection, 'fields' | 'limit'>,
): Promise<{ reason: string | undefined } | null> {
  try {
    await conn.request(restQueryUrl(conn, selectSoql({ ...selection, fields: ['Id'], limit: 1 }), false));
    return null;
  } catch (probe) {
    const reason = (probe as Error).message
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .pop();
    return { reason };
  }
}
