import type { Connection } from 'jsforce';
import { EmulatedOrg } from '../../emulator/org/org';
import { loadCustomMetadataRecords } from '../../emulator/org/packageObjects';
import { SCHEMA, findField } from '../../emulator/org/schema';
import { rejectionOf, startQueryHarness, type QueryHarness } from './rest-harness';

/**
 * The package's custom objects and custom metadata live in the emulator's schema, read from
 * force-app, so the unmodified jsforce can describe, query, create and update them as in a real org.
 */

interface Row {
  Id: string;
  [field: string]: unknown;
}

describe('package objects in the emulated org', () => {
  let h: QueryHarness;
  let conn: Connection;
  beforeAll(async () => {
    h = await startQueryHarness({ personAccounts: true });
    conn = h.conn;
  });
  afterAll(async () => {
    await h.close();
  });

  test('the schema follows the metadata: key prefixes, field types, picklists, defaults, lookups', () => {
    expect(SCHEMA.Switchboard_Sync__c.keyPrefix).toBe('a0A');
    expect(SCHEMA.Switchboard_Field_Mapping__c.keyPrefix).toBe('a0B');
    expect(SCHEMA.Switchboard_Sync_Error__c.keyPrefix).toBe('a0C');
    expect(findField('Switchboard_Sync__c', 'status__c', false)).toMatchObject({
      type: 'picklist',
      picklistValues: ['NotStarted', 'InitialSync', 'Active', 'Paused', 'Error', 'Deleting'],
      defaultValue: 'NotStarted',
      restrictedPicklist: true,
    });
    expect(findField('Switchboard_Sync__c', 'Contact_Scope__c', false)).toMatchObject({
      type: 'textarea',
      length: 32768,
    });
    expect(findField('Switchboard_Sync__c', 'Sync_Contacts__c', false)).toMatchObject({
      type: 'boolean',
      defaultValue: 'true',
      nillable: false,
    });
    // Percent defaults are fractions in metadata (0.1) and percentages through the API (10).
    expect(findField('Switchboard_Sync__c', 'Mass_Delete_Threshold__c', false)).toMatchObject({
      type: 'double',
      defaultValue: '10',
    });
    expect(findField('Switchboard_Sync__c', 'Default_Country__c', false)).toMatchObject({
      type: 'string',
      length: 2,
      defaultValue: 'US',
    });
    expect(findField('Switchboard_Field_Mapping__c', 'Sync__c', false)).toMatchObject({
      type: 'reference',
      referenceTo: ['Switchboard_Sync__c'],
      relationshipName: 'Sync__r',
      childRelationshipName: 'Field_Mappings__r',
      nillable: false,
      requiredOnCreate: true,
    });
    expect(findField('Switchboard_Field_Mapping__c', 'OwnerId', false)).toBeUndefined();
    expect(findField('Switchboard_Sync_Error__c', 'OwnerId', false)).toBeDefined();
  });

  test('describe through jsforce', async () => {
    const describe = await conn.describe('Switchboard_Sync__c');
    expect(describe).toMatchObject({ name: 'Switchboard_Sync__c', label: 'Switchboard Sync', keyPrefix: 'a0A' });
    const status = describe.fields.find((f) => f.name === 'Status__c');
    expect(status?.picklistValues?.map((v) => v.value)).toContain('Active');
  });

  test('a new org has one active "Default sync" for Contacts, Leads and Person Accounts, unscoped, without mapping rows', async () => {
    const syncs = await conn.query<Row>(
      'SELECT Id, Name, Status__c, Sync_Contacts__c, Sync_Leads__c, Sync_Person_Accounts__c, Contact_Scope__c, Default_Country__c, Mass_Delete_Threshold__c, Direction__c, Frequency__c FROM Switchboard_Sync__c',
    );
    expect(syncs.records).toEqual([
      expect.objectContaining({
        Id: expect.stringMatching(/^a0A/),
        Name: 'Default sync',
        Status__c: 'Active',
        Sync_Contacts__c: true,
        Sync_Leads__c: true,
        Sync_Person_Accounts__c: true,
        Contact_Scope__c: null,
        Default_Country__c: 'US',
        Mass_Delete_Threshold__c: 10,
        Direction__c: 'Both',
        Frequency__c: 'Hourly',
      }),
    ]);
    expect((await conn.query('SELECT Id FROM Switchboard_Field_Mapping__c')).totalSize).toBe(0);
  });

  test('the shipped default mappings are queryable custom metadata records, read-only', async () => {
    const result = await conn.query<Row>(
      "SELECT DeveloperName, Salesforce_Object__c, Salesforce_Field__c, Telephony_Field__c, Direction__c, Sort_Order__c FROM Switchboard_Default_Mapping__mdt WHERE Salesforce_Object__c = 'Contact' ORDER BY Sort_Order__c",
    );
    expect(result.records.map((r) => r.Salesforce_Field__c)).toEqual(
      loadCustomMetadataRecords('Switchboard_Default_Mapping__mdt')
        .filter((r) => r.values.Salesforce_Object__c === 'Contact')
        .sort((a, b) => Number(a.values.Sort_Order__c) - Number(b.values.Sort_Order__c))
        .map((r) => r.values.Salesforce_Field__c),
    );
    expect(result.records[0]).toMatchObject({ Sort_Order__c: expect.any(Number), Direction__c: expect.any(String) });
    expect((await conn.query('SELECT Id FROM Switchboard_Default_Mapping__mdt')).totalSize).toBe(24);
    const rejected = await rejectionOf(
      conn.sobject('Switchboard_Default_Mapping__mdt').create({ Salesforce_Field__c: 'Email' }),
    );
    expect(rejected.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  test('mapping rows: created under a sync, auto-numbered, queried through the Sync__r relationship', async () => {
    const [sync] = (await conn.query<Row>('SELECT Id FROM Switchboard_Sync__c')).records;
    const created = await conn.sobject('Switchboard_Field_Mapping__c').create([
      { Sync__c: sync.Id, Salesforce_Object__c: 'Contact', Salesforce_Field__c: 'Email', Telephony_Field__c: 'email' },
      {
        Sync__c: sync.Id,
        Salesforce_Object__c: 'Contact',
        Salesforce_Field__c: 'Phone',
        Telephony_Field__c: 'phone.work',
        Direction__c: 'ToTelephony',
      },
    ]);
    expect(created.every((r) => r.success)).toBe(true);
    const rows = await conn.query<Row>(
      `SELECT Name, Sync__r.Name, Salesforce_Field__c, Direction__c, Transform__c, Required__c FROM Switchboard_Field_Mapping__c WHERE Sync__c = '${sync.Id}' ORDER BY Name`,
    );
    expect(rows.records).toEqual([
      expect.objectContaining({
        Name: 'FM-0001',
        Sync__r: expect.objectContaining({ Name: 'Default sync' }),
        Direction__c: 'Both',
        Transform__c: 'None',
        Required__c: false,
      }),
      expect.objectContaining({ Name: 'FM-0002', Direction__c: 'ToTelephony' }),
    ]);
  });

  test('bad input names the field: a mapping without its sync, a value outside a restricted picklist', async () => {
    const missing = await rejectionOf(
      conn
        .sobject('Switchboard_Field_Mapping__c')
        .create({ Salesforce_Object__c: 'Lead', Salesforce_Field__c: 'Email', Telephony_Field__c: 'email' }),
    );
    expect(missing.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(missing.message).toMatch(/\[Sync__c\]/);
    const [sync] = (await conn.query<Row>('SELECT Id FROM Switchboard_Sync__c')).records;
    const bad = await rejectionOf(conn.sobject('Switchboard_Sync__c').update({ Id: sync.Id, Status__c: 'Running' }));
    expect(bad.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(bad.message).toMatch(/Status: bad value for restricted picklist field: Running/);
  });

  test('the service can update status and counters, and write sync errors', async () => {
    const [sync] = (await conn.query<Row>('SELECT Id FROM Switchboard_Sync__c')).records;
    await conn
      .sobject('Switchboard_Sync__c')
      .update({ Id: sync.Id, Status__c: 'Paused', Synced_Count__c: 42, Last_Sync_Time__c: '2025-06-01T10:00:00.000Z' });
    const error = await conn.sobject('Switchboard_Sync_Error__c').create({
      Sync__c: sync.Id,
      Record_Id__c: '003000000000001AAA',
      Side__c: 'Salesforce',
      Error_Code__c: 'INVALID_EMAIL_ADDRESS',
      Error_Key__c: '003000000000001AAA|Salesforce|INVALID_EMAIL_ADDRESS',
    });
    expect(error.success).toBe(true);
    const [after] = (
      await conn.query<Row>(
        `SELECT Status__c, Synced_Count__c, Last_Sync_Time__c FROM Switchboard_Sync__c WHERE Id = '${sync.Id}'`,
      )
    ).records;
    expect(after).toMatchObject({
      Status__c: 'Paused',
      Synced_Count__c: 42,
      Last_Sync_Time__c: '2025-06-01T10:00:00.000+0000',
    });
    const errors = await conn.query<Row>(`SELECT Name, State__c, Sync__r.Name FROM Switchboard_Sync_Error__c`);
    expect(errors.records).toEqual([
      expect.objectContaining({
        Name: 'ERR-000001',
        State__c: 'Failing',
        Sync__r: expect.objectContaining({ Name: 'Default sync' }),
      }),
    ]);
  });

  test('an org created with seedSync: false has no sync', () => {
    const org = new EmulatedOrg({
      seed: { contacts: 1, leads: 0, businessAccounts: 0, personAccounts: 0, users: 2 },
      seedSync: false,
    });
    expect([...org.store.scan('Switchboard_Sync__c')]).toEqual([]);
    expect(
      new EmulatedOrg({
        seed: { contacts: 1, leads: 0, businessAccounts: 0, personAccounts: 0, users: 2 },
      }).store.count('Switchboard_Sync__c'),
    ).toBe(1);
  });
});
