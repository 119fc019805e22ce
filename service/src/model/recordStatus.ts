/**
 * What the service tells a Salesforce record about its sync, through the package's record status fields:
 * store/ works out what each record's fields should say, salesforce/ writes them. Plain values, so the
 * two share the shape without importing each other.
 */

/** Switchboard_Sync_State__c values. */
export type RecordSyncState = 'InSync' | 'Excluded' | 'Failing' | 'NotSynced';

/** Where one Salesforce record stands, as its status fields should say. */
export interface RecordStatus {
  recordId: string;
  sobject: string;
  state: RecordSyncState;
  directoryId: string | null;
  note: string | null;
  /** When its link last changed (last synced), or null when it has none. */
  syncedAt: string | null;
}
