import type { Logger } from 'pino';
import type { Database } from '../store/types';
import type { OrgSession } from '../salesforce/session';
import { bulkQuery } from '../salesforce/bulkQuery';
import type { SfChangeRecord, SyncedObject } from '../salesforce/changeEvent';
import { applyUpsert } from './applyChange';
import { mappingsFor } from './fieldMap';
import type { OrgSyncSettings } from './context';

export interface InitialSyncResult {
  perObject: Partial<Record<SyncedObject, number>>;
  records: number;
  ms: number;
}

export interface InitialSyncOptions {
  apiVersion: string;
  /** Records applied per database transaction. */
  batchSize?: number;
  /** After every batch: the object being loaded and the records applied so far in all. */
  onProgress?(object: SyncedObject, total: number): void;
}

/**
 * Loads every in-scope record of every enabled object into the directory: a streamed Bulk API 2.0 query
 * per object, applied in batches through the same rules as change events (link, match, stale check), so
 * a change event that arrived during the snapshot is never overwritten by an older snapshot row.
 * The subscriber must be live before this starts, so nothing changed during the snapshot is lost.
 */
export async function runInitialSync(
  db: Database,
  session: OrgSession,
  settings: OrgSyncSettings,
  logger: Logger,
  options: InitialSyncOptions,
): Promise<InitialSyncResult> {
  const started = Date.now();
  const result: InitialSyncResult = { perObject: {}, records: 0, ms: 0 };
  for (const objectName of settings.objects) {
    const soql = await snapshotQuery(session, settings, objectName);
    if (!soql) {
      logger.info({ object: objectName }, 'initial sync skips an object this org does not have');
      continue;
    }
    let applied = 0;
    for await (const rows of bulkQuery(session, soql, { apiVersion: options.apiVersion, batchSize: options.batchSize ?? 500 })) {
      await db.transaction(async (tx) => {
        for (const row of rows) await applyUpsert(tx, settings, objectName, toChangeRecord(row), 'initial sync');
      });
      applied += rows.length;
      options.onProgress?.(objectName, result.records + applied);
    }
    result.perObject[objectName] = applied;
    result.records += applied;
    logger.info({ object: objectName, records: applied }, 'initial sync loaded an object');
  }
  result.ms = Date.now() - started;
  return result;
}

/** The SOQL for one object's snapshot, or null when the org lacks the object (Person Accounts off). */
async function snapshotQuery(session: OrgSession, settings: OrgSyncSettings, objectName: SyncedObject): Promise<string | null> {
  const fields = new Set(['Id', 'SystemModstamp']);
  for (const mapping of mappingsFor(settings.mappings, objectName)) fields.add(mapping.sfField);
  if (objectName !== 'Account') return `SELECT ${[...fields].join(', ')} FROM ${objectName}`;
  const describe = await session.conn.sobject('Account').describe();
  if (!describe.fields.some((f) => f.name === 'IsPersonAccount')) return null;
  return `SELECT ${[...fields].join(', ')} FROM Account WHERE IsPersonAccount = true`;
}

function toChangeRecord(row: Record<string, string | null>): SfChangeRecord {
  const { Id, SystemModstamp, ...values } = row;
  if (!Id) throw new Error('Bulk API row without an Id');
  return { id: Id, systemModstamp: SystemModstamp ?? null, values };
}
