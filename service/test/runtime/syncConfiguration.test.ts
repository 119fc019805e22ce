import { parseSyncConfiguration } from '../../src/runtime/syncConfiguration';
import type { DescribedField } from '../../src/sync/rules/mappingCheck';

const SYNC_ID = 'a0A000000000001AAA';
const field = (name: string, writable = true): DescribedField => ({ name, createable: writable, updateable: writable });

/** The org's objects as the integration user sees them; the describes asked are recorded. */
function describer(objects: Record<string, DescribedField[]>) {
  const asked: string[] = [];
  const describe = async (sobject: string) => {
    asked.push(sobject);
    const fields = objects[sobject];
    if (!fields) throw new Error(`sObject type '${sobject}' is not supported`);
    return fields;
  };
  return { describe, asked };
}

const mapping = (id: string, sfField: string, telephonyField: string, direction = 'Both') => ({
  Id: id,
  Salesforce_Object__c: 'Contact',
  Salesforce_Field__c: sfField,
  Telephony_Field__c: telephonyField,
  Direction__c: direction,
});

describe('parseSyncConfiguration (the rows salesforce/settingsReader read, parsed and checked)', () => {
  it('runs the oldest sync, names the others, and leaves out a mapping the org cannot honour', async () => {
    const { describe, asked } = describer({ Contact: [field('LastName'), field('Title', false)] });
    const rows = {
      syncs: [
        { Id: SYNC_ID, Name: 'Main', Status__c: 'Active', Sync_Contacts__c: true },
        { Id: 'a0A000000000002AAA', Name: 'Second' },
      ],
      mappings: [
        mapping('a0B000000000001AAA', 'LastName', 'lastName'),
        mapping('a0B000000000002AAA', 'Title', 'title'),
      ],
      defaults: [],
    };
    const configuration = await parseSyncConfiguration(rows, '', describe);
    expect(configuration.sync).toMatchObject({ syncId: SYNC_ID, name: 'Main', status: 'Active', objects: ['Contact'] });
    expect(configuration.sync?.mappings.map((m) => m.sfField)).toEqual(['LastName']);
    expect(configuration.ignoredSyncIds).toEqual(['a0A000000000002AAA']);
    expect(configuration.problems).toEqual([
      {
        recordId: 'a0B000000000002AAA',
        field: 'Salesforce_Field__c',
        message: expect.stringMatching(/^Contact\.Title: the integration user cannot create or update it/),
      },
    ]);
    expect(asked).toEqual(['Contact']);
  });

  it('is empty when the org has no sync, and asks no describe', async () => {
    const { describe, asked } = describer({});
    expect(await parseSyncConfiguration({ syncs: [], mappings: [], defaults: [] }, '', describe)).toEqual({
      sync: null,
      ignoredSyncIds: [],
      problems: [],
    });
    expect(asked).toEqual([]);
  });
});
