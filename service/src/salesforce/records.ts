import type { Connection } from 'jsforce';
import type { SfValue } from '../model/records';
import { classifySaveError, type SaveOutcome } from './saveErrors';
import { runBulkIngest, type BulkIngestOptions, type IngestOperation } from './bulk/bulkIngest';
import { namespaced } from './pubsub/topics';
import { isUuid } from '../model/ids';
import { soqlString } from './queries/soql';

/** sObject Collections allow at most this many records per call. */
export const COLLECTION_LIMIT = 200;

interface RawSaveResult {
  id?: string | null;
  success: boolean;
  errors?: unknown[];
}

/**
 * Writes through jsforce: sObject Collections (one call per ≤200 records, allOrNone off, so each record
 * succeeds or fails on its own) and Bulk API 2.0 ingest for large sets. It is the write-back worker's
 * RecordWriter (sync/outbound/writeBack.ts) by structure, without importing the engine.
 */
export class JsforceRecordWriter {
  constructor(
    private readonly conn: Connection,
    private readonly bulkOptions: BulkIngestOptions = {},
    private readonly namespace = '',
  ) {}

  /**
   * The package field that carries the directory contact's id on a record (a person account has the
   * Contact field, `__pc`). Creates set it, so a create whose answer was lost can be found again.
   */
  directoryIdField(sobject: string): string {
    return namespaced(
      this.namespace,
      sobject === 'Account' ? 'Switchboard_Directory_Id__pc' : 'Switchboard_Directory_Id__c',
    );
  }

  /** The records of `sobject` that carry these directory ids (the oldest one per id), by directory id. */
  async findByDirectoryIds(sobject: string, directoryIds: string[]): Promise<Map<string, string>> {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(sobject)) throw new Error(`not an object name: ${sobject}`);
    const field = this.directoryIdField(sobject);
    const found = new Map<string, string>();
    // Directory ids are uuids, so they are safe inside the quotes; checked all the same.
    const ids = [...new Set(directoryIds)].filter((id) => isUuid(id));
    for (let i = 0; i < ids.length; i += COLLECTION_LIMIT) {
      const list = ids
        .slice(i, i + COLLECTION_LIMIT)
        .map((id) => `'${id}'`)
        .join(', ');
      const soql = `SELECT Id, ${field} FROM ${sobject} WHERE ${field} IN (${list}) ORDER BY CreatedDate, Id`;
      const result = await this.conn.query<Record<string, unknown>>(soql, { autoFetch: true, maxFetch: 100_000 });
      for (const record of result.records) {
        const directoryId = record[field];
        if (typeof directoryId === 'string' && typeof record.Id === 'string' && !found.has(directoryId))
          found.set(directoryId, record.Id);
      }
    }
    return found;
  }

  /** Tasks carrying these CallObject values (the oldest one per value), by CallObject: one query per 200 values. */
  async findTasksByCallObject(callObjects: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const values = [...new Set(callObjects)].filter((v) => v !== '');
    for (let i = 0; i < values.length; i += COLLECTION_LIMIT) {
      const list = values
        .slice(i, i + COLLECTION_LIMIT)
        .map(soqlString)
        .join(', ');
      const soql = `SELECT Id, CallObject FROM Task WHERE CallObject IN (${list}) ORDER BY CreatedDate, Id`;
      const result = await this.conn.query<Record<string, unknown>>(soql, { autoFetch: true, maxFetch: 100_000 });
      for (const record of result.records) {
        if (typeof record.CallObject === 'string' && typeof record.Id === 'string' && !found.has(record.CallObject))
          found.set(record.CallObject, record.Id);
      }
    }
    return found;
  }

  /** These fields of these records as Salesforce holds them now, by record id: one query per 200 ids. */
  async currentValues(
    sobject: string,
    recordIds: string[],
    fields: string[],
  ): Promise<Map<string, Record<string, SfValue>>> {
    const name = /^[A-Za-z][A-Za-z0-9_]*$/;
    if (!name.test(sobject)) throw new Error(`not an object name: ${sobject}`);
    const bad = fields.find((f) => !name.test(f));
    if (bad !== undefined) throw new Error(`not a field name: ${bad}`);
    const found = new Map<string, Record<string, SfValue>>();
    // Record ids are 15 or 18 letters and digits: safe inside the quotes; checked all the same.
    const ids = [...new Set(recordIds)].filter((id) => /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(id));
    const select = ['Id', ...new Set(fields.filter((f) => f !== 'Id'))].join(', ');
    for (let i = 0; i < ids.length; i += COLLECTION_LIMIT) {
      const list = ids
        .slice(i, i + COLLECTION_LIMIT)
        .map((id) => `'${id}'`)
        .join(', ');
      const soql = `SELECT ${select} FROM ${sobject} WHERE Id IN (${list})`;
      const result = await this.conn.query<Record<string, SfValue>>(soql, { autoFetch: true, maxFetch: 100_000 });
      for (const record of result.records) {
        if (typeof record.Id === 'string') found.set(record.Id, record);
      }
    }
    return found;
  }

  async update(sobject: string, records: Array<{ Id: string } & Record<string, SfValue>>): Promise<SaveOutcome[]> {
    checkSize(records.length);
    return outcomes(await this.conn.sobject(sobject).update(records, { allOrNone: false }));
  }

  async create(sobject: string, records: Array<Record<string, SfValue>>): Promise<SaveOutcome[]> {
    checkSize(records.length);
    return outcomes(await this.conn.sobject(sobject).create(records, { allOrNone: false }));
  }

  async delete(sobject: string, ids: string[]): Promise<SaveOutcome[]> {
    checkSize(ids.length);
    return outcomes(await this.conn.sobject(sobject).destroy(ids, { allOrNone: false }));
  }

  async bulk(
    sobject: string,
    operation: IngestOperation,
    rows: Array<Record<string, SfValue>>,
  ): Promise<SaveOutcome[]> {
    const results = await runBulkIngest(this.conn, sobject, operation, rows, this.bulkOptions);
    return results.map((r) => ({ id: r.id, success: r.success, errors: r.error ? [r.error] : [] }));
  }
}

function checkSize(count: number): void {
  if (count > COLLECTION_LIMIT)
    throw new Error(`sObject Collections take at most ${COLLECTION_LIMIT} records (got ${count})`);
}

function outcomes(results: RawSaveResult | RawSaveResult[]): SaveOutcome[] {
  const list = Array.isArray(results) ? results : [results];
  return list.map((r) => ({
    id: r.id ?? null,
    success: r.success,
    errors: r.success ? [] : (r.errors ?? []).map((e) => classifySaveError(e)),
  }));
}
