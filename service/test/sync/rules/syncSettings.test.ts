import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseSyncSettings, SCHEDULES } from '../../../src/sync/rules/syncSettings';

const OBJECTS = join(__dirname, '..', '..', '..', '..', 'force-app', 'main', 'default', 'objects');
const CMDT = join(__dirname, '..', '..', '..', '..', 'force-app', 'main', 'default', 'customMetadata');
const xml = new XMLParser({ ignoreAttributes: true });

/** The picklist values the package defines for a field. */
function picklistValues(object: string, field: string): string[] {
  const doc = xml.parse(readFileSync(join(OBJECTS, object, 'fields', `${field}.field-meta.xml`), 'utf8'));
  const values = doc.CustomField.valueSet.valueSetDefinition.value;
  return (Array.isArray(values) ? values : [values]).map((v: { fullName: string }) => v.fullName);
}

/** The shipped default mappings, as SOQL would return the CMDT records. */
function defaultMappingRows(): Array<Record<string, unknown>> {
  return readdirSync(CMDT)
    .filter((f) => f.startsWith('Switchboard_Default_Mapping.'))
    .map((file) => {
      const doc = xml.parse(readFileSync(join(CMDT, file), 'utf8'));
      const row: Record<string, unknown> = { DeveloperName: file.split('.')[1] };
      for (const v of doc.CustomMetadata.values) row[v.field] = v.value;
      return row;
    });
}

const SYNC = {
  Id: 'a0A000000000001AAA',
  Name: 'Main sync',
  Status__c: 'Active',
  Direction__c: 'Both',
  Conflict_Winner__c: 'Telephony',
  Sync_Contacts__c: true,
  Sync_Leads__c: true,
  Sync_Person_Accounts__c: false,
  Default_Object__c: 'Lead',
  Require_Valid_Phone__c: true,
  Require_First_Name__c: true,
  Require_Last_Name__c: true,
  Match_Keys__c: 'Phone',
  Contact_Scope__c: "MailingCountry = 'US'",
  Frequency__c: 'Every15Minutes',
  Default_Country__c: 'DE',
  Propagate_Deletes_To_Telephony__c: true,
  Propagate_Deletes_To_Salesforce__c: false,
  Mass_Delete_Threshold__c: 5,
  Log_Inbound_Calls__c: true,
  Log_Outbound_Calls__c: false,
  Log_Missed_Calls__c: false,
  Minimum_Call_Seconds__c: 20,
  Unknown_Callers__c: 'Lead',
};

describe('sync settings from the package records', () => {
  it('reads every option of a sync record', () => {
    const { settings, problems } = parseSyncSettings(SYNC, [], defaultMappingRows());
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      syncId: SYNC.Id,
      name: 'Main sync',
      status: 'Active',
      direction: 'both',
      conflictWinner: 'telephony',
      objects: ['Contact', 'Lead'],
      defaultObject: 'Lead',
      validity: { requireValidPhone: true, requireFirstName: true, requireLastName: true },
      matchKeys: 'phone',
      scope: { Contact: "MailingCountry = 'US'" },
      schedule: '*/15 * * * *',
      defaultCountry: 'DE',
      propagateDeletes: { toTelephony: true, toSalesforce: false },
      massDeleteThresholdPercent: 5,
      calls: {
        logging: { inbound: true, outbound: false, unanswered: false, minimumSeconds: 20 },
        unknownCallers: 'Lead',
      },
    });
  });

  it('reads a sync saved before call logging existed as the package defaults, and names a bad minimum', () => {
    const {
      Log_Inbound_Calls__c: _inbound,
      Log_Outbound_Calls__c: _outbound,
      Log_Missed_Calls__c: _missed,
      Minimum_Call_Seconds__c: _minimum,
      Unknown_Callers__c: _unknown,
      ...older
    } = SYNC;
    const { settings, problems } = parseSyncSettings(older, [], []);
    expect(problems).toEqual([]);
    expect(settings.calls).toEqual({
      logging: { inbound: true, outbound: true, unanswered: true, minimumSeconds: 0 },
      unknownCallers: 'none',
    });
    for (const bad of [-1, 2.5, 3601, 'soon']) {
      const parsed = parseSyncSettings({ ...SYNC, Minimum_Call_Seconds__c: bad }, [], []);
      expect(parsed.problems).toEqual([
        expect.objectContaining({ recordId: SYNC.Id, field: 'Minimum_Call_Seconds__c' }),
      ]);
      expect(parsed.settings.calls.logging.minimumSeconds).toBe(0);
    }
  });

  it('accepts exactly the picklist values the package defines', () => {
    const sync = (overrides: Record<string, unknown>) => parseSyncSettings({ ...SYNC, ...overrides }, [], []).problems;
    for (const [field, values] of Object.entries({
      Direction__c: picklistValues('Switchboard_Sync__c', 'Direction__c'),
      Conflict_Winner__c: picklistValues('Switchboard_Sync__c', 'Conflict_Winner__c'),
      Default_Object__c: picklistValues('Switchboard_Sync__c', 'Default_Object__c'),
      Match_Keys__c: picklistValues('Switchboard_Sync__c', 'Match_Keys__c'),
      Unknown_Callers__c: picklistValues('Switchboard_Sync__c', 'Unknown_Callers__c'),
      Status__c: picklistValues('Switchboard_Sync__c', 'Status__c'),
    })) {
      expect(values.length).toBeGreaterThan(1);
      for (const value of values) expect(sync({ [field]: value })).toEqual([]);
      expect(sync({ [field]: 'Nonsense' })).toEqual([expect.objectContaining({ field, recordId: SYNC.Id })]);
    }
    for (const value of picklistValues('Switchboard_Sync__c', 'Frequency__c')) {
      const extra = value === 'Custom' ? { Custom_Schedule__c: '5 4 * * 1' } : {};
      expect(sync({ Frequency__c: value, ...extra })).toEqual([]);
    }
    expect(Object.keys(SCHEDULES).sort()).toEqual(
      picklistValues('Switchboard_Sync__c', 'Frequency__c')
        .filter((v) => v !== 'Custom')
        .sort(),
    );
    for (const transform of picklistValues('Switchboard_Field_Mapping__c', 'Transform__c')) {
      const row = {
        Id: 'm1',
        Salesforce_Object__c: 'Contact',
        Salesforce_Field__c: 'Phone',
        Telephony_Field__c: 'phone.work',
        Direction__c: 'Both',
        Transform__c: transform,
        Picklist_Map__c: '{}',
      };
      expect(parseSyncSettings(SYNC, [row], []).problems).toEqual([]);
    }
  });

  it('names the record and the field of every mistake, and keeps the rest', () => {
    const rows = [
      {
        Id: 'a0B1',
        Salesforce_Object__c: 'Contact',
        Salesforce_Field__c: 'Phone',
        Telephony_Field__c: 'phone.work',
        Direction__c: 'Both',
        Transform__c: 'E164',
      },
      {
        Id: 'a0B2',
        Salesforce_Object__c: 'Contact',
        Salesforce_Field__c: 'Fax',
        Telephony_Field__c: 'fax',
        Direction__c: 'Both',
        Transform__c: 'None',
      },
      {
        Id: 'a0B3',
        Salesforce_Object__c: 'Lead',
        Salesforce_Field__c: 'Rating',
        Telephony_Field__c: 'title',
        Direction__c: 'Both',
        Transform__c: 'PicklistMap',
        Picklist_Map__c: '[1,2]',
      },
      {
        Id: 'a0B4',
        Salesforce_Object__c: 'Contact',
        Salesforce_Field__c: 'Account.Name',
        Telephony_Field__c: 'company',
        Direction__c: 'Both',
        Transform__c: 'None',
      },
    ];
    const { settings, problems } = parseSyncSettings(
      {
        ...SYNC,
        Default_Country__c: 'XX',
        Frequency__c: 'Custom',
        Custom_Schedule__c: 'every tuesday',
        Mass_Delete_Threshold__c: 0,
      },
      rows,
      [],
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recordId: SYNC.Id, field: 'Default_Country__c' }),
        expect.objectContaining({ recordId: SYNC.Id, field: 'Custom_Schedule__c' }),
        expect.objectContaining({ recordId: SYNC.Id, field: 'Mass_Delete_Threshold__c' }),
        expect.objectContaining({ recordId: 'a0B2', field: 'Telephony_Field__c' }),
        expect.objectContaining({ recordId: 'a0B3', field: 'Picklist_Map__c' }),
        expect.objectContaining({ recordId: 'a0B4', field: 'Direction__c' }),
      ]),
    );
    expect(settings.defaultCountry).toBe('US');
    expect(settings.schedule).toBe(SCHEDULES.Hourly);
    expect(settings.mappings.map((m) => `${m.sfField}:${m.direction}`)).toEqual([
      'Phone:both',
      'Account.Name:toTelephony',
    ]);
  });

  it('falls back to the shipped default mappings, which cover all three objects', () => {
    const { settings, problems } = parseSyncSettings(SYNC, [], defaultMappingRows());
    expect(problems).toEqual([]);
    const byObject = (o: string) => settings.mappings.filter((m) => m.sobject === o).length;
    expect([byObject('Contact'), byObject('Lead'), byObject('Account')]).toEqual([9, 7, 8]);
    expect(settings.mappings.find((m) => m.sfField === 'Account.Name')).toMatchObject({
      telephonyField: 'company',
      direction: 'toTelephony',
    });
  });

  it('reads namespaced fields of a managed install', () => {
    const namespaced = Object.fromEntries(
      Object.entries(SYNC).map(([k, v]) => [k.endsWith('__c') ? `swb__${k}` : k, v]),
    );
    const { settings, problems } = parseSyncSettings(namespaced, [], [], 'swb');
    expect(problems).toEqual([]);
    expect(settings.defaultCountry).toBe('DE');
    expect(settings.objects).toEqual(['Contact', 'Lead']);
  });
});
