import type { Connection } from 'jsforce';
import {
  conditionRefusal,
  countRecords,
  queryErrorOf,
  queryRecordPages,
  queryRecords,
} from '../../../src/salesforce/queries/recordQueries';

/** A jsforce connection that answers only what a test gives it. */
const fakeConnection = (methods: Record<string, unknown>): Connection =>
  ({ version: '62.0', ...methods }) as unknown as Connection;

describe("reads of the engine's records", () => {
  it('queries given records, every page fetched, and hands the rows back as they came', async () => {
    const rows = [{ attributes: { type: 'Contact' }, Id: '003000000000001AAA', Account: { Name: 'Navy' } }];
    const query = jest.fn(async () => ({ records: rows, totalSize: 1 }));
    expect(
      await queryRecords(fakeConnection({ query }), {
        sobject: 'Contact',
        fields: ['Id', 'Account.Name'],
        ids: ['003000000000001AAA'],
      }),
    ).toBe(rows);
    expect(query).toHaveBeenCalledWith("SELECT Id, Account.Name FROM Contact WHERE Id IN ('003000000000001AAA')", {
      autoFetch: true,
    });
  });

  it('counts with one COUNT() query', async () => {
    const query = jest.fn(async () => ({ records: [], totalSize: 42 }));
    expect(await countRecords(fakeConnection({ query }), { sobject: 'Lead', condition: '(Rating = 1)' })).toBe(42);
    expect(query).toHaveBeenCalledWith('SELECT COUNT() FROM Lead WHERE (Rating = 1)');
  });

  it('reads page by page along nextRecordsUrl, through queryAll for deleted records', async () => {
    const asked: string[] = [];
    const request = async (url: string) => {
      asked.push(url);
      return asked.length === 1
        ? { done: false, nextRecordsUrl: '/next-page', records: [{ Id: 'a' }] }
        : { done: true, records: [{ Id: 'b' }] };
    };
    const pages = [];
    for await (const page of queryRecordPages(fakeConnection({ request }), {
      sobject: 'Contact',
      fields: ['Id'],
      deleted: true,
    }))
      pages.push(page);
    expect(pages).toEqual([[{ Id: 'a' }], [{ Id: 'b' }]]);
    expect(asked).toEqual([
      `/services/data/v62.0/queryAll?q=${encodeURIComponent('SELECT Id FROM Contact WHERE IsDeleted = true')}`,
      '/next-page',
    ]);

    asked.length = 0;
    for await (const page of queryRecordPages(
      fakeConnection({ request: async (url: string) => (asked.push(url), { done: true, records: [] }) }),
      { sobject: 'Lead', fields: ['Id'] },
    )) {
      expect(page).toEqual([]);
    }
    expect(asked).toEqual([`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`]);
  });

  it('tells a query the org refused by its text from other failures', () => {
    expect(queryErrorOf(Object.assign(new Error('no such column'), { errorCode: 'INVALID_FIELD' }))).toEqual({
      code: 'INVALID_FIELD',
      refusedQuery: true,
    });
    expect(queryErrorOf(Object.assign(new Error('bad'), { name: 'MALFORMED_QUERY' }))).toEqual({
      code: 'MALFORMED_QUERY',
      refusedQuery: true,
    });
    expect(queryErrorOf(new Error('socket hang up'))).toEqual({ code: 'Error', refusedQuery: false });
  });

  it('asks whether the org accepts a condition alone, and gives the last line of its reason when not', async () => {
    const asked: string[] = [];
    const accepting = fakeConnection({
      request: async (url: string) => (asked.push(url), { done: true, records: [] }),
    });
    expect(await conditionRefusal(accepting, { sobject: 'Contact', condition: '(Nope__c = 1)' })).toBeNull();
    expect(asked).toEqual([
      `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Contact WHERE (Nope__c = 1) LIMIT 1')}`,
    ]);

    const refusing = fakeConnection({
      request: async () => {
        throw new Error(
          "\nSELECT Id FROM Contact WHERE (Nope__c = 1)\n                              ^\nERROR at Row:1:Column:31\nNo such column 'Nope__c' on entity 'Contact'.\n",
        );
      },
    });
    expect(await conditionRefusal(refusing, { sobject: 'Contact', condition: '(Nope__c = 1)' })).toEqual({
      reason: "No such column 'Nope__c' on entity 'Contact'.",
    });
    const silent = fakeConnection({
      request: async () => {
        throw new Error('');
      },
    });
    expect(await conditionRefusal(silent, { sobject: 'Contact', condition: '(Nope__c = 1)' })).toEqual({
      reason: undefined,
    });
  });
});
