import type { Connection } from 'jsforce';
import { namespaced } from './pubsub/topics';

/** The fields each configuration query reads (the package inventory test checks that each exists). */
export const SYNC_FIELDS = [
  'Name',
  'Status__c',
  'Direction__c',
  'Conflict_Winner__c',
  'Sync_Contacts__c',
  'Sync_Leads__c',
  'Sync_Person_Accounts__c',
  'Default_Object__c',
  'Require_Valid_Phone__c',
  'Require_First_Name__c',
  'Require_Last_Name__c',
  'Match_Keys__c',
  'Contact_Scope__c',
  'Lead_Scope__c',
  'Person_Account_Scope__c',
  'Frequency__c',
  'Custom_Schedule__c',
  'Default_Country__c',
  'Propagate_Deletes_To_Telephony__c',
  'Propagate_Deletes_To_Salesforce__c',
  'Mass_Delete_Threshold__c',
  'Log_Inbound_Calls__c',
  'Log_Outbound_Calls__c',
  'Log_Missed_Calls__c',
  'Minimum_Call_Seconds__c',
  'Unknown_Callers__c',
];
export const MAPPING_FIELDS = [
  'Salesforce_Object__c',
  'Salesforce_Field__c',
  'Telephony_Field__c',
  'Direction__c',
  'Transform__c',
  'Picklist_Map__c',
  'Required__c',
];
export const DEFAULT_MAPPING_FIELDS = [
  'Salesforce_Object__c',
  'Salesforce_Field__c',
  'Telephony_Field__c',
  'Direction__c',
  'Transform__c',
  'Sort_Order__c',
];

/** A record as the REST API returns it, under its fields' API names (namespaced in a packaged org). */
export type RawRow = Record<string, unknown>;

/** The org's sync configuration records as read, for the engine to parse (sync/rules/syncSettings.ts). */
export interface SyncConfigurationRows {
  /** The org's sync records that are not being deleted, oldest first (the service runs the first). */
  syncs: RawRow[];
  /** The first sync's Switchboard_Field_Mapping__c rows, by Name; empty when the org has no sync. */
  mappings: RawRow[];
  /** The package's Switchboard_Default_Mapping__mdt rows, by Sort_Order__c; empty when the org has no sync. */
  defaults: RawRow[];
}

export class PackageNotInstalledError extends Error {
  constructor(cause: unknown) {
    super(
      'the Switchboard package is not installed in this org, or the integration user cannot read Switchboard_Sync__c',
      { cause },
    );
    this.name = 'PackageNotInstalledError';
  }
}

/**
 * Reads the org's sync configuration with jsforce: the sync records, the first one's mapping rows and
 * the shipped default mappings (three queries, no parent-child subquery, so any API version and the
 * emulator agree; one when the org has no sync). The rows are returned as they come: the engine parses
 * and checks them. An org without the package is a PackageNotInstalledError.
 */
export async function readSyncConfigurationRows(conn: Connection, namespace: string): Promise<SyncConfigurationRows> {
  const n = (name: string) => namespaced(namespace, name);
  let syncs: RawRow[];
  try {
    syncs = await queryAll(
      conn,
      `SELECT Id, ${SYNC_FIELDS.map((f) => (f === 'Name' ? f : n(f))).join(', ')} FROM ${n('Switchboard_Sync__c')} ` +
        `WHERE ${n('Status__c')} != 'Deleting' ORDER BY CreatedDate, Id`,
    );
  } catch (err) {
    if (
      /INVALID_TYPE|INVALID_FIELD|not supported/i.test(
        String((err as Error).message) + String((err as { errorCode?: string }).errorCode),
      )
    ) {
      throw new PackageNotInstalledError(err);
    }
    throw err;
  }
  if (syncs.length === 0) return { syncs, mappings: [], defaults: [] };
  const syncId = String(syncs[0].Id);
  const mappings = await queryAll(
    conn,
    `SELECT Id, ${MAPPING_FIELDS.map(n).join(', ')} FROM ${n('Switchboard_Field_Mapping__c')} WHERE ${n('Sync__c')} = '${syncId.replace(/[^A-Za-z0-9]/g, '')}' ORDER BY Name`,
  );
  const defaults = await queryAll(
    conn,
    `SELECT DeveloperName, ${DEFAULT_MAPPING_FIELDS.map(n).join(', ')} FROM ${n('Switchboard_Default_Mapping__mdt')} ORDER BY ${n('Sort_Order__c')}`,
  );
  return { syncs, mappings, defaults };
}

async function queryAll(conn: Connection, soql: string): Promise<RawRow[]> {
  const result = await conn.query<RawRow>(soql, { autoFetch: true, maxFetch: 100_000 });
  return result.records;
}
