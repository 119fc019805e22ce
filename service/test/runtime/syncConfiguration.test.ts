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

  // CI's chaos run (10 % API faults): one describe answered UNABLE_TO_LOCK_ROW, the Contact mappings were
  // skipped as a "configuration problem", and the sync ran without them until the settings changed.
  it('fails the read on a transient describe error, so it is tried again, instead of skipping the mappings', async () => {
    const lock = Object.assign(new Error('unable to obtain exclusive access to this record'), {
      errorCode: 'UNABLE_TO_LOCK_ROW',
    });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const rows = {
      syncs: [{ Id: SYNC_ID, Name: 'Main', Status__c: 'Active', Sync_Contacts__c: true }],
      mappings: [
        mapping('a0B000000000001AAA', 'LastName', 'lastName'),
        mapping('a0B000000000003AAA', 'Account.Name', 'company', 'ToTelephony'),
      ],
      defaults: [],
    };
    const failing = (failOn: string, err: Error) => async (sobject: string) => {
      if (sobject === failOn) throw err;
      if (sobject === 'Account') return [field('Name')];
      return [field('LastName'), { ...field('AccountId'), relationshipName: 'Account', referenceTo: ['Account'] }];
    };
    await expect(parseSyncConfiguration(rows, '', failing('Contact', lock))).rejects.toBe(lock);
    // The relationship's target object too: Account.Name is not "missing" because Account's describe failed.
    await expect(parseSyncConfiguration(rows, '', failing('Account', reset))).rejects.toBe(reset);
    // A permanent answer stays a problem naming the object, and the other objects keep working.
    const missing = await parseSyncConfiguration(
      rows,
      '',
      failing('Contact', new Error("sObject type 'Contact' is not supported")),
    );
    expect(missing.problems).toEqual([
      {
        recordId: SYNC_ID,
        field: 'Contact',
        message: expect.stringMatching(/^cannot describe Contact: .*2 mapping\(s\) are skipped$/),
      },
    ]);
    const healthy = await parseSyncConfiguration(rows, '', failing('Nothing', lock));
    expect(healthy.problems).toEqual([]);
    expect(healthy.sync?.mappings.map((m) => m.sfField)).toEqual(['LastName', 'Account.Name']);
  });
});
