import type { Connection } from 'jsforce';
import { PackageNotInstalledError, readSyncConfigurationRows } from '../../src/salesforce/settingsReader';

/** A connection whose queries answer from `answer` by the object queried, recording each SOQL. */
function fakeOrg(answer: (soql: string) => Array<Record<string, unknown>>) {
  const asked: string[] = [];
  const conn = {
    query: async (soql: string) => {
      asked.push(soql);
      return { records: answer(soql) };
    },
  } as unknown as Connection;
  return { conn, asked };
}

describe('readSyncConfigurationRows', () => {
  it("returns the rows as read: the syncs, then the first one's mappings and the default mappings", async () => {
    const syncs = [
      { Id: 'a0A000000000001AAA', Name: 'Oldest' },
      { Id: 'a0A000000000002AAA', Name: 'Newer' },
    ];
    const mappings = [{ Id: 'a0B000000000001AAA', swb__Salesforce_Field__c: 'Title' }];
    const defaults = [{ DeveloperName: 'Contact_Phone' }];
    const { conn, asked } = fakeOrg((soql) =>
      soql.includes('FROM swb__Switchboard_Sync__c')
        ? syncs
        : soql.includes('FROM swb__Switchboard_Field_Mapping__c')
          ? mappings
          : defaults,
    );
    expect(await readSyncConfigurationRows(conn, 'swb')).toEqual({ syncs, mappings, defaults });
    expect(asked).toHaveLength(3);
    expect(asked[0]).toMatch(
      /^SELECT Id, Name, swb__Status__c, .* FROM swb__Switchboard_Sync__c WHERE swb__Status__c != 'Deleting' ORDER BY CreatedDate, Id$/,
    );
    expect(asked[1]).toMatch(
      /FROM swb__Switchboard_Field_Mapping__c WHERE swb__Sync__c = 'a0A000000000001AAA' ORDER BY Name$/,
    );
    expect(asked[2]).toMatch(
      /^SELECT DeveloperName, .* FROM swb__Switchboard_Default_Mapping__mdt ORDER BY swb__Sort_Order__c$/,
    );
  });

  it('asks one query when the org has no sync', async () => {
    const { conn, asked } = fakeOrg(() => []);
    expect(await readSyncConfigurationRows(conn, '')).toEqual({ syncs: [], mappings: [], defaults: [] });
    expect(asked).toHaveLength(1);
  });

  it('says the package is missing when the org does not know the sync object', async () => {
    const conn = {
      query: async () => {
        throw Object.assign(new Error("sObject type 'Switchboard_Sync__c' is not supported."), {
          errorCode: 'INVALID_TYPE',
        });
      },
    } as unknown as Connection;
    await expect(readSyncConfigurationRows(conn, '')).rejects.toThrow(PackageNotInstalledError);
  });
});
