import type { Connection } from 'jsforce';
import { queryActiveStandardUsers } from '../../../src/salesforce/queries/users';

describe("the org's users", () => {
  it('reads the active standard users in Id order, every page fetched', async () => {
    const users = [
      {
        Id: '005000000000001AAA',
        FirstName: 'Ada',
        LastName: 'Lovelace',
        Email: null,
        Title: null,
        Phone: '+1 415 555 0100',
        MobilePhone: null,
        Extension: '100',
      },
    ];
    const query = jest.fn(async () => ({ records: users, totalSize: 1 }));
    expect(await queryActiveStandardUsers({ query } as unknown as Connection)).toBe(users);
    expect(query).toHaveBeenCalledWith(
      "SELECT Id, FirstName, LastName, Email, Title, Phone, MobilePhone, Extension FROM User WHERE IsActive = true AND UserType = 'Standard' ORDER BY Id",
      { autoFetch: true, maxFetch: 1_000_000 },
    );
  });
});
