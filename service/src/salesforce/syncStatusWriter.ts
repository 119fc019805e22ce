import type { Connection } from 'jsforce';
import { namespaced } from './topics';

export interface SyncStatusUpdate {
  status?: string;
  lastSyncTime?: Date;
  heartbeat?: Date;
  lastError?: string | null;
}

/**
 * Writes the service's view of a sync back to its Switchboard_Sync__c record (the integration user holds
 * the permission to edit the status fields). One sObject update per call.
 */
export async function writeSyncStatus(conn: Connection, namespace: string, syncId: string, update: SyncStatusUpdate): Promise<void> {
  const n = (name: string) => namespaced(namespace, name);
  const record: Record<string, unknown> = { Id: syncId };
  if (update.status !== undefined) record[n('Status__c')] = update.status;
  if (update.lastSyncTime) record[n('Last_Sync_Time__c')] = update.lastSyncTime.toISOString();
  if (update.heartbeat) record[n('Service_Heartbeat__c')] = update.heartbeat.toISOString();
  if (update.lastError !== undefined) record[n('Last_Error__c')] = update.lastError;
  const result = await conn.sobject(n('Switchboard_Sync__c')).update(record as { Id: string });
  if (!result.success) {
    const detail = (result.errors ?? []).map((e) => `${(e as { statusCode?: string }).statusCode ?? e.errorCode}: ${e.message}`).join('; ');
    throw new Error(`could not update sync ${syncId}: ${detail}`);
  }
}
