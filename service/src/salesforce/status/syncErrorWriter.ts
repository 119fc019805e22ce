import type { Connection } from 'jsforce';
import { namespaced } from '../pubsub/topics';
import { classifySaveError, type SaveErrorInfo } from '../saveErrors';
import { COLLECTION_LIMIT } from '../records';
import { isSalesforceId } from '../../model/ids';

/** Switchboard_Sync_Error__c.Side__c: where the write failed (the directory, or Salesforce). */
export type SyncErrorSide = 'Salesforce' | 'Telephony';

/** One Switchboard_Sync_Error__c as the service upserts it by Error_Key__c. */
export interface SyncErrorRecord {
  errorKey: string;
  syncId: string;
  /** A Salesforce record id (the record status card looks errors up by it) or a directory contact id; null when neither is known. */
  recordId: string | null;
  side: SyncErrorSide;
  code: string;
  message: string;
  retryCount: number;
  nextRetry: string | null;
  firstSeen: string;
  lastSeen: string;
  /**
   * 'Failing' for a new error or one that came back; 'Resolved' when it cleared; undefined leaves the
   * state as it is, so an admin's Ignored stays.
   */
  state?: 'Failing' | 'Resolved';
}

/** A row whose cause went away: only its key and State__c Resolved are sent, the rest stays as it was. */
export interface ResolvedSyncError {
  errorKey: string;
  state: 'Resolved';
}

export type SyncErrorUpsert = SyncErrorRecord | ResolvedSyncError;

export type UpsertOutcome = { ok: true } | { ok: false; error: SaveErrorInfo };

/** Field lengths of the object (longer values would fail the whole record with STRING_TOO_LONG). */
const CODE_LENGTH = 80;
const MESSAGE_LENGTH = 32_768;
const RECORD_ID_LENGTH = 36;
const KEY_LENGTH = 255;

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Error_Key__c: "<recordId>|<side>|<errorCode>", as the field's description defines it. */
export function errorKeyOf(recordKey: string, side: SyncErrorSide, code: string): string {
  return clip(`${recordKey}|${side}|${code}`, KEY_LENGTH);
}

function toFields(namespace: string, error: SyncErrorUpsert): Record<string, unknown> {
  const n = (name: string) => namespaced(namespace, name);
  if (!('code' in error))
    return { [n('Error_Key__c')]: error.errorKey, [n('State__c')]: 'Resolved', [n('Next_Retry__c')]: null };
  const fields: Record<string, unknown> = {
    [n('Error_Key__c')]: error.errorKey,
    [n('Sync__c')]: error.syncId,
    [n('Side__c')]: error.side,
    [n('Error_Code__c')]: clip(error.code, CODE_LENGTH),
    [n('Message__c')]: clip(error.message, MESSAGE_LENGTH),
    [n('Retry_Count__c')]: error.retryCount,
    [n('Next_Retry__c')]: error.nextRetry,
    [n('First_Seen__c')]: error.firstSeen,
    [n('Last_Seen__c')]: error.lastSeen,
  };
  if (error.recordId !== null && error.recordId.length <= RECORD_ID_LENGTH) fields[n('Record_Id__c')] = error.recordId;
  if (error.state) fields[n('State__c')] = error.state;
  return fields;
}

interface RawUpsertResult {
  success: boolean;
  errors?: unknown[];
}

/**
 * Upserts sync error records by Error_Key__c through sObject Collections (one call per 200, allOrNone
 * off: each record stands alone). Returns one outcome per record, in order; a failed call throws.
 */
export async function upsertSyncErrors(
  conn: Connection,
  namespace: string,
  errors: SyncErrorUpsert[],
): Promise<UpsertOutcome[]> {
  const object = namespaced(namespace, 'Switchboard_Sync_Error__c');
  const keyField = namespaced(namespace, 'Error_Key__c');
  const outcomes: UpsertOutcome[] = [];
  for (let start = 0; start < errors.length; start += COLLECTION_LIMIT) {
    const chunk = errors.slice(start, start + COLLECTION_LIMIT).map((e) => toFields(namespace, e));
    // jsforce sends an array to PATCH /composite/sobjects/<object>/<field> (API 46.0+).
    const results = (await conn
      .sobject(object)
      .upsert(chunk as Array<Record<string, string>>, keyField, { allOrNone: false })) as
      RawUpsertResult | RawUpsertResult[];
    for (const result of Array.isArray(results) ? results : [results]) {
      outcomes.push(
        result.success ? { ok: true } : { ok: false, error: classifySaveError((result.errors ?? [])[0] ?? {}) },
      );
    }
  }
  return outcomes;
}

/**
 * The Error_Key__c of this sync's write-back error records an admin set to Ignored ("stop retrying this
 * record"). One query (paged by jsforce); ignored exclusions (EXCLUDED_ codes, which may be thousands an
 * admin cleared off the dashboard) are left out, as nothing retries them.
 */
export async function ignoredErrorKeys(conn: Connection, namespace: string, syncId: string): Promise<Set<string>> {
  if (!isSalesforceId(syncId)) throw new Error(`syncId: "${syncId}" is not a Salesforce record id`);
  const n = (name: string) => namespaced(namespace, name);
  const result = await conn.query<Record<string, unknown>>(
    `SELECT ${n('Error_Key__c')} FROM ${n('Switchboard_Sync_Error__c')} WHERE ${n('Sync__c')} = '${syncId}' AND ${n('State__c')} = 'Ignored' AND ${n('Side__c')} = 'Salesforce' AND (NOT ${n('Error_Code__c')} LIKE 'EXCLUDED%')`,
    { autoFetch: true, maxFetch: 50_000 },
  );
  return new Set(result.records.map((r) => String(r[n('Error_Key__c')])));
}
