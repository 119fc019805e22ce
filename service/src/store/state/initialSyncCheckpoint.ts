import type { Queryable } from '../types';
import { iso } from '../values';

/** Where one object's initial sync stands (table initial_sync_progress, migration 005). */
export interface ObjectCheckpoint {
  sobject: string;
  state: 'running' | 'done';
  /** The snapshot query this checkpoint belongs to. */
  soql: string;
  /** The Bulk API query job being read; null before it is created. */
  jobId: string | null;
  /** Sforce-Locator of the next page to read; null for the job's first page. */
  nextLocator: string | null;
  /** Id of the last record applied (the snapshot is in Id order). */
  lastRecordId: string | null;
  pagesDone: number;
  rowsDone: number;
  total: number | null;
  startedAt: string;
  finishedAt: string | null;
}

interface CheckpointDbRow {
  sobject: string;
  state: 'running' | 'done';
  soql: string;
  job_id: string | null;
  next_locator: string | null;
  last_record_id: string | null;
  pages_done: number;
  rows_done: string | number;
  total: string | number | null;
  started_at: Date;
  finished_at: Date | null;
}

const COLUMNS =
  'sobject, state, soql, job_id, next_locator, last_record_id, pages_done, rows_done, total, started_at, finished_at';

function toCheckpoint(row: CheckpointDbRow): ObjectCheckpoint {
  return {
    sobject: row.sobject,
    state: row.state,
    soql: row.soql,
    jobId: row.job_id,
    nextLocator: row.next_locator,
    lastRecordId: row.last_record_id,
    pagesDone: row.pages_done,
    // bigint arrives as a string; counts of records stay far below 2^53.
    rowsDone: Number(row.rows_done),
    total: row.total === null ? null : Number(row.total),
    startedAt: iso(row.started_at),
    finishedAt: row.finished_at === null ? null : iso(row.finished_at),
  };
}

export async function loadCheckpoints(q: Queryable, orgId: string): Promise<Map<string, ObjectCheckpoint>> {
  const { rows } = await q.query<CheckpointDbRow>(
    `SELECT ${COLUMNS} FROM initial_sync_progress WHERE org_id = $1 ORDER BY started_at, sobject`,
    [orgId],
  );
  return new Map(rows.map((row) => [row.sobject, toCheckpoint(row)]));
}

/** Starts (or starts over) one object: counters reset, no job yet. */
export async function beginObject(
  q: Queryable,
  orgId: string,
  sobject: string,
  soql: string,
  total: number,
): Promise<ObjectCheckpoint> {
  const { rows } = await q.query<CheckpointDbRow>(
    `INSERT INTO initial_sync_progress (org_id, sobject, state, soql, total)
     VALUES ($1, $2, 'running', $3, $4)
     ON CONFLICT (org_id, sobject) DO UPDATE SET state = 'running', soql = $3, total = $4, job_id = NULL, next_locator = NULL,
       last_record_id = NULL, pages_done = 0, rows_done = 0, started_at = now(), updated_at = now(), finished_at = NULL
     RETURNING ${COLUMNS}`,
    [orgId, sobject, soql, total],
  );
  return toCheckpoint(rows[0] as CheckpointDbRow);
}

/** A new query job is read from its first page on (pages and rows already applied are kept). */
export async function useJob(q: Queryable, orgId: string, sobject: string, jobId: string): Promise<void> {
  await q.query(
    `UPDATE initial_sync_progress SET job_id = $3, next_locator = NULL, updated_at = now() WHERE org_id = $1 AND sobject = $2`,
    [orgId, sobject, jobId],
  );
}

/** Call in the transaction that applied the page. */
export async function savePage(
  q: Queryable,
  orgId: string,
  sobject: string,
  page: { nextLocator: string | null; lastRecordId: string | null; rows: number },
): Promise<void> {
  await q.query(
    `UPDATE initial_sync_progress
     SET next_locator = $3, last_record_id = COALESCE($4, last_record_id), pages_done = pages_done + 1,
         rows_done = rows_done + $5, updated_at = now()
     WHERE org_id = $1 AND sobject = $2`,
    [orgId, sobject, page.nextLocator, page.lastRecordId, page.rows],
  );
}

export async function finishObject(q: Queryable, orgId: string, sobject: string): Promise<void> {
  await q.query(
    `UPDATE initial_sync_progress SET state = 'done', finished_at = now(), updated_at = now() WHERE org_id = $1 AND sobject = $2`,
    [orgId, sobject],
  );
}

/** Forgets the org's initial sync position: the next one starts from the beginning. */
export async function clearCheckpoints(q: Queryable, orgId: string): Promise<void> {
  await q.query('DELETE FROM initial_sync_progress WHERE org_id = $1', [orgId]);
}
