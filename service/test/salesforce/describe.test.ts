import type { Connection } from 'jsforce';
import { describeFields, hasPersonAccounts } from '../../src/salesforce/describe';

describe('describeFields and hasPersonAccounts', () => {
  it("describes an object's fields, and knows Person Accounts by Account.IsPersonAccount", async () => {
    const described: string[] = [];
    const orgWith = (fields: string[]) =>
      ({
        sobject: (name: string) => ({
          describe: async () => {
            described.push(name);
            return { fields: fields.map((f) => ({ name: f, createable: true, updateable: true })) };
          },
        }),
      }) as unknown as Connection;
    expect((await describeFields(orgWith(['Id', 'Name']), 'Contact')).map((f) => f.name)).toEqual(['Id', 'Name']);
    expect(await hasPersonAccounts(orgWith(['Id', 'Name', 'IsPersonAccount']))).toBe(true);
    expect(await hasPersonAccounts(orgWith(['Id', 'Name']))).toBe(false);
    expect(described).toEqual(['Contact', 'Account', 'Account']);
  });
});
