import type { Connection } from 'jsforce';
import { API_VERSION, rejectionOf, startRestHarness, type RestHarness } from './rest-harness';

interface DescribedField {
  name: string;
  type: string;
  length: number;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  picklistValues: { value: string; label: string; active: boolean; defaultValue: boolean }[];
}

const fieldNamed = (fields: DescribedField[], name: string): DescribedField | undefined =>
  fields.find((f) => f.name === name);

describe('emulator REST: describe and limits', () => {
  describe('in an org with Person Accounts', () => {
    let h: RestHarness;
    let conn: Connection;
    beforeAll(async () => {
      h = await startRestHarness({ personAccounts: true });
      conn = await h.connect();
    });
    afterAll(async () => {
      await h.close();
    });

    it('lists the sObjects in describeGlobal', async () => {
      const global = await conn.describeGlobal();
      expect(global.sobjects.map((s) => s.name)).toEqual([
        'Contact',
        'Lead',
        'Account',
        'User',
        'Task',
        // The package's own objects, read from force-app.
        'Switchboard_Sync__c',
        'Switchboard_Field_Mapping__c',
        'Switchboard_Sync_Error__c',
        'Switchboard_Default_Mapping__mdt',
      ]);
      expect(global.sobjects[0]).toMatchObject({
        name: 'Contact',
        label: 'Contact',
        labelPlural: 'Contacts',
        keyPrefix: '003',
        createable: true,
        updateable: true,
        queryable: true,
        urls: { describe: `/services/data/v${API_VERSION}/sobjects/Contact/describe` },
      });
    });

    it('describes Contact fields with the documented properties', async () => {
      const contact = await conn.describe('Contact');
      expect(contact).toMatchObject({ name: 'Contact', keyPrefix: '003', createable: true, deletable: true });
      const fields = contact.fields as unknown as DescribedField[];
      expect(fieldNamed(fields, 'Id')).toMatchObject({
        type: 'id',
        createable: false,
        updateable: false,
        nillable: false,
        length: 18,
      });
      expect(fieldNamed(fields, 'MobilePhone')).toMatchObject({
        type: 'phone',
        length: 40,
        createable: true,
        updateable: true,
        nillable: true,
      });
      expect(fieldNamed(fields, 'LastName')).toMatchObject({ type: 'string', length: 80, nillable: false });
      expect(fieldNamed(fields, 'AccountId')).toMatchObject({
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Account',
      });
      expect(fieldNamed(fields, 'CallType')).toBeUndefined();
    });

    it('describes picklist values and child relationships', async () => {
      const lead = await conn.describe('Lead');
      const status = fieldNamed(lead.fields as unknown as DescribedField[], 'Status');
      expect(status?.type).toBe('picklist');
      expect(status?.picklistValues).toContainEqual({
        value: 'Working - Contacted',
        label: 'Working - Contacted',
        active: true,
        defaultValue: false,
        validFor: null,
      });
      const account = await conn.describe('Account');
      expect(account.childRelationships).toContainEqual(
        expect.objectContaining({ childSObject: 'Contact', field: 'AccountId', relationshipName: 'Contacts' }),
      );
    });

    it('includes the Person Account fields on Account', async () => {
      const account = await conn.describe('Account');
      const names = account.fields.map((f) => f.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'IsPersonAccount',
          'PersonEmail',
          'PersonMobilePhone',
          'PersonContactId',
          'FirstName',
          'LastName',
        ]),
      );
    });

    it('resolves object names case-insensitively and 404s unknown ones', async () => {
      const lower = await conn.request<{ name: string }>(`/services/data/v${API_VERSION}/sobjects/contact/describe`);
      expect(lower.name).toBe('Contact');
      const err = await rejectionOf(conn.describe('Opportunity'));
      expect(err.errorCode).toBe('NOT_FOUND');
      expect(err.message).toBe('The requested resource does not exist');
    });

    it('serves the versioned resource list and the sObject basic info', async () => {
      const resources = await conn.request<Record<string, string>>(`/services/data/v${API_VERSION}/`);
      expect(resources.sobjects).toBe(`/services/data/v${API_VERSION}/sobjects`);
      expect(resources.limits).toBe(`/services/data/v${API_VERSION}/limits`);
      const basic = await conn.request<{ objectDescribe: { name: string } }>(
        `/services/data/v${API_VERSION}/sobjects/Lead`,
      );
      expect(basic.objectDescribe.name).toBe('Lead');
    });

    it('reports daily API requests in /limits from the same counter as Sforce-Limit-Info', async () => {
      const limits = (await conn.limits()) as unknown as Record<string, { Max: number; Remaining: number }>;
      const used = conn.limitInfo.apiUsage?.used ?? -1;
      expect(limits.DailyApiRequests).toEqual({ Max: 100_000, Remaining: 100_000 - used });
      expect(limits.DailyBulkV2QueryJobs.Max).toBe(10_000);
    });
  });

  describe('in an org without Person Accounts', () => {
    let h: RestHarness;
    beforeAll(async () => {
      h = await startRestHarness({ personAccounts: false });
    });
    afterAll(async () => {
      await h.close();
    });

    it('leaves the Person Account fields out of Account', async () => {
      const conn = await h.connect();
      const account = await conn.describe('Account');
      const names = account.fields.map((f) => f.name);
      expect(names).toEqual(expect.arrayContaining(['Id', 'Name', 'Phone']));
      for (const personField of [
        'IsPersonAccount',
        'PersonEmail',
        'PersonMobilePhone',
        'PersonContactId',
        'LastName',
      ]) {
        expect(names).not.toContain(personField);
      }
    });
  });
});
