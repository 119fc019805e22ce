import type { Connection } from 'jsforce';
import { queryActiveStandardUsers } from '../../../src/salesforce/queries/users';

const WHERE = "FROM User WHERE IsActive = true AND UserType = 'Standard' ORDER BY Id";
const ADA = {
  Id: '005000000000001AAA',
  FirstName: 'Ada',
  LastName: 'Lovelace',
  Email: null,
  Title: null,
  Phone: '+1 415 555 0100',
  MobilePhone: null,
};

describe("the org's users", () => {
  it('reads the active standard users in Id order, every page fetched, with their Extension', async () => {
    const query = jest.fn(async () => ({ records: [{ ...ADA, Extension: '100' }], totalSize: 1 }));
    expect(await queryActiveStandardUsers({ query } as unknown as Connection)).toEqual([{ ...ADA, extension: '100' }]);
    expect(query).toHaveBeenCalledWith(
      `SELECT Id, FirstName, LastName, Email, Title, Phone, MobilePhone, Extension ${WHERE}`,
      {
        autoFetch: true,
        maxFetch: 1_000_000,
      },
    );
  });

  it('reads the extension from the field the org keeps it in (CALLS_USER_EXTENSION_FIELD), whatever its case', async () => {
    const query = jest.fn(async () => ({ records: [{ ...ADA, Desk_Extension__c: 4711 }], totalSize: 1 }));
    const users = await queryActiveStandardUsers({ query } as unknown as Connection, 'desk_extension__c');
    expect(users).toEqual([{ ...ADA, extension: '4711' }]);
    expect(query).toHaveBeenCalledWith(
      `SELECT Id, FirstName, LastName, Email, Title, Phone, MobilePhone, desk_extension__c ${WHERE}`,
      expect.anything(),
    );
  });

  it('never puts anything but a field name into the query', async () => {
    const query = jest.fn();
    await expect(
      queryActiveStandardUsers({ query } as unknown as Connection, 'Extension FROM User WHERE Id != null --'),
    ).rejects.toThrow('is not a User field API name');
    expect(query).not.toHaveBeenCalled();
  });
});
