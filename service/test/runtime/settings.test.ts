import { eventually, linkedContact, startStack, uiCreate, type Stack } from '../support/harness';

/** The org's seeded "Default sync" record. */
const defaultSyncId = (stack: Stack) => stack.emulator.org.store.idFor('Switchboard_Sync__c', 0);

describe('sync settings read from the org', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("runs the org's sync record with the shipped default mappings", () => {
    const status = stack.service.orgs[0].status();
    expect(status.sync).toEqual({ id: defaultSyncId(stack), name: 'Default sync', status: 'Active' });
    expect(status.settingsProblems).toEqual([]);
    expect(stack.service.orgs[0].settings.mappings.filter((m) => m.sobject === 'Contact')).toHaveLength(9);
  });

  it("honours the default phone country and the sync's own mapping rows after a reload", async () => {
    const org = stack.emulator.org;
    const admin = org.adminUser;
    org.store.update('Switchboard_Sync__c', [{ Id: defaultSyncId(stack), Default_Country__c: 'DE' }], admin);
    const rows = [
      ['LastName', 'lastName'],
      ['Phone', 'phone.work'],
    ].map(([field, telephonyField]) => ({
      Sync__c: defaultSyncId(stack),
      Salesforce_Object__c: 'Contact',
      Salesforce_Field__c: field,
      Telephony_Field__c: telephonyField,
      Direction__c: 'Both',
      Transform__c: 'None',
    }));
    const results = org.store.insert('Switchboard_Field_Mapping__c', rows, admin);
    expect(results.every((r) => r.success)).toBe(true);
    await stack.service.orgs[0].reloadSettings();

    const runtime = stack.service.orgs[0];
    expect(runtime.settings.defaultCountry).toBe('DE');
    expect(runtime.settings.mappings.filter((m) => m.sobject === 'Contact').map((m) => m.sfField)).toEqual([
      'LastName',
      'Phone',
    ]);

    const id = uiCreate(stack, 'Contact', {
      FirstName: 'Konrad',
      LastName: 'Zuse',
      Title: 'Inventor',
      Phone: '030 1234567',
    });
    const contact = await eventually(() => linkedContact(stack, id), 'the contact under the new settings');
    expect(contact).toMatchObject({ lastName: 'Zuse', firstName: null, title: null });
    expect(contact.phones).toEqual([{ kind: 'work', raw: '030 1234567', e164: '+49301234567', extension: null }]);
  });

  it('reports a configuration mistake naming the record and the field, and keeps the rest', async () => {
    const org = stack.emulator.org;
    const [bad] = org.store.insert(
      'Switchboard_Field_Mapping__c',
      [
        {
          Sync__c: defaultSyncId(stack),
          Salesforce_Object__c: 'Contact',
          Salesforce_Field__c: 'Title',
          Telephony_Field__c: 'custom.jobTitle',
          Direction__c: 'Both',
          Transform__c: 'None',
        },
      ],
      org.adminUser,
    );
    expect(bad.success).toBe(true);
    await stack.service.orgs[0].reloadSettings();
    const status = stack.service.orgs[0].status();
    expect(status.settingsProblems).toEqual([
      expect.objectContaining({ recordId: bad.id, field: 'Telephony_Field__c' }),
    ]);
    expect(stack.service.orgs[0].settings.mappings.map((m) => m.sfField)).toEqual(['LastName', 'Phone']);
  });
});
