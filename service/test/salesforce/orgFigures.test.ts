import type { Connection } from 'jsforce';
import { countOrgRecords, dailyApiUsage, ORG_COUNTS } from '../../src/salesforce/orgFigures';

/** A jsforce connection that answers only what a test gives it. */
const fakeConnection = (methods: Record<string, unknown>): Connection => methods as unknown as Connection;

describe('what the service reads about an org', () => {
  it('reads the daily API usage from GET /limits, or null when the org does not report it', async () => {
    const limits = jest.fn(async () => ({ DailyApiRequests: { Max: 15_000, Remaining: 12_500 } }));
    expect(await dailyApiUsage(fakeConnection({ limits }))).toEqual({ used: 2_500, limit: 15_000 });
    expect(limits).toHaveBeenCalledTimes(1);
    expect(await dailyApiUsage(fakeConnection({ limits: async () => ({}) }))).toBeNull();
  });

  it('counts contacts, leads and active standard users, one COUNT() query each', async () => {
    const asked: string[] = [];
    const query = async (soql: string) => {
      asked.push(soql);
      return { totalSize: asked.length * 10, records: [] };
    };
    const counts = [];
    for (const name of ORG_COUNTS) counts.push([name, await countOrgRecords(fakeConnection({ query }), name)]);
    expect(counts).toEqual([
      ['contacts', 10],
      ['leads', 20],
      ['users', 30],
    ]);
    expect(asked).toEqual([
      'SELECT COUNT() FROM Contact',
      'SELECT COUNT() FROM Lead',
      "SELECT COUNT() FROM User WHERE IsActive = true AND UserType = 'Standard'",
    ]);
  });
});
