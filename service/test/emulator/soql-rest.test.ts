import type { Connection, Record as JsforceRecord } from 'jsforce';
import { API_VERSION, rejectionOf, startQueryHarness, type QueryHarness } from './rest-harness';

/** jsforce's Query is thenable but not a Promise. */
const runQuery = (conn: Connection, soql: string): Promise<unknown> => Promise.resolve(conn.query(soql));

/** The REST query resource as the unmodified jsforce uses it: paging, errors, queryAll. */
describe('emulator REST query endpoints (jsforce)', () => {
  let h: QueryHarness;
  beforeAll(async () => {
    h = await startQueryHarness({
      seed: { contacts: 4500, leads: 30, businessAccounts: 7, personAccounts: 3, users: 3 },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('pages 4,500 records as 2,000 + 2,000 + 500 through nextRecordsUrl', async () => {
    const first = await h.conn.query<JsforceRecord>('SELECT Id, LastName FROM Contact');
    expect(first).toMatchObject({ totalSize: 4500, done: false });
    expect(first.records).toHaveLength(2000);
    // The platform sends a root-relative URL (jsforce makes it absolute).
    const raw = JSON.parse(
      (await h.request('GET', `query?q=${encodeURIComponent('SELECT Id FROM Contact')}`)).text,
    ) as { nextRecordsUrl: string };
    expect(raw.nextRecordsUrl).toMatch(new RegExp(`^/services/data/v${API_VERSION}/query/01g[0-9A-Za-z]{15}-2000$`));
    const second = await h.conn.queryMore<JsforceRecord>(first.nextRecordsUrl as string);
    expect(second).toMatchObject({ totalSize: 4500, done: false });
    expect(second.records).toHaveLength(2000);
    const third = await h.conn.queryMore<JsforceRecord>(second.nextRecordsUrl as string);
    expect(third).toMatchObject({ totalSize: 4500, done: true });
    expect(third.records).toHaveLength(500);
    expect(third.nextRecordsUrl).toBeUndefined();
    const ids = [...first.records, ...second.records, ...third.records].map((r) => r.Id);
    expect(new Set(ids).size).toBe(4500);
    expect([...ids].sort()).toEqual(ids);
  });

  it('autoFetch follows every page, and ORDER BY holds across pages', async () => {
    const result = await h.conn.query<JsforceRecord>(
      'SELECT Id, LastName, FirstName FROM Contact ORDER BY LastName DESC, Id',
      {
        autoFetch: true,
        maxFetch: 10_000,
      },
    );
    expect(result.records).toHaveLength(4500);
    const names = result.records.map((r) => String(r.LastName).toUpperCase());
    expect(names).toEqual([...names].sort().reverse());
  });

  it('honours Sforce-Query-Options batchSize within 200..2,000', async () => {
    const q = encodeURIComponent("SELECT Id FROM Contact WHERE LastName LIKE 'T%'");
    const small = await h.request('GET', `query?q=${q}`, { headers: { 'Sforce-Query-Options': 'batchSize=250' } });
    const body = JSON.parse(small.text) as { totalSize: number; records: unknown[]; nextRecordsUrl: string };
    expect(small.status).toBe(200);
    expect(body.records).toHaveLength(250);
    expect(body.totalSize).toBeGreaterThan(250);
    const tooSmall = await h.request('GET', `query?q=${q}`, { headers: { 'Sforce-Query-Options': 'batchSize=5' } });
    expect((JSON.parse(tooSmall.text) as { records: unknown[] }).records).toHaveLength(200);
    // The continuation keeps the cursor's batch size.
    const next = await h.request('GET', body.nextRecordsUrl);
    expect((JSON.parse(next.text) as { records: unknown[] }).records).toHaveLength(250);
  });

  it('returns relationship fields nested, null when there is no parent', async () => {
    const [withAccount] = (
      await h.conn.query<JsforceRecord>('SELECT Id, Account.Name, Account.Owner.Name FROM Contact LIMIT 1')
    ).records;
    expect(withAccount.Account).toEqual({
      attributes: {
        type: 'Account',
        url: expect.stringMatching(new RegExp(`^/services/data/v${API_VERSION}/sobjects/Account/001`)),
      },
      Name: expect.any(String),
      Owner: { attributes: { type: 'User', url: expect.any(String) }, Name: 'Avery Admin' },
    });
    const created = await h.conn.sobject('Contact').create({ LastName: 'Orphan' });
    const orphan = await h.conn.query<JsforceRecord>(
      `SELECT Id, Account.Name FROM Contact WHERE Id = '${String(created.id)}'`,
    );
    expect(orphan.records).toEqual([
      {
        attributes: { type: 'Contact', url: `/services/data/v${API_VERSION}/sobjects/Contact/${String(created.id)}` },
        Id: created.id,
        Account: null,
      },
    ]);
  });

  it('answers COUNT() with totalSize and no records, and LIMIT/OFFSET with a single page', async () => {
    const count = await h.conn.query("SELECT COUNT() FROM Lead WHERE Status = 'Open - Not Contacted'");
    expect(count).toEqual({ totalSize: 30, done: true, records: [] });
    const page = await h.conn.query<JsforceRecord>('SELECT Id FROM Lead ORDER BY Id LIMIT 5 OFFSET 20');
    const all = await h.conn.query<JsforceRecord>('SELECT Id FROM Lead ORDER BY Id');
    expect(page.totalSize).toBe(5);
    expect(page.records.map((r) => r.Id)).toEqual(all.records.slice(20, 25).map((r) => r.Id));
  });

  it('queryAll includes deleted records with IsDeleted true; query does not', async () => {
    const [victim] = (await h.conn.query<JsforceRecord>('SELECT Id FROM Lead ORDER BY Id LIMIT 1')).records;
    await h.conn.sobject('Lead').destroy(victim.Id as string);
    const soql = `SELECT Id, IsDeleted FROM Lead WHERE Id = '${String(victim.Id)}'`;
    expect((await h.conn.query(soql)).totalSize).toBe(0);
    const all = await h.conn.query<JsforceRecord>(soql, { scanAll: true });
    expect(all.records).toMatchObject([{ Id: victim.Id, IsDeleted: true }]);
    expect((await h.conn.query('SELECT COUNT() FROM Lead', { scanAll: true })).totalSize).toBe(30);
    expect((await h.conn.query('SELECT COUNT() FROM Lead')).totalSize).toBe(29);
  });

  it('reports MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE as Salesforce does', async () => {
    const malformed = await rejectionOf(
      runQuery(h.conn, "SELECT Id FROM Contact WHERE LastName = 'a' AND Email = null OR Title = 'x'"),
    );
    expect(malformed.errorCode).toBe('MALFORMED_QUERY');
    expect(malformed.message).toContain("unexpected token: 'OR'");
    const invalidField = await rejectionOf(runQuery(h.conn, 'SELECT Id, Shoe_Size__c FROM Contact'));
    expect(invalidField.errorCode).toBe('INVALID_FIELD');
    expect(invalidField.message).toContain("No such column 'Shoe_Size__c' on entity 'Contact'");
    const invalidType = await rejectionOf(runQuery(h.conn, 'SELECT Id FROM Opportunity'));
    expect(invalidType.errorCode).toBe('INVALID_TYPE');
    const raw = await h.request('GET', `query?q=${encodeURIComponent('SELECT Id FROM Opportunity')}`);
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.text)).toEqual([
      { errorCode: 'INVALID_TYPE', message: expect.stringContaining("sObject type 'Opportunity' is not supported") },
    ]);
    const empty = await h.request('GET', 'query');
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.text)).toMatchObject([{ errorCode: 'MALFORMED_QUERY' }]);
  });

  it('rejects unknown and expired locators with INVALID_QUERY_LOCATOR, keeping at most 50 cursors', async () => {
    const unknown = await h.request('GET', 'query/01g000000000000AAA-2000');
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text)).toEqual([
      { errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' },
    ]);

    const first = await h.conn.query('SELECT Id FROM Contact');
    const small = { headers: { 'Sforce-Query-Options': 'batchSize=200' } };
    const openCursors = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++)
        await h.request('GET', `query?q=${encodeURIComponent('SELECT Id FROM Contact')}`, small);
    };
    await openCursors(49);
    // 50 open: the first is still there, and using it makes it the most recently used.
    const second = await h.conn.queryMore(first.nextRecordsUrl as string);
    expect(second.records).toHaveLength(2000);
    await openCursors(49);
    const last = await h.conn.queryMore(second.nextRecordsUrl as string);
    expect(last.done).toBe(true);
    expect(last.records).toHaveLength(last.totalSize - 4000);
    const third = await h.conn.query('SELECT Id FROM Contact');
    await openCursors(50);
    const expired = await rejectionOf(Promise.resolve(h.conn.queryMore(third.nextRecordsUrl as string)));
    expect(expired.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('re-reads a page when asked for an earlier position of a live cursor', async () => {
    const first = await h.conn.query<JsforceRecord>('SELECT Id FROM Contact');
    const second = await h.conn.queryMore<JsforceRecord>(first.nextRecordsUrl as string);
    const again = await h.conn.queryMore<JsforceRecord>(first.nextRecordsUrl as string);
    expect(again.records.map((r) => r.Id)).toEqual(second.records.map((r) => r.Id));
  });
});
