import type { Connection } from 'jsforce';
import { API_VERSION, rejectionOf, startRestHarness, type RestHarness } from './rest-harness';

interface SaveResultBody {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

describe('emulator REST: API metering and fault injection', () => {
  let h: RestHarness;
  let conn: Connection;
  beforeAll(async () => {
    h = await startRestHarness({ dailyApiLimit: 5_000 });
    conn = await h.connect();
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(async () => {
    await h.control('PUT', '/faults', { errorRate: 0, errorKinds: ['503'], failNextRequests: 0 });
  });

  const someContactId = (): string => h.org.store.idFor('Contact', 1);

  it('counts every API request in Sforce-Limit-Info, which jsforce exposes as limitInfo', async () => {
    await conn.describeGlobal();
    const first = conn.limitInfo.apiUsage;
    expect(first?.limit).toBe(5_000);
    await conn.sobject('Contact').retrieve(someContactId());
    await conn.sobject('Contact').retrieve(someContactId());
    expect(conn.limitInfo.apiUsage?.used).toBe((first?.used ?? 0) + 2);
    expect(h.org.apiUsage.used).toBe(conn.limitInfo.apiUsage?.used);
  });

  it('does not count the OAuth token endpoint or the control endpoints', async () => {
    const before = h.org.apiUsage.used;
    await h.connect();
    await h.control('GET', '/state');
    expect(h.org.apiUsage.used).toBe(before);
  });

  it('refuses requests past the daily allocation with 403 REQUEST_LIMIT_EXCEEDED', async () => {
    const saved = { ...h.org.apiUsage };
    await h.control('PUT', '/api-usage', { used: saved.limit });
    try {
      const err = await rejectionOf(conn.sobject('Contact').create({ LastName: 'Over the limit' }));
      expect(err.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
      expect(conn.limitInfo.apiUsage).toEqual({ used: saved.limit + 1, limit: saved.limit });
    } finally {
      await h.control('PUT', '/api-usage', { used: saved.used });
    }
  });

  it('fails the next request with 503 SERVER_UNAVAILABLE', async () => {
    await h.control('PUT', '/faults', { failNextRequests: 1, errorKinds: ['503'] });
    const res = await h.request('POST', `/services/data/v${API_VERSION}/sobjects/Contact`, {
      headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ LastName: 'Unavailable' }),
    });
    expect(res.status).toBe(503);
    expect(res.json()).toEqual([{ errorCode: 'SERVER_UNAVAILABLE', message: expect.any(String) }]);
    expect(h.org.faults.failNextRequests).toBe(0);
  });

  it('surfaces a 503 on a jsforce write, and jsforce retries a 503 on a read by itself', async () => {
    await h.control('PUT', '/faults', { failNextRequests: 1, errorKinds: ['503'] });
    const err = await rejectionOf(conn.sobject('Contact').create({ LastName: 'Not retried' }));
    expect(err.errorCode).toBe('SERVER_UNAVAILABLE');

    await h.control('PUT', '/faults', { failNextRequests: 1 });
    const record = await conn.sobject('Contact').retrieve(someContactId());
    expect(record.Id).toBe(someContactId());
    expect(h.org.faults.failNextRequests).toBe(0);
  });

  it('injects REQUEST_LIMIT_EXCEEDED as a 403', async () => {
    await h.control('PUT', '/faults', { failNextRequests: 1, errorKinds: ['REQUEST_LIMIT_EXCEEDED'] });
    const err = await rejectionOf(conn.sobject('Contact').update({ Id: someContactId(), Title: 'x' }));
    expect(err.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
  });

  it('injects UNABLE_TO_LOCK_ROW per record on collections, writing nothing', async () => {
    const before = h.org.store.count('Contact');
    await h.control('PUT', '/faults', { failNextRequests: 1, errorKinds: ['UNABLE_TO_LOCK_ROW'] });
    const created = (await conn
      .sobject('Contact')
      .create([{ LastName: 'Locked 1' }, { LastName: 'Locked 2' }])) as SaveResultBody[];
    expect(created).toHaveLength(2);
    for (const result of created) {
      expect(result).toEqual({
        success: false,
        errors: [
          {
            statusCode: 'UNABLE_TO_LOCK_ROW',
            message: expect.stringContaining('unable to obtain exclusive access'),
            fields: [],
          },
        ],
      });
    }
    expect(h.org.store.count('Contact')).toBe(before);

    await h.control('PUT', '/faults', { failNextRequests: 1 });
    const updated = (await conn
      .sobject('Contact')
      .update([{ Id: someContactId(), Title: 'Locked' }])) as SaveResultBody[];
    expect(updated[0].errors[0].message).toContain(someContactId());
    expect(h.org.store.get('Contact', someContactId())?.Title).not.toBe('Locked');
  });

  it('injects UNABLE_TO_LOCK_ROW as a 400 on single-record routes', async () => {
    await h.control('PUT', '/faults', { failNextRequests: 1, errorKinds: ['UNABLE_TO_LOCK_ROW'] });
    const err = await rejectionOf(conn.sobject('Contact').update({ Id: someContactId(), Title: 'Single lock' }));
    expect(err.errorCode).toBe('UNABLE_TO_LOCK_ROW');
    expect(h.org.store.get('Contact', someContactId())?.Title).not.toBe('Single lock');
  });

  it('injects a timeout: the org does the write, but its answer never arrives and the connection is cut', async () => {
    const before = h.org.store.count('Contact');
    await h.control('PUT', '/faults', { failNextRequests: 1, errorKinds: ['timeout'] });
    const err = await rejectionOf(conn.sobject('Contact').create({ LastName: 'Committed, unanswered' }));
    expect(err.errorCode).toBeUndefined();
    expect(err.message).toMatch(/socket hang up|ECONNRESET|terminated|other side closed/i);
    expect(h.org.store.count('Contact')).toBe(before + 1);
    expect((await conn.sobject('Contact').create({ LastName: 'Answered' })).success).toBe(true);
  });

  it('takes the error kinds in turn for failNextRequests, then serves normally', async () => {
    await h.control('PUT', '/faults', {
      failNextRequests: 2,
      errorKinds: ['REQUEST_LIMIT_EXCEEDED', 'UNABLE_TO_LOCK_ROW'],
    });
    const codes: string[] = [];
    for (let i = 0; i < 2; i++) {
      codes.push((await rejectionOf(conn.sobject('Contact').create({ LastName: `Turn ${i}` }))).errorCode ?? '');
    }
    expect(codes).toEqual(['REQUEST_LIMIT_EXCEEDED', 'UNABLE_TO_LOCK_ROW']);
    expect((await conn.sobject('Contact').create({ LastName: 'Served' })).success).toBe(true);
  });

  it('fails every request at errorRate 1 and none at 0', async () => {
    await h.control('PUT', '/faults', { errorRate: 1, errorKinds: ['REQUEST_LIMIT_EXCEEDED'] });
    for (let i = 0; i < 3; i++) {
      expect((await rejectionOf(conn.sobject('Contact').create({ LastName: 'Rate' }))).errorCode).toBe(
        'REQUEST_LIMIT_EXCEEDED',
      );
    }
    await h.control('PUT', '/faults', { errorRate: 0 });
    expect((await conn.sobject('Contact').create({ LastName: 'Rate zero' })).success).toBe(true);
  });
});
