import type { EmulatedOrg } from '../org/org';
import type { FieldValue, SfRecord } from '../org/store';
import type { SyncedObject } from './mappedFields';

/**
 * The syncs the package's trigger handler publishes for, read from the org's own records exactly as
 * SwitchboardSettings reads them: every Switchboard_Sync__c whose Status__c is set and neither
 * NotStarted nor Deleting (oldest first, at most 50), each with its Switchboard_Field_Mapping__c rows
 * (by Name) or, when it has none, the shipped Switchboard_Default_Mapping__mdt records (by
 * Sort_Order__c, then DeveloperName).
 */

const INACTIVE_STATUSES = new Set(['NotStarted', 'Deleting']);
const MAX_SYNCS = 50;
const LAST_SORT_ORDER = 999_999;

export interface SyncMapping {
  sobject: string;
  /** The Salesforce side as the admin wrote it: `Email`, `Account.Name`. */
  path: string;
  /** Both, ToTelephony or ToSalesforce. */
  direction: string;
}

export interface ActiveSync {
  id: string;
  /** False for a telephony → Salesforce only sync: Salesforce changes are not its business. */
  sendsToTelephony: boolean;
  syncs: Record<SyncedObject, boolean>;
  /** Admin-written SOQL conditions (no WHERE), trimmed; absent = every record. */
  scope: Partial<Record<SyncedObject, string>>;
  mappings: SyncMapping[];
}

const text = (value: FieldValue | undefined): string => (typeof value === 'string' ? value.trim() : '');

function mappingOf(row: SfRecord): SyncMapping {
  return {
    sobject: text(row.Salesforce_Object__c),
    path: text(row.Salesforce_Field__c),
    direction: text(row.Direction__c),
  };
}

function ownMappings(org: EmulatedOrg): Map<string, SyncMapping[]> {
  const rows = [...org.store.scan('Switchboard_Field_Mapping__c')].sort((a, b) =>
    text(a.Name).localeCompare(text(b.Name)),
  );
  const bySync = new Map<string, SyncMapping[]>();
  for (const row of rows) {
    const syncId = String(row.Sync__c);
    bySync.set(syncId, [...(bySync.get(syncId) ?? []), mappingOf(row)]);
  }
  return bySync;
}

function defaultMappings(org: EmulatedOrg): SyncMapping[] {
  const sortKey = (record: SfRecord): string => {
    const order = typeof record.Sort_Order__c === 'number' ? Math.trunc(record.Sort_Order__c) : LAST_SORT_ORDER;
    return `${String(order).padStart(6, '0')}|${text(record.DeveloperName)}`;
  };
  return [...org.store.scan('Switchboard_Default_Mapping__mdt')]
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
    .map(mappingOf);
}

const scopeOf = (record: SfRecord, field: string): string | undefined => text(record[field]) || undefined;

/**
 * What activeSyncs last read, per org, and the revisions of the records it read it from: the trigger asks
 * on every DML statement, and reading the syncs and mappings anew each time cost the emulator more CPU than
 * the rest of an edit (it, not the service, would saturate a benchmark). Callers must not modify it.
 */
const readSyncs = new WeakMap<EmulatedOrg, { revisions: string; syncs: ActiveSync[] }>();
const READ_FROM = ['Switchboard_Sync__c', 'Switchboard_Field_Mapping__c', 'Switchboard_Default_Mapping__mdt'] as const;

/** The active syncs, oldest first (CreatedDate, then Id). */
export function activeSyncs(org: EmulatedOrg): ActiveSync[] {
  const revisions = READ_FROM.map((sobject) => org.store.revision(sobject)).join(',');
  const read = readSyncs.get(org);
  if (read?.revisions === revisions) return read.syncs;
  const syncs = readActiveSyncs(org);
  readSyncs.set(org, { revisions, syncs });
  return syncs;
}

function readActiveSyncs(org: EmulatedOrg): ActiveSync[] {
  const syncs = [...org.store.scan('Switchboard_Sync__c')]
    .filter((sync) => text(sync.Status__c) !== '' && !INACTIVE_STATUSES.has(text(sync.Status__c)))
    .sort((a, b) => text(a.CreatedDate).localeCompare(text(b.CreatedDate)) || a.Id.localeCompare(b.Id))
    .slice(0, MAX_SYNCS);
  if (syncs.length === 0) return [];
  const own = ownMappings(org);
  let defaults: SyncMapping[] | undefined;
  return syncs.map((sync) => {
    const scope: ActiveSync['scope'] = {};
    const contact = scopeOf(sync, 'Contact_Scope__c');
    const lead = scopeOf(sync, 'Lead_Scope__c');
    const person = scopeOf(sync, 'Person_Account_Scope__c');
    if (contact) scope.Contact = contact;
    if (lead) scope.Lead = lead;
    if (person) scope.Account = person;
    const rows = own.get(sync.Id) ?? [];
    return {
      id: sync.Id,
      sendsToTelephony: sync.Direction__c !== 'ToSalesforce',
      syncs: {
        Contact: sync.Sync_Contacts__c === true,
        Lead: sync.Sync_Leads__c === true,
        Account: sync.Sync_Person_Accounts__c === true,
      },
      scope,
      mappings: rows.length > 0 ? rows : (defaults ??= defaultMappings(org)),
    };
  });
}

/**
 * The sync's mapped paths of one object, in mapping order, each once (case-insensitively); blank
 * ones are ignored. `outboundOnly` keeps those that flow to telephony (Both, ToTelephony).
 */
export function mappedPaths(sync: ActiveSync, sobject: SyncedObject, outboundOnly = false): string[] {
  const paths: string[] = [];
  for (const mapping of sync.mappings) {
    if (mapping.sobject !== sobject || mapping.path === '') continue;
    if (outboundOnly && mapping.direction === 'ToSalesforce') continue;
    if (!paths.some((path) => path.toLowerCase() === mapping.path.toLowerCase())) paths.push(mapping.path);
  }
  return paths;
}
