import type { Logger } from 'pino';
import type { Database } from '../../store/types';
import type { OrgSession } from '../../salesforce/session';
import { BulkResultsGoneError, resultPages, runQueryJob, type ResultsPage } from '../../salesforce/bulk/bulkQuery';
import { hasPersonAccounts } from '../../salesforce/describe';
import { countRecords } from '../../salesforce/queries/recordQueries';
import { selectSoql, type RecordSelection } from '../../salesforce/queries/soql';
import type { SyncedObject } from '../../model/records';
import { mappingsFor } from '../rules/fieldMap';
import { scopeWhere } from '../rules/scope';
import {
  beginObject,
  finishObject,
  loadCheckpoints,
  savePage,
  useJob,
  type ObjectCheckpoint,
} from '../../store/state/initialSyncCheckpoint';
import { applySnapshotPage, prepareRowsInSlices, type PageOutcome, type SnapshotRow } from './initialSyncPage';
import {
  pendingInitialSync,
  ProgressTracker,
  statusFromCheckpoints,
  type InitialSyncStatus,
} from './initialSyncStatus';
import { queueTelephonyOnlyContacts } from './telephonyOnlyPush';
import { refreshLoadedTableStatistics, statisticsDueAfterPage } from '../../store/plannerStatistics';
import type { OrgSyncSettings } from '../rules/context';
import { isSalesforceId } from '../../model/ids';

export interface InitialSyncResult {
  perObject: Partial<Record<SyncedObject, number>>;
  /** Records applied in this run (a resumed run does not count what was applied before). */
  records: number;
  /** Telephony-born contacts queued to be created in Salesforce, and those the create rules exclude. */
  pushed: { queued: number; excluded: number };
  ms: number;
}

export interface InitialSyncOptions {
  apiVersion: string;
  /** Records per Bulk API results page, and so per directory transaction and checkpoint. */
  pageSize?: number;
  /** Stops between pages (and aborts a download): the checkpoint keeps what was applied. */
  signal?: AbortSignal;
  /** After every page, and when an object starts or ends. */
  onProgress?(progress: ReturnType<ProgressTracker['snapshot']>): void;
}

export const DEFAULT_PAGE_SIZE = 10_000;
/** A page that meets a record linked meanwhile by a change event is tried again, this many times. */
const PAGE_ATTEMPTS = 3;

interface Run {
  db: Database;
  session: OrgSession;
  settings: OrgSyncSettings;
  logger: Logger;
  options: InitialSyncOptions;
  tracker: ProgressTracker;
}

/**
 * Loads every in-scope record of every enabled object into the directory, resumably: per object a Bulk
 * API 2.0 query (ordered by Id), read page by page along Sforce-Locator; each page is written in one
 * transaction together with its checkpoint (job, next locator, last Id). A restart continues with the
 * stored job at the stored locator; when the job's results are gone it queries again from
 * `Id > last Id` — exact because the snapshot is in Id order. ORDER BY costs the platform its PK
 * chunking; for the directory sizes this serves (millions, not hundreds of millions) the ordered query
 * completes, and it is what makes an interrupted load resumable without reading it all again.
 *
 * The subscriber must be live before this starts, so nothing changed during the snapshot is lost; an
 * event applied before an older snapshot row makes that row stale (applyUpsert's SystemModstamp check).
 * Afterwards, telephony-born contacts unknown to the org are queued to be created there.
 */
export async function runInitialSync(
  db: Database,
  session: OrgSession,
  settings: OrgSyncSettings,
  logger: Logger,
  options: InitialSyncOptions,
): Promise<InitialSyncResult> {
  const started = Date.now();
  const checkpoints = await loadCheckpoints(db, settings.orgId);
  const run: Run = {
    db,
    session,
    settings,
    logger,
    options,
    tracker: new ProgressTracker(settings.objects, checkpoints),
  };
  const result: InitialSyncResult = { perObject: {}, records: 0, pushed: { queued: 0, excluded: 0 }, ms: 0 };
  // Every object is counted before the first is loaded, so the total (and the ETA) covers the whole run.
  const planned: Array<[SyncedObject, ObjectCheckpoint | null]> = [];
  for (const objectName of settings.objects)
    planned.push([objectName, await planObject(run, objectName, checkpoints.get(objectName))]);
  for (const [objectName, checkpoint] of planned) {
    options.signal?.throwIfAborted();
    const applied = checkpoint && checkpoint.state !== 'done' ? await loadObject(run, objectName, checkpoint) : 0;
    result.perObject[objectName] = applied;
    result.records += applied;
  }
  result.pushed = await queueTelephonyOnlyContacts(db, settings, options.signal);
  if (result.pushed.queued + result.pushed.excluded > 0)
    logger.info(result.pushed, 'initial sync queued telephony-only contacts for Salesforce');
  result.ms = Date.now() - started;
  return result;
}

/**
 * What a starting service shows before any run: the saved outcome of a completed initial sync, or else the
 * progress its checkpoints hold (an interrupted one resumes from there).
 */
export async function storedInitialSyncStatus(
  db: Database,
  orgId: string,
  objects: SyncedObject[],
  saved: unknown,
): Promise<InitialSyncStatus> {
  if (typeof saved === 'object' && saved !== null && (saved as { state?: unknown }).state === 'done') {
    // Saved by an earlier version, it may lack the progress fields.
    return { ...pendingInitialSync(), ...(saved as Partial<InitialSyncStatus>) };
  }
  return statusFromCheckpoints(objects, await loadCheckpoints(db, orgId));
}

/**
 * The object's checkpoint to load from: the stored one, or a new one with the object's count when there
 * is none or it belongs to another query (mappings or scope changed since: rows loaded under the old
 * query lack fields, so the object starts over). null when the org does not have the object.
 */
async function planObject(
  run: Run,
  objectName: SyncedObject,
  stored: ObjectCheckpoint | undefined,
): Promise<ObjectCheckpoint | null> {
  const { db, session, settings, logger, tracker } = run;
  const soql = await snapshotQuery(session, settings, objectName);
  if (!soql) {
    logger.info({ object: objectName }, 'initial sync skips an object this org does not have');
    tracker.finish(objectName);
    return null;
  }
  let checkpoint = stored;
  if (!checkpoint || checkpoint.soql !== soql) {
    const total = await countRecords(session.conn, {
      sobject: objectName,
      condition: scopeWhere(settings.policy, objectName),
    });
    checkpoint = await beginObject(db, settings.orgId, objectName, soql, total);
  }
  if (checkpoint.state === 'done') tracker.finish(objectName);
  else tracker.plan(objectName, checkpoint.total, checkpoint.rowsDone, checkpoint.pagesDone);
  run.options.onProgress?.(tracker.snapshot());
  return checkpoint;
}

/** One object, from its checkpoint on. Returns the records applied in this run. */
async function loadObject(run: Run, objectName: SyncedObject, checkpoint: ObjectCheckpoint): Promise<number> {
  const { db, session, settings, logger, tracker, options } = run;
  const soql = checkpoint.soql;
  tracker.start(objectName);
  if (checkpoint.pagesDone > 0)
    logger.info(
      { object: objectName, pages: checkpoint.pagesDone, records: checkpoint.rowsDone },
      'initial sync resumes',
    );

  const position = {
    jobId: checkpoint.jobId,
    locator: checkpoint.nextLocator,
    lastRecordId: checkpoint.lastRecordId,
    pages: checkpoint.pagesDone,
  };
  let applied = 0;
  // Where the time goes, for the log: waiting for Salesforce's pages vs writing them, and within the
  // writes, the lookups, the set-based statements and the per-record rules.
  const timing = { writeMs: 0, waitMs: 0, lookupMs: 0, batchMs: 0, perRecordMs: 0 };
  for (let attempt = 1; ; attempt++) {
    try {
      if (!position.jobId) {
        const query = position.lastRecordId
          ? selectSoql({ ...snapshot(settings, objectName), idAfter: checkpointId(position.lastRecordId) })
          : soql;
        position.jobId = await runQueryJob(session, query, { apiVersion: options.apiVersion, signal: options.signal });
        position.locator = null;
        await useJob(db, settings.orgId, objectName, position.jobId);
      }
      const pages = resultPages(session, position.jobId, {
        apiVersion: options.apiVersion,
        maxRecordsPerPage: options.pageSize ?? DEFAULT_PAGE_SIZE,
        from: position.locator,
        signal: options.signal,
      });
      let waited = Date.now();
      for await (const { page, rows } of prepared(pages, settings, objectName)) {
        const writing = Date.now();
        timing.waitMs += writing - waited;
        const outcome = await writePage(run, objectName, page, rows, position.pages + 1);
        timing.writeMs += Date.now() - writing;
        timing.lookupMs += outcome.ms.lookup;
        timing.batchMs += outcome.ms.batch;
        timing.perRecordMs += outcome.ms.perRecord;
        position.locator = page.nextLocator;
        position.lastRecordId = rows[rows.length - 1]?.record.id ?? position.lastRecordId;
        position.pages++;
        applied += rows.length;
        tracker.page(objectName, rows.length);
        if (statisticsDueAfterPage(position.pages)) await refreshLoadedTableStatistics(db);
        options.onProgress?.(tracker.snapshot());
        if (outcome.perRecord > rows.length / 2)
          logger.debug({ object: objectName, ...outcome }, 'initial sync page mostly took the per-record rules');
        if (page.nextLocator !== null) options.signal?.throwIfAborted();
        waited = Date.now();
      }
      break;
    } catch (err) {
      if (!(err instanceof BulkResultsGoneError) || attempt >= 2) throw err;
      logger.warn(
        { object: objectName, job: position.jobId, lastRecordId: position.lastRecordId, reason: err.message },
        'the query job results are gone; querying again after the last record applied',
      );
      position.jobId = null;
    }
  }
  tracker.finish(objectName);
  await refreshLoadedTableStatistics(db);
  options.onProgress?.(tracker.snapshot());
  const ms = Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, Math.round(v)]));
  logger.info({ object: objectName, records: applied, ...ms }, 'initial sync loaded an object');
  return applied;
}

/**
 * The pages with their rows mapped, one page ahead: the next page is downloaded, parsed and mapped while
 * the current one is being written, so the service's CPU and the database work side by side.
 */
async function* prepared(
  pages: AsyncGenerator<ResultsPage>,
  settings: OrgSyncSettings,
  objectName: SyncedObject,
): AsyncGenerator<{ page: ResultsPage; rows: SnapshotRow[] }> {
  const pull = () =>
    pages
      .next()
      .then(async (next) =>
        next.done ? null : { page: next.value, rows: await prepareRowsInSlices(settings, objectName, next.value.rows) },
      );
  let ahead = pull();
  try {
    for (;;) {
      const current = await ahead;
      if (!current) return;
      ahead = pull();
      // Awaited on the next turn; until then a failure must not count as unhandled.
      ahead.catch(() => undefined);
      yield current;
    }
  } finally {
    await ahead.catch(() => undefined);
    await pages.return(undefined);
  }
}

/** One page and its checkpoint in one transaction; again when a change event linked one of its records meanwhile. */
async function writePage(
  run: Run,
  objectName: SyncedObject,
  page: ResultsPage,
  rows: SnapshotRow[],
  pageNumber: number,
): Promise<PageOutcome> {
  const { db, settings } = run;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const outcome = await applySnapshotPage(
          tx,
          settings,
          objectName,
          rows,
          `initial sync ${objectName} page ${pageNumber}`,
        );
        await savePage(tx, settings.orgId, objectName, {
          nextLocator: page.nextLocator,
          lastRecordId: rows[rows.length - 1]?.record.id ?? null,
          rows: rows.length,
        });
        if (page.nextLocator === null) await finishObject(tx, settings.orgId, objectName);
        return outcome;
      });
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= PAGE_ATTEMPTS) throw err;
      run.logger.debug(
        { object: objectName, page: pageNumber },
        'a record of the page was linked meanwhile; writing the page again',
      );
    }
  }
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/** One object's snapshot: its in-scope records with the mapped fields, in Id order (what makes it resumable). */
function snapshot(settings: OrgSyncSettings, objectName: SyncedObject): RecordSelection {
  const fields = ['Id', 'SystemModstamp', ...mappingsFor(settings.mappings, objectName).map((m) => m.sfField)];
  return { sobject: objectName, fields, condition: scopeWhere(settings.policy, objectName), orderById: true };
}

/** The SOQL for one object's snapshot, or null when the org lacks the object (Person Accounts off). */
async function snapshotQuery(
  session: OrgSession,
  settings: OrgSyncSettings,
  objectName: SyncedObject,
): Promise<string | null> {
  if (objectName === 'Account' && !(await hasPersonAccounts(session.conn))) return null;
  return selectSoql(snapshot(settings, objectName));
}

/** The last record id of our own checkpoint, checked before a query resumes after it. */
function checkpointId(recordId: string): string {
  if (!isSalesforceId(recordId))
    throw new Error(`initial sync checkpoint: "${recordId}" is not a Salesforce record id`);
  return recordId;
}
