import type { Connection } from 'jsforce';
import type { RecordUpdater, SaveOutcome } from '../sync/writeBack';
import type { SfValue } from './changeEvent';
import { classifySaveError } from './saveErrors';

/** sObject Collections through jsforce: one PATCH /composite/sobjects per ≤200 records, allOrNone off. */
export class JsforceRecordUpdater implements RecordUpdater {
  constructor(private readonly conn: Connection) {}

  async updateRecords(sobject: string, records: Array<{ Id: string } & Record<string, SfValue>>): Promise<SaveOutcome[]> {
    if (records.length > 200) throw new Error(`sObject Collections take at most 200 records (got ${records.length})`);
    const results = await this.conn.sobject(sobject).update(records, { allOrNone: false });
    const list = Array.isArray(results) ? results : [results];
    return list.map((r) => ({
      id: r.id ?? null,
      success: r.success,
      errors: r.success ? [] : (r.errors ?? []).map((e) => classifySaveError(e)),
    }));
  }
}
