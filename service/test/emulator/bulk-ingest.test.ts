import type { DmlBatch } from '../../emulator/org/store';
import { rejectionOf, startQueryHarness, type QueryHarness, type RawResponse } from './rest-harness';
import { bulkJobsOf } from '../../emulator/bulk/routes';

const POLL = { pollInterval: 20, pollTimeout: 30_000 };
const json = <T>(response: RawResponse): T => JSON.parse(response.text) as T;

interface JobInfo {
  id: string;
  state: string;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  errorMessage?: string;
}

/** Bulk API 2.0 ingest jobs, driven by the unmodified jsforce's loadAndWaitForResults and raw HTTPS. */
describe('emulator Bulk API 2.0 ingest', () => {
  let h: QueryHarness;
  const batches: DmlBatch[] = [];
  beforeAll(async () => {
    h = await startQueryHarness({ seed: { contacts: 30, leads: 0, businessAccounts: 3, personAccounts: 0, users: 2 } });
    h.org.store.onCommit((batch) => batches.push(batch));
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    batches.length = 0;
  });

  const post = (path: string, body: unknown): Promise<RawResponse> =>
    h.request('POST', path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const patch = (path: string, body: unknown): Promise<RawResponse> =>
    h.request('PATCH', path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const upload = (id: string, csv: string): Promise<RawResponse> =>
    h.request('PUT', `jobs/ingest/${id}/batches`, { headers: { 'content-type': 'text/csv' }, body: csv });
  const waitForEnd = async (id: string): Promise<JobInfo> => {
    for (let attempt = 0; attempt < 500; attempt++) {
      const info = json<JobInfo>(await h.request('GET', `jobs/ingest/${id}`));
      if (!['Open', 'UploadComplete', 'InProgress'].includes(info.state)) return info;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`job ${id} never finished`);
  };
  const runJob = async (job: Record<string, unknown>, csv: string): Promise<JobInfo> => {
    const created = json<JobInfo>(await post('jobs/ingest', job));
    expect((await upload(created.id, csv)).status).toBe(201);
    expect(json<JobInfo>(await patch(`jobs/ingest/${created.id}`, { state: 'UploadComplete' })).state).toBe(
      'UploadComplete',
    );
    return waitForEnd(created.id);
  };

  it('inserts through loadAndWaitForResults, reporting successful and failed rows with their values', async () => {
    const result = await h.conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'insert',
      input: [
        { LastName: 'Bulk One', Email: 'one@bulk.test', MobilePhone: '+1 415 555 0101' },
        { LastName: '', Email: 'nolast@bulk.test', MobilePhone: '' },
        { LastName: 'Bulk Bad Email', Email: 'not-an-email', MobilePhone: '' },
        { LastName: 'Bulk Two', Email: '', MobilePhone: '555-0102' },
      ],
      ...POLL,
    });
    expect(result.successfulResults).toHaveLength(2);
    expect(result.successfulResults[0]).toEqual({
      sf__Id: expect.stringMatching(/^003[0-9A-Za-z]{15}$/),
      sf__Created: 'true',
      LastName: 'Bulk One',
      Email: 'one@bulk.test',
      MobilePhone: '+1 415 555 0101',
    });
    const stored = h.org.store.get('Contact', String(result.successfulResults[0].sf__Id));
    expect(stored).toMatchObject({
      LastName: 'Bulk One',
      Email: 'one@bulk.test',
      CreatedById: h.org.integrationUser.userId,
    });
    expect(result.failedResults).toEqual([
      {
        sf__Id: '',
        sf__Error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --',
        LastName: '',
        Email: 'nolast@bulk.test',
        MobilePhone: '',
      },
      {
        sf__Id: '',
        sf__Error: 'INVALID_EMAIL_ADDRESS:Email: invalid email address: not-an-email:Email --',
        LastName: 'Bulk Bad Email',
        Email: 'not-an-email',
        MobilePhone: '',
      },
    ]);
    expect(result.unprocessedRecords).toEqual([]);
  });

  it('applies 450 rows as DML chunks of 200, 200 and 50, as the job creator', async () => {
    const csv = ['LastName,Title', ...Array.from({ length: 450 }, (_, i) => `Chunk ${i},Tester`)].join('\n') + '\n';
    const info = await runJob({ object: 'Contact', operation: 'insert' }, csv);
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 450, numberRecordsFailed: 0 });
    expect(batches.map((b) => b.changes.length)).toEqual([200, 200, 50]);
    expect(batches.every((b) => b.operation === 'create' && b.actor.userId === h.org.integrationUser.userId)).toBe(
      true,
    );
  });

  it('updates: an empty cell leaves a field alone, #N/A clears it', async () => {
    const [a, b] = h.org.store
      .insert(
        'Contact',
        [
          { LastName: 'Upd A', Title: 'Keep', Email: 'a@upd.test' },
          { LastName: 'Upd B', Title: 'Drop', Email: 'b@upd.test' },
        ],
        h.org.adminUser,
      )
      .map((r) => String(r.id));
    const info = await runJob(
      { object: 'Contact', operation: 'update' },
      `Id,Title,Email\n${a},,new@upd.test\n${b},#N/A,\n003000000000000AAA,x,\n`,
    );
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 1 });
    expect(h.org.store.get('Contact', a)).toMatchObject({ Title: 'Keep', Email: 'new@upd.test' });
    expect(h.org.store.get('Contact', b)).toMatchObject({ Title: null, Email: 'b@upd.test' });
    const failed = await h.request('GET', `jobs/ingest/${info.id}/failedResults`);
    expect(failed.text).toBe(
      '"sf__Id","sf__Error","Id","Title","Email"\n"","INVALID_CROSS_REFERENCE_KEY:invalid cross reference id: --","003000000000000AAA","x",\n',
    );
    const successful = await h.request('GET', `jobs/ingest/${info.id}/successfulResults`);
    expect(successful.text.split('\n')[1]).toBe(`"${a}","false","${a}",,"new@upd.test"`);
  });

  it('upserts on Id: rows with an Id update, rows without insert', async () => {
    const [existing] = h.org.store
      .insert('Contact', [{ LastName: 'Ups Old' }], h.org.adminUser)
      .map((r) => String(r.id));
    const result = await h.conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'upsert',
      externalIdFieldName: 'Id',
      input: `Id,LastName\n${existing},Ups Renamed\n,Ups New\n`,
      ...POLL,
    });
    const byName = Object.fromEntries(
      result.successfulResults.map((r) => [String((r as Record<string, unknown>).LastName), r]),
    );
    expect(byName['Ups Renamed']).toMatchObject({ sf__Id: existing, sf__Created: 'false' });
    expect(byName['Ups New']).toMatchObject({ sf__Id: expect.stringMatching(/^003/), sf__Created: 'true' });
    expect(h.org.store.get('Contact', existing)?.LastName).toBe('Ups Renamed');
  });

  it('deletes by Id', async () => {
    const ids = h.org.store
      .insert('Contact', [{ LastName: 'Del 1' }, { LastName: 'Del 2' }], h.org.adminUser)
      .map((r) => String(r.id));
    batches.length = 0;
    const result = await h.conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'delete',
      input: ids.map((Id) => ({ Id })),
      ...POLL,
    });
    expect(result.successfulResults.map((r) => r.sf__Id).sort()).toEqual([...ids].sort());
    expect(ids.map((id) => h.org.store.get('Contact', id))).toEqual([undefined, undefined]);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ operation: 'delete', actor: { userId: h.org.integrationUser.userId } });
  });

  it('keeps quotes, commas, line breaks and unicode from the uploaded CSV', async () => {
    const csv = 'lastname,TITLE,Department\n"Quote ""Q"" Person","a, b","two\nlines"\nZoë Ørsted 東京,📞,\n';
    const info = await runJob({ object: 'Contact', operation: 'insert' }, csv);
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 });
    const [first, second] = batches[0].changes.map((c) => c.after);
    expect(first).toMatchObject({ LastName: 'Quote "Q" Person', Title: 'a, b', Department: 'two\nlines' });
    expect(second).toMatchObject({ LastName: 'Zoë Ørsted 東京', Title: '📞', Department: null });
    // Field names match case-insensitively; the results echo the header as uploaded.
    const successful = await h.request('GET', `jobs/ingest/${info.id}/successfulResults`);
    expect(successful.text.split('\n')[0]).toBe('"sf__Id","sf__Created","lastname","TITLE","Department"');
    expect(successful.text).toContain('"true","Quote ""Q"" Person","a, b","two\nlines"\n');
  });

  it('fails the job with an errorMessage for an unknown column or a wrong line ending', async () => {
    const unknown = await rejectionOf(
      h.conn.bulk2.loadAndWaitForResults({
        object: 'Contact',
        operation: 'insert',
        input: 'LastName,Shoe_Size__c\nBig,46\n',
        ...POLL,
      }),
    );
    expect(unknown.message).toBe(
      'Ingest job failed to complete due to: InvalidBatch : Field name not found : Shoe_Size__c',
    );
    const crlf = await runJob({ object: 'Contact', operation: 'insert', lineEnding: 'CRLF' }, 'LastName\nLF Only\n');
    expect(crlf).toMatchObject({
      state: 'Failed',
      errorMessage: expect.stringContaining('LineEnding is invalid on user data'),
    });
    const broken = await runJob({ object: 'Contact', operation: 'insert' }, 'LastName,Title\n"unclosed,x\n');
    expect(broken).toMatchObject({
      state: 'Failed',
      errorMessage: expect.stringMatching(/^InvalidBatch : Failed to parse CSV/),
    });
    expect(batches).toEqual([]);
  });

  it('rejects bad job requests with INVALIDJOB naming the field', async () => {
    const unknownObject = await rejectionOf(
      h.conn.bulk2.loadAndWaitForResults({ object: 'Opportunity', operation: 'insert', input: 'Name\nx\n', ...POLL }),
    );
    expect(unknownObject.errorCode).toBe('INVALIDJOB');
    expect(unknownObject.message).toContain("sObject type 'Opportunity' is not supported");
    expect(json(await post('jobs/ingest', { object: 'Contact', operation: 'merge' }))).toEqual([
      { errorCode: 'INVALIDJOB', message: "operation: expected one of insert, update, upsert, delete, got 'merge'" },
    ]);
    expect(json(await post('jobs/ingest', { object: 'Contact', operation: 'upsert' }))).toMatchObject([
      { errorCode: 'INVALIDJOB', message: 'externalIdFieldName: required for upsert' },
    ]);
    expect(
      json(await post('jobs/ingest', { object: 'Contact', operation: 'update', columnDelimiter: 'SPACE' })),
    ).toMatchObject([{ errorCode: 'INVALIDJOB', message: expect.stringContaining('columnDelimiter') }]);
  });

  it('aborts an open job: nothing is written and the uploaded rows are unprocessed', async () => {
    const job = json<JobInfo & { contentUrl: string }>(
      await post('jobs/ingest', { object: 'Contact', operation: 'insert' }),
    );
    expect(job).toMatchObject({ state: 'Open', contentUrl: `services/data/v62.0/jobs/ingest/${job.id}/batches` });
    await upload(job.id, 'LastName\nNever 1\n');
    await upload(job.id, 'LastName\nNever 2\n');
    expect(json<JobInfo>(await patch(`jobs/ingest/${job.id}`, { state: 'Aborted' })).state).toBe('Aborted');
    const late = await upload(job.id, 'LastName\nToo late\n');
    expect(late.status).toBe(400);
    expect(json(late)).toMatchObject([{ errorCode: 'INVALIDJOBSTATE' }]);
    const unprocessed = await h.request('GET', `jobs/ingest/${job.id}/unprocessedrecords`);
    expect(unprocessed.text).toBe('"LastName"\n"Never 1"\n"Never 2"\n');
    expect(batches).toEqual([]);
    expect((await h.request('DELETE', `jobs/ingest/${job.id}`)).status).toBe(204);
    expect((await h.request('GET', `jobs/ingest/${job.id}`)).status).toBe(404);
  });

  it('lists results in another order than the upload when told to, as the platform may', async () => {
    const jobs = bulkJobsOf(h.org);
    jobs.ingestResultOrder = 'reversed';
    try {
      const info = await runJob(
        { object: 'Contact', operation: 'insert' },
        'LastName,Title\nOrder A,First\nOrder B,Second\n,Third\n',
      );
      expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 1 });
      const successful = (await h.request('GET', `jobs/ingest/${info.id}/successfulResults`)).text.split('\n');
      expect(successful[0]).toBe('"sf__Id","sf__Created","LastName","Title"');
      expect(successful.slice(1, 3).map((line) => line.split(',').slice(1).join(','))).toEqual([
        '"true","Order B","Second"',
        '"true","Order A","First"',
      ]);
      const failed = (await h.request('GET', `jobs/ingest/${info.id}/failedResults`)).text.split('\n');
      expect(failed[0]).toBe('"sf__Id","sf__Error","LastName","Title"');
      expect(failed[1]).toBe(
        '"","REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --",,"Third"',
      );
    } finally {
      jobs.ingestResultOrder = 'upload';
    }
  });

  it('lists ingest jobs', async () => {
    const list = json<{ done: boolean; records: JobInfo[] }>(await h.request('GET', 'jobs/ingest'));
    expect(list.done).toBe(true);
    expect(list.records.length).toBeGreaterThan(3);
    expect(list.records.every((r) => r.id.startsWith('750'))).toBe(true);
  });
});
