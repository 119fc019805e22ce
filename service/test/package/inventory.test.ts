import { picklistDefault, picklistValues, objectFieldNames, readField } from '../../../scripts/package/packageModel';
import { resolvePackage } from '../../../scripts/package/metadata';
import { textOf } from '../../../scripts/package/xml';
import { DEFAULT_MAPPING_FIELDS, MAPPING_FIELDS, SYNC_FIELDS } from '../../src/salesforce/settingsReader';

/**
 * The package holds every component the spec names, with the binding API names, and the picklist
 * values the Apex, the service and the emulator rely on. A missing or misspelt name fails here
 * rather than at deploy time (or silently, in a dynamic query).
 */

const FIELDS: Record<string, string[]> = {
  // What the service reads of its settings, then what it writes back as status.
  Switchboard_Sync__c: [
    ...SYNC_FIELDS.filter((field) => field !== 'Name'),
    'Synced_Count__c',
    'Excluded_Count__c',
    'Failing_Count__c',
    'Initial_Sync_Done__c',
    'Initial_Sync_Total__c',
    'Initial_Sync_Rate__c',
    'Last_Sync_Time__c',
    'Last_Error__c',
    'Service_Heartbeat__c',
  ],
  Switchboard_Field_Mapping__c: ['Sync__c', ...MAPPING_FIELDS],
  Switchboard_Sync_Error__c: [
    'Sync__c',
    'Record_Id__c',
    'Side__c',
    'Error_Code__c',
    'Message__c',
    'First_Seen__c',
    'Last_Seen__c',
    'Next_Retry__c',
    'Retry_Count__c',
    'State__c',
    'Error_Key__c',
  ],
  Switchboard_Default_Mapping__mdt: DEFAULT_MAPPING_FIELDS,
  Switchboard_Change__e: [
    'Object_Name__c',
    'Operation__c',
    'Sync_Id__c',
    'Payload__c',
    'Chunk_Sequence__c',
    'Chunk_Count__c',
    'Record_Count__c',
  ],
  Switchboard_Command__e: ['Command__c', 'Sync_Id__c', 'Record_Ids__c', 'Requested_By__c', 'Request_Id__c'],
  Switchboard_Status__e: [
    'Sync_Id__c',
    'Status__c',
    'Synced_Count__c',
    'Excluded_Count__c',
    'Failing_Count__c',
    'Initial_Sync_Done__c',
    'Initial_Sync_Total__c',
    'Initial_Sync_Rate__c',
    'Last_Sync_Time__c',
    'Service_Heartbeat__c',
    'Message__c',
  ],
};

/**
 * [object, field, values in order, default]. Transform__c is not here: its values are the service's TRANSFORMS,
 * which consistency.test.ts compares with the picklist.
 */
const PICKLISTS: Array<[string, string, string[], string | undefined]> = [
  ['Switchboard_Sync__c', 'Direction__c', ['Both', 'ToTelephony', 'ToSalesforce'], 'Both'],
  ['Switchboard_Sync__c', 'Conflict_Winner__c', ['Salesforce', 'Telephony'], 'Salesforce'],
  ['Switchboard_Sync__c', 'Default_Object__c', ['Contact', 'Lead'], 'Contact'],
  ['Switchboard_Sync__c', 'Match_Keys__c', ['Phone', 'Email', 'Both'], 'Both'],
  ['Switchboard_Sync__c', 'Frequency__c', ['Every15Minutes', 'Hourly', 'Every6Hours', 'Daily', 'Custom'], 'Hourly'],
  [
    'Switchboard_Sync__c',
    'Status__c',
    ['NotStarted', 'InitialSync', 'Active', 'Paused', 'Error', 'Deleting'],
    'NotStarted',
  ],
  ['Switchboard_Field_Mapping__c', 'Salesforce_Object__c', ['Contact', 'Lead', 'Account'], undefined],
  ['Switchboard_Field_Mapping__c', 'Direction__c', ['Both', 'ToTelephony', 'ToSalesforce'], 'Both'],
  ['Switchboard_Sync_Error__c', 'Side__c', ['Salesforce', 'Telephony'], undefined],
  ['Switchboard_Sync_Error__c', 'State__c', ['Failing', 'Resolved', 'Ignored'], 'Failing'],
];

/** [metadata type, full name] */
const COMPONENTS: Array<[string, string]> = [
  ...[
    'Switchboard_Sync__c',
    'Switchboard_Field_Mapping__c',
    'Switchboard_Sync_Error__c',
    'Switchboard_Default_Mapping__mdt',
    'Switchboard_Change__e',
    'Switchboard_Command__e',
    'Switchboard_Status__e',
  ].map((name): [string, string] => ['CustomObject', name]),
  ['CustomPermission', 'Switchboard_Integration'],
  ['PermissionSet', 'Switchboard_Admin'],
  ['PermissionSet', 'Switchboard_User'],
  ['PermissionSet', 'Switchboard_Integration'],
  ['CustomApplication', 'Switchboard'],
  ['CustomTab', 'Switchboard_Sync__c'],
  ['CustomTab', 'Switchboard_Field_Mapping__c'],
  ['CustomTab', 'Switchboard_Sync_Error__c'],
  ['ApexTrigger', 'SwitchboardContactTrigger'],
  ['ApexTrigger', 'SwitchboardLeadTrigger'],
  ['ApexTrigger', 'SwitchboardAccountTrigger'],
  ...[
    'SwitchboardSettings',
    'SwitchboardPersonAccounts',
    'SwitchboardChangeHandler',
    'SwitchboardChangePacker',
    'SwitchboardCommands',
    'SwitchboardSyncRecordsAction',
    'SwitchboardStartInitialSyncAction',
    'SwitchboardPauseSyncAction',
    'SwitchboardResumeSyncAction',
  ].map((name): [string, string] => ['ApexClass', name]),
];

describe('the package has every component of the spec', () => {
  const present = new Set(resolvePackage().components.map((c) => `${c.type.name} ${c.fullName}`));

  test('objects, events, permissions, app, tabs, triggers and classes', () => {
    expect(COMPONENTS.map(([type, name]) => `${type} ${name}`).filter((key) => !present.has(key))).toEqual([]);
  });

  test.each(Object.entries(FIELDS))('%s has the spec fields', (objectName, fields) => {
    const defined = new Set(objectFieldNames(objectName));
    expect(fields.filter((field) => !defined.has(field))).toEqual([]);
  });

  test.each(PICKLISTS)('%s.%s picklist values and default', (objectName, fieldName, values, defaultValue) => {
    const field = readField(objectName, fieldName);
    expect(textOf(field, 'type')).toBe('Picklist');
    expect(picklistValues(field)).toEqual(values);
    expect(picklistDefault(field)).toBe(defaultValue);
  });

  test('the change event keeps Payload__c at 131072 characters (the packing limit the emulator reads)', () => {
    expect(textOf(readField('Switchboard_Change__e', 'Payload__c'), 'length')).toBe('131072');
  });
});
