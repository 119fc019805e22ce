import type { Connection } from 'jsforce';
import type { SfValue } from '../model/records';
import { classifySaveError, type SaveOutcome } from './saveErrors';
import { runBulkIngest, type BulkIngestOptions, type IngestOperation } from './bulk/bulkIngest';

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
  ) {}

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
