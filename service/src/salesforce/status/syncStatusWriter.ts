import type { Connection } from 'jsforce';
import { namespaced } from '../pubsub/topics';
import { classifySaveError } from '../saveErrors';

/** Switchboard_Sync__c.Status__c values the service sets (the picklist also has NotStarted and Deleting). */
export type ReportedSyncStatus = 'InitialSync' | 'Active' | 'Paused' | 'Error';

export interface SyncStatusUpdate {
  status?: ReportedSyncStatus;
  lastSyncTime?: Date | null;
  heartbeat?: Date;
  /** null clears the field; undefined leaves it as it is. */
  lastError?: string | null;
  syncedCount?: number;
  excludedCount?: number;
  failingCount?: number;
  initialSyncDone?: number | null;
  initialSyncTotal?: number | null;
  initialSyncRate?: number | null;
}

/** Last_Error__c is a long text area of this many characters. */
const LAST_ERROR_LENGTH = 32_768;
/** Switchboard_Status__e.Message__c is a text field of this many characters. */
const MESSAGE_LENGTH = 255;

const truncate = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** Initial_Sync_Rate__c has two decimals. */
const rate = (value: number | null | undefined): number | null | undefined =>
  value === undefined || value === null ? value : Math.round(value * 100) / 100;

/** The fields Switchboard_Sync__c and Switchboard_Status__e share, under their API names. */
function statusFields(n: (name: string) => string, update: SyncStatusUpdate): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const put = (name: string, value: unknown) => {
    if (value !== undefined) fields[n(name)] = value;
  };
  put('Status__c', update.status);
  put(
    'Last_Sync_Time__c',
    update.lastSyncTime === undefined ? undefined : (update.lastSyncTime?.toISOString() ?? null),
  );
  put('Service_Heartbeat__c', update.heartbeat?.toISOString());
  put('Synced_Count__c', update.syncedCount);
  put('Excluded_Count__c', update.excludedCount);
  put('Failing_Count__c', update.failingCount);
  put('Initial_Sync_Done__c', update.initialSyncDone);
  put('Initial_Sync_Total__c', update.initialSyncTotal);
  put('Initial_Sync_Rate__c', rate(update.initialSyncRate));
  return fields;
}

function failure(what: string, errors: unknown[] | undefined): Error {
  const detail = (errors ?? []).map((e) => {
    const info = classifySaveError(e);
    return `${info.code}: ${info.message}`;
  });
  return new Error(`${what}: ${detail.join('; ') || 'no reason given'}`);
}

/**
 * Writes the service's view of a sync back to its Switchboard_Sync__c record (the integration user holds
 * the permission to edit the status fields). One sObject update per call.
 */
export async function writeSyncStatus(
  conn: Connection,
  namespace: string,
  syncId: string,
  update: SyncStatusUpdate,
): Promise<void> {
  const n = (name: string) => namespaced(namespace, name);
  const record: Record<string, unknown> = { Id: syncId, ...statusFields(n, update) };
  if (update.lastError !== undefined)
    record[n('Last_Error__c')] = update.lastError === null ? null : truncate(update.lastError, LAST_ERROR_LENGTH);
  const result = await conn.sobject(n('Switchboard_Sync__c')).update(record as { Id: string });
  if (!result.success) throw failure(`could not update sync ${syncId}`, result.errors);
}

/**
 * Publishes a Switchboard_Status__e with the same snapshot, so the sync dashboard (subscribed through
 * empApi) reloads at once instead of polling. `message` is a short note (the last error, a command's
 * outcome). One REST call; a high-volume event is accepted as OPERATION_ENQUEUED, which is success.
 */
export async function publishSyncStatusEvent(
  conn: Connection,
  namespace: string,
  syncId: string,
  update: SyncStatusUpdate,
  message: string | null,
): Promise<void> {
  const n = (name: string) => namespaced(namespace, name);
  const event: Record<string, unknown> = { [n('Sync_Id__c')]: syncId, ...statusFields(n, update) };
  if (message) event[n('Message__c')] = truncate(message, MESSAGE_LENGTH);
  const result = await conn.sobject(n('Switchboard_Status__e')).create(event);
  if (!result.success) throw failure(`could not publish the status of sync ${syncId}`, result.errors);
}
