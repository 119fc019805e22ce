import { parse } from 'csv-parse/sync';
import type { Record as JsforceRecord } from 'jsforce';
import { bulkJobsOf } from '../../emulator/bulk/routes';
import { API_VERSION, rejectionOf, startQueryHarness, type QueryHarness, type RawResponse } from './rest-harness';

const CONTACTS = 25_000;
const POLL = { pollInterval: 20, pollTimeout: 30_000 };

async function collect(stream: NodeJS.EventEmitter): Promise<JsforceRecord[]> {
  const records: JsforceRecord[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('record', (record: JsforceRecord) => records.push(record));
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  return records;
}

const json = <T>(response: RawResponse): T => JSON.parse(response.text) as T;

interface JobInfo {
  id: string;
  state: string;
  numberRecordsProcessed: number;
  errorMessage?: string;
}

/** Bulk API 2.0 query jobs, driven by the unmodified jsforce and by raw HTTPS where jsforce cannot go. */
describe('emulator Bulk API 2.0 query', () => {
  let h: QueryHarness;
  beforeAll(async () => {
    h = await startQueryHarness({
      seed: { contacts: CONTACTS, leads: 5, businessAccounts: 12, personAccounts: 0, users: 2 },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  const createJob = async (body: Record<string, unknown>): Promise<JobInfo> => {
    const created = await h.request('POST', 'jobs/query', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(created.status).toBe(200);
    return json<JobInfo>(created);
  };
  const waitFor = async (id: string, state: string): Promise<JobInfo> => {
    for (let attempt = 0; attempt < 500; attempt++) {
      const info = json<JobInfo>(await h.request('GET', `jobs/query/${id}`));
      if (info.state === state) return info;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`job ${id} never reached ${state}`);
  };

  it('streams every record of a 25,000-row query to jsforce bulk2.query, relationship columns included', async () => {
    const records = await collect(
      await h.conn.bulk2.query('SELECT Id, FirstName, LastName, Account.Name, Email FROM Contact', POLL),
    );
    expect(records).toHaveLength(CONTACTS);
    expect(new Set(records.map((r) => r.Id)).size).toBe(CONTACTS);
    expect(Object.keys(records[0])).toEqual(['Id', 'FirstName', 'LastName', 'Account.Name', 'Email']);
    const first = h.org.store.get('Contact', String(records[0].Id));
    const account = h.org.store.get('Account', String(first?.AccountId));
    expect(records[0]).toEqual({
      Id: first?.Id,
      FirstName: first?.FirstName ?? '',
      LastName: first?.LastName,
      'Account.Name': account?.Name,
      Email: first?.Email ?? '',
    });
  });

  it('pages by maxRecords with Sforce-Locator / Sforce-NumberOfRecords, every page with its header row', async () => {
    const job = await createJob({
      operation: 'query',
      query: "SELECT Id, LastName FROM Contact WHERE LastName != 'Nobody'",
    });
    expect(job).toMatchObject({
      operation: 'query',
      object: 'Contact',
      state: 'UploadComplete',
      contentType: 'CSV',
      apiVersion: 62,
    });
    await waitFor(job.id, 'JobComplete');

    const pages: Array<{ locator: string; rows: string[][]; text: string }> = [];
    let locator = '';
    do {
      const page = await h.request(
        'GET',
        `jobs/query/${job.id}/results?maxRecords=6000${locator ? `&locator=${locator}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/csv/);
      const rows = parse(page.text) as string[][];
      expect(rows[0]).toEqual(['Id', 'LastName']);
      expect(Number(page.headers['sforce-numberofrecords'])).toBe(rows.length - 1);
      pages.push({ locator, rows: rows.slice(1), text: page.text });
      locator = String(page.headers['sforce-locator']);
    } while (locator !== 'null');

    expect(pages.map((p) => p.rows.length)).toEqual([6000, 6000, 6000, 6000, 1000]);
    const ids = pages.flatMap((p) => p.rows.map((row) => row[0]));
    expect(new Set(ids).size).toBe(CONTACTS);
    expect(pages[1].locator).toMatch(/^[A-Za-z0-9+/]+$/);
    // A locator stays valid while the job exists: the same set of results again.
    const again = await h.request('GET', `jobs/query/${job.id}/results?maxRecords=6000&locator=${pages[2].locator}`);
    expect(again.text).toBe(pages[2].text);
    expect(json<JobInfo>(await h.request('GET', `jobs/query/${job.id}`)).numberRecordsProcessed).toBe(CONTACTS);
  });

  it('round-trips quotes, commas, line breaks and unicode through RFC 4180 CSV', async () => {
    const tricky = [
      { LastName: 'Esc "quoted"', Title: 'a,b,c', Department: 'line1\nline2' },
      { LastName: 'Esc Zoë Ørsted 東京', Title: 'Emoji 📞', Department: 'CR\r\nLF' },
      { LastName: "Esc O'Brien", Title: '"', Department: ',' },
    ];
    const created = await h.conn.sobject('Contact').create(tricky);
    expect(created.every((r) => r.success)).toBe(true);
    const soql = "SELECT LastName, Title, Department, Email FROM Contact WHERE LastName LIKE 'Esc %' ORDER BY LastName";
    const records = await collect(await h.conn.bulk2.query(soql, POLL));
    const expected = [...tricky].sort((a, b) => (a.LastName.toUpperCase() < b.LastName.toUpperCase() ? -1 : 1));
    expect(records).toEqual(expected.map((r) => ({ ...r, Email: '' })));

    const job = await createJob({ operation: 'query', query: soql });
    await waitFor(job.id, 'JobComplete');
    const raw = await h.request('GET', `jobs/query/${job.id}/results`);
    expect(raw.text.split('\n')[0]).toBe('"LastName","Title","Department","Email"');
    expect(raw.text).toContain('"Esc ""quoted""","a,b,c","line1\nline2",\n');
  });

  it('honours columnDelimiter and lineEnding', async () => {
    const job = await createJob({
      operation: 'query',
      query: "SELECT Id, Title FROM Contact WHERE Title = 'a,b,c'",
      columnDelimiter: 'PIPE',
      lineEnding: 'CRLF',
    });
    expect(job).toMatchObject({ columnDelimiter: 'PIPE', lineEnding: 'CRLF' });
    await waitFor(job.id, 'JobComplete');
    const raw = await h.request('GET', `jobs/query/${job.id}/results`);
    expect(raw.text).toMatch(/^"Id"\|"Title"\r\n"003[0-9A-Za-z]{15}"\|"a,b,c"\r\n$/);
  });

  it('queryAll jobs include deleted records', async () => {
    const created = await h.conn.sobject('Contact').create({ LastName: 'Gone Soon' });
    await h.conn.sobject('Contact').destroy(String(created.id));
    const soql = "SELECT Id, IsDeleted FROM Contact WHERE LastName = 'Gone Soon'";
    expect(await collect(await h.conn.bulk2.query(soql, POLL))).toEqual([]);
    expect(await collect(await h.conn.bulk2.query(soql, { ...POLL, scanAll: true }))).toEqual([
      { Id: created.id, IsDeleted: 'true' },
    ]);
  });

  it('rejects a bad query when the job is created, with the SOQL error code', async () => {
    const invalid = await rejectionOf(h.conn.bulk2.query('SELECT Id, Shoe_Size__c FROM Contact', POLL));
    expect(invalid.errorCode).toBe('INVALID_FIELD');
    expect(invalid.message).toContain("No such column 'Shoe_Size__c' on entity 'Contact'");
    const malformed = await rejectionOf(h.conn.bulk2.query('SELECT Id FROM Contact WHERE', POLL));
    expect(malformed.errorCode).toBe('MALFORMED_QUERY');
    const count = await h.request('POST', 'jobs/query', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'query', query: 'SELECT COUNT() FROM Contact' }),
    });
    expect(count.status).toBe(400);
    expect(json(count)).toEqual([{ errorCode: 'INVALIDJOB', message: expect.stringContaining('COUNT()') }]);
    const badDelimiter = await h.request('POST', 'jobs/query', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'query', query: 'SELECT Id FROM Contact', columnDelimiter: 'SPACE' }),
    });
    expect(json(badDelimiter)).toEqual([
      { errorCode: 'INVALIDJOB', message: expect.stringContaining('columnDelimiter') },
    ]);
  });

  it('ends a job in Failed with an errorMessage when processing fails (fault injection)', async () => {
    bulkJobsOf(h.org).failNextQueryJobs(1, 'Query timed out while building the results');
    const job = await createJob({ operation: 'query', query: 'SELECT Id FROM Contact' });
    const failed = await waitFor(job.id, 'Failed');
    expect(failed.errorMessage).toBe('Query timed out while building the results');
    const results = await h.request('GET', `jobs/query/${job.id}/results`);
    expect(results.status).toBe(400);
    expect(json(results)).toMatchObject([{ errorCode: 'INVALIDJOBSTATE' }]);
    bulkJobsOf(h.org).failNextQueryJobs(1);
    expect((await rejectionOf(h.conn.bulk2.query('SELECT Id FROM Lead', POLL))).message).toBe(
      'Query job failed to complete',
    );
  });

  it('lists, deletes and 404s jobs; results need the creating API version', async () => {
    const job = await createJob({ operation: 'query', query: 'SELECT Id FROM Lead' });
    await waitFor(job.id, 'JobComplete');
    const list = json<{ done: boolean; records: JobInfo[] }>(await h.request('GET', 'jobs/query'));
    expect(list.done).toBe(true);
    expect(list.records.map((r) => r.id)).toContain(job.id);
    const otherVersion = await h.request('GET', `/services/data/v61.0/jobs/query/${job.id}/results`);
    expect(otherVersion.status).toBe(409);
    expect((await h.request('DELETE', `jobs/query/${job.id}`)).status).toBe(204);
    const gone = await h.request('GET', `jobs/query/${job.id}`);
    expect(gone.status).toBe(404);
    expect(json(gone)).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });
});

describe('emulator Bulk API 2.0 query job states', () => {
  let h: QueryHarness;
  beforeAll(async () => {
    h = await startQueryHarness(
      { seed: { contacts: 50, leads: 0, businessAccounts: 2, personAccounts: 0, users: 2 } },
      { processingDelayMs: 300, defaultMaxRecords: 20 },
    );
  });
  afterAll(async () => {
    await h.close();
  });

  it('goes UploadComplete → InProgress → JobComplete, and can be aborted while in progress', async () => {
    const post = (query: string) =>
      h.request('POST', 'jobs/query', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
    const job = json<JobInfo>(await post('SELECT Id FROM Contact'));
    expect(job.state).toBe('UploadComplete');
    const seen = new Set<string>();
    for (let i = 0; i < 400 && !seen.has('JobComplete'); i++) {
      seen.add(json<JobInfo>(await h.request('GET', `jobs/query/${job.id}`)).state);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect([...seen]).toEqual(expect.arrayContaining(['InProgress', 'JobComplete']));
    expect(json<JobInfo>(await h.request('GET', `jobs/query/${job.id}`)).numberRecordsProcessed).toBe(50);

    // Without maxRecords, this router pages by its default of 20 rows.
    const first = await h.request('GET', `jobs/query/${job.id}/results`);
    expect(first.headers['sforce-numberofrecords']).toBe('20');
    expect(first.headers['sforce-locator']).not.toBe('null');

    const doomed = json<JobInfo>(await post('SELECT Id FROM Contact'));
    const aborted = await h.request('PATCH', `jobs/query/${doomed.id}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'Aborted' }),
    });
    expect(json<JobInfo>(aborted).state).toBe('Aborted');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(json<JobInfo>(await h.request('GET', `jobs/query/${doomed.id}`)).state).toBe('Aborted');
    const again = await h.request('PATCH', `jobs/query/${doomed.id}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'Aborted' }),
    });
    expect(again.status).toBe(400);
    expect(API_VERSION).toBe('62.0');
  });
});
