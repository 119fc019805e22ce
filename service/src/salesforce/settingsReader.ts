import type { Connection } from 'jsforce';
import { parseSyncSettings, type SettingsProblem, type SyncSettings } from '../sync/rules/syncSettings';
import { checkMappings } from '../sync/rules/mappingCheck';
import { namespaced } from './pubsub/topics';

const SYNC_FIELDS = [
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
];
const MAPPING_FIELDS = ['Salesforce_Object__c', 'Salesforce_Field__c', 'Telephony_Field__c', 'Direction__c', 'Transform__c', 'Picklist_Map__c', 'Required__c'];
const DEFAULT_MAPPING_FIELDS = ['Salesforce_Object__c', 'Salesforce_Field__c', 'Telephony_Field__c', 'Direction__c', 'Transform__c', 'Sort_Order__c'];

export interface OrgSyncConfiguration {
  /** The sync this service runs for the org: the oldest one that is not being deleted. */
  sync: SyncSettings | null;
  /** Other syncs of the org, which one service connection does not run (one sync per org connection). */
  ignoredSyncIds: string[];
  problems: SettingsProblem[];
}

export class PackageNotInstalledError extends Error {
  constructor(cause: unknown) {
    super('the Switchboard package is not installed in this org, or the integration user cannot read Switchboard_Sync__c', { cause });
    this.name = 'PackageNotInstalledError';
  }
}

/**
 * Reads the org's sync configuration with jsforce: the sync records, their mapping rows and the shipped
 * default mappings (three queries, no parent-child subquery, so any API version and the emulator agree),
 * then checks the mappings against the org's describe results: one that names a missing or read-only
 * field is a problem and is left out, so the rest keeps working.
 */
export async function readSyncConfiguration(conn: Connection, namespace: string): Promise<OrgSyncConfiguration> {
  const n = (name: string) => namespaced(namespace, name);
  let syncs: Array<Record<string, unknown>>;
  try {
    syncs = await queryAll(
      conn,
      `SELECT Id, ${SYNC_FIELDS.map((f) => (f === 'Name' ? f : n(f))).join(', ')} FROM ${n('Switchboard_Sync__c')} ` +
        `WHERE ${n('Status__c')} != 'Deleting' ORDER BY CreatedDate, Id`,
    );
  } catch (err) {
    if (/INVALID_TYPE|INVALID_FIELD|not supported/i.test(String((err as Error).message) + String((err as { errorCode?: string }).errorCode))) {
      throw new PackageNotInstalledError(err);
    }
    throw err;
  }
  if (syncs.length === 0) return { sync: null, ignoredSyncIds: [], problems: [] };
  const [chosen, ...others] = syncs;
  const syncId = String(chosen.Id);
  const mappings = await queryAll(
    conn,
    `SELECT Id, ${MAPPING_FIELDS.map(n).join(', ')} FROM ${n('Switchboard_Field_Mapping__c')} WHERE ${n('Sync__c')} = '${syncId.replace(/[^A-Za-z0-9]/g, '')}' ORDER BY Name`,
  );
  const defaults = await queryAll(
    conn,
    `SELECT DeveloperName, ${DEFAULT_MAPPING_FIELDS.map(n).join(', ')} FROM ${n('Switchboard_Default_Mapping__mdt')} ORDER BY ${n('Sort_Order__c')}`,
  );
  const { settings, problems } = parseSyncSettings(chosen, mappings, defaults, namespace);
  const checked = await checkMappings(conn, syncId, settings.objects, settings.mappings);
  return {
    sync: { ...settings, mappings: checked.usable },
    ignoredSyncIds: others.map((s) => String(s.Id)),
    problems: [...problems, ...checked.problems],
  };
}

async function queryAll(conn: Connection, soql: string): Promise<Array<Record<string, unknown>>> {
  const result = await conn.query<Record<string, unknown>>(soql, { autoFetch: true, maxFetch: 100_000 });
  return result.records;
}
