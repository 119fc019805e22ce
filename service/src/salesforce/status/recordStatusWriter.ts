import type { Connection } from 'jsforce';
import { namespaced } from '../pubsub/topics';
import { classifySaveError, type SaveErrorInfo } from '../saveErrors';
import { COLLECTION_LIMIT } from '../records';
import { BulkIngestJobError, runBulkIngest, type BulkIngestOptions } from '../bulk/bulkIngest';
import { describeFields } from '../describe';
import type { SfValue } from '../../model/records';
import type { RecordStatus } from '../../model/recordStatus';

/**
 * The package's record status fields on Contact and Lead. A person account carries the Contact fields
 * with the `__pc` suffix, and only in orgs with Person Accounts.
 */
export const RECORD_STATUS_FIELDS = [
  'Switchboard_Sync_State__c',
  'Switchboard_Directory_Id__c',
  'Switchboard_Last_Synced__c',
  'Switchboard_Sync_Note__c',
];

/** Whether a field of an incoming change is one Switchboard writes itself, so it is never synced. */
export function isRecordStatusField(namespace: string, field: string): boolean {
  return RECORD_STATUS_FIELDS.some((name) => {
    const full = namespaced(namespace, name);
    return field === full || field === full.replace(/__c$/, '__pc');
  });
}

/** Switchboard_Sync_Note__c is a text field of this many characters. */
const NOTE_LENGTH = 255;

export type RecordStatusOutcome =
  | { kind: 'written' }
  /** The object has no status fields in this org (Account without Person Accounts, an older package). */
  | { kind: 'unsupported' }
  | { kind: 'failed'; error: SaveErrorInfo };

interface RawSaveResult {
  success: boolean;
  errors?: unknown[];
}

/** Above this many records of one object, the fields go by one Bulk API 2.0 job instead of Collections calls. */
export const RECORD_STATUS_BULK_THRESHOLD = 2000;

/**
 * Writes Switchboard_Sync_State__c, _Directory_Id__c, _Last_Synced__c and _Sync_Note__c on Contacts,
 * Leads and person accounts, as the integration user (whose writes the package's triggers do not
 * publish, so no change event comes back). Mixed objects go in one sObject Collections call per 200
 * (records sorted by object, so at most three chunks per call); more than 2,000 records of one object
 * (after an initial sync: every record) go in one Bulk API 2.0 update job, about six calls whatever its
 * size, instead of one call per 200.
 */
export class RecordStatusWriter {
  /** Which objects carry the fields, per describe: asked once per object. */
  private readonly support = new Map<string, Promise<boolean>>();

  constructor(
    private readonly conn: Connection,
    private readonly namespace: string,
    private readonly bulkOptions: BulkIngestOptions = {},
  ) {}

  private fieldName(sobject: string, name: string): string {
    const full = namespaced(this.namespace, name);
    return sobject === 'Account' ? full.replace(/__c$/, '__pc') : full;
  }

  /** True when the object's describe lists every status field. A failed describe is asked again next time. */
  supports(sobject: string): Promise<boolean> {
    let known = this.support.get(sobject);
    if (!known) {
      known = describeFields(this.conn, sobject).then((fields) => {
        const names = new Set(fields.map((f) => f.name));
        return RECORD_STATUS_FIELDS.every((name) => names.has(this.fieldName(sobject, name)));
      });
      known.catch(() => this.support.delete(sobject));
      this.support.set(sobject, known);
    }
    return known;
  }

  private toRecord(status: RecordStatus): Record<string, unknown> {
    const field = (name: string) => this.fieldName(status.sobject, name);
    const record: Record<string, unknown> = {
      attributes: { type: status.sobject },
      id: status.recordId,
      [field('Switchboard_Sync_State__c')]: status.state,
      [field('Switchboard_Directory_Id__c')]: status.directoryId,
      [field('Switchboard_Sync_Note__c')]:
        status.note === null
          ? null
          : status.note.length > NOTE_LENGTH
            ? `${status.note.slice(0, NOTE_LENGTH - 1)}…`
            : status.note,
    };
    if (status.syncedAt) record[field('Switchboard_Last_Synced__c')] = status.syncedAt;
    return record;
  }

  /** One outcome per status, in order. A failed call (network, session, limits) throws. */
  async write(statuses: RecordStatus[]): Promise<RecordStatusOutcome[]> {
    const outcomes: RecordStatusOutcome[] = statuses.map(() => ({ kind: 'unsupported' }));
    const writable: number[] = [];
    for (let i = 0; i < statuses.length; i++) if (await this.supports(statuses[i].sobject)) writable.push(i);
    writable.sort((a, b) => statuses[a].sobject.localeCompare(statuses[b].sobject));
    const bySobject = new Map<string, number[]>();
    for (const i of writable) {
      const group = bySobject.get(statuses[i].sobject) ?? [];
      if (group.length === 0) bySobject.set(statuses[i].sobject, group);
      group.push(i);
    }
    const small: number[] = [];
    for (const [sobject, indexes] of bySobject) {
      if (indexes.length <= RECORD_STATUS_BULK_THRESHOLD) small.push(...indexes);
      else await this.writeBulk(sobject, indexes, statuses, outcomes);
    }
    await this.writeCollections(small, statuses, outcomes);
    return outcomes;
  }

  private async writeCollections(
    writable: number[],
    statuses: RecordStatus[],
    outcomes: RecordStatusOutcome[],
  ): Promise<void> {
    for (let start = 0; start < writable.length; start += COLLECTION_LIMIT) {
      const chunk = writable.slice(start, start + COLLECTION_LIMIT);
      const results = (await this.conn.request({
        method: 'PATCH',
        url: '/composite/sobjects',
        body: JSON.stringify({ allOrNone: false, records: chunk.map((i) => this.toRecord(statuses[i])) }),
        headers: { 'content-type': 'application/json' },
      })) as RawSaveResult[];
      chunk.forEach((index, i) => {
        const result = results[i];
        outcomes[index] = result?.success
          ? { kind: 'written' }
          : { kind: 'failed', error: classifySaveError((result?.errors ?? [])[0] ?? {}) };
      });
    }
  }

  /**
   * One update job for one object. A job whose end was not seen leaves every row failed as transient:
   * writing the same status again is harmless, so the next flush simply sends them again.
   */
  private async writeBulk(
    sobject: string,
    indexes: number[],
    statuses: RecordStatus[],
    outcomes: RecordStatusOutcome[],
  ): Promise<void> {
    const rows = indexes.map((i) => {
      const { attributes: _type, id, ...fields } = this.toRecord(statuses[i]);
      return { Id: id, ...fields } as Record<string, SfValue>;
    });
    try {
      const results = await runBulkIngest(this.conn, sobject, 'update', rows, this.bulkOptions);
      indexes.forEach((index, i) => {
        const result = results[i];
        outcomes[index] = result.success
          ? { kind: 'written' }
          : { kind: 'failed', error: result.error ?? classifySaveError({}) };
      });
    } catch (err) {
      if (!(err instanceof BulkIngestJobError)) throw err;
      const error: SaveErrorInfo = { code: err.code, message: err.message, fields: [], transient: true };
      for (const index of indexes) outcomes[index] = { kind: 'failed', error };
    }
  }
}
