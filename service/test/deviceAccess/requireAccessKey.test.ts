/** requireAccessKey (issue 14, item 5): the key in the URL or as Basic password, scopes, wrong keys, revocation. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { openDatabase } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import type { Database } from '../../src/store/types';
import { resetDatabase } from '../support/backends';
import {
  accessKeyOf,
  createDeviceAccessGuards,
  requireAccessKey,
  type DeviceAccessGuards,
} from '../../src/deviceAccess/requireAccessKey';
import { createAccessKey, revokeAccessKey, rotateAccessKey } from '../../src/deviceAccess/accessKeys';
import { getAccessKey } from '../../src/store/devices/accessKeys';
import { DatabaseUnavailableError } from '../../src/store/availability';
import { errorHandler } from '../../src/http/errors';
import { generateAccessKey } from '../../src/deviceAccess/keys';

let db: Database;
let server: http.Server;
let url = '';
let guards: DeviceAccessGuards;
let clock = 1_000_000;
const logLines: string[] = [];
/** What the last request that got through saw downstream: the key's context, its URL and query. */
let seen: { accessKey: unknown; url: string; originalUrl: string; query: unknown } | undefined;

beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  const app = express();
  app.set('trust proxy', 'loopback');
  // The guards are rebuilt per test (beforeEach): the middleware reads them through this indirection.
  const door = (scope: 'phonebook' | 'callerid', failure: 'json' | 'empty'): express.RequestHandler => {
    return (req, res, next) => requireAccessKey({ db, scope, logger, failure, guards })(req, res, next);
  };
  const answer: express.RequestHandler = (req, res) => {
    seen = { accessKey: accessKeyOf(res), url: req.url, originalUrl: req.originalUrl, query: { ...req.query } };
    res.type('text/plain').send('ok');
  };
  app.get('/phonebook/:format', door('phonebook', 'json'), answer);
  app.get('/callerid/:number', door('callerid', 'empty'), answer);
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await db.close();
});

beforeEach(async () => {
  await resetDatabase(db);
  clock += 3_600_000;
  guards = createDeviceAccessGuards({ throttle: { maxFailures: 3, windowMs: 60_000 }, now: () => clock });
  logLines.length = 0;
  seen = undefined;
});

const basic = (password: string, user = 'phone') =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

describe('requireAccessKey', () => {
  it('lets a key in through ?key= and through the Basic password, with the key context and no key in the URL', async () => {
    const { record, key } = await createAccessKey(db, {
      name: 'Reception phones',
      scopes: ['phonebook'],
      options: { nameOrder: 'last-first', maxLength: 20 },
    });
    const byQuery = await request(url).get(`/phonebook/yealink?q=M%C3%BC&key=${key}&page=2`);
    expect(byQuery.status).toBe(200);
    expect(seen).toEqual({
      accessKey: {
        id: record.id,
        name: 'Reception phones',
        scopes: ['phonebook'],
        options: { nameOrder: 'last-first', maxLength: 20 },
      },
      url: '/phonebook/yealink?q=M%C3%BC&page=2',
      originalUrl: '/phonebook/yealink?q=M%C3%BC&page=2',
      query: { q: 'Mü', page: '2' },
    });
    seen = undefined;
    const byBasic = await request(url).get('/phonebook/cisco').set('Authorization', basic(key, 'anyone at all'));
    expect(byBasic.status).toBe(200);
    expect(seen).toMatchObject({ accessKey: { id: record.id }, url: '/phonebook/cisco' });
    // A blank `key=` from a provisioning template does not hide the Basic password.
    const blankQuery = await request(url).get('/phonebook/cisco?key=&q=a').set('Authorization', basic(key));
    expect(blankQuery.status).toBe(200);
    expect(seen).toMatchObject({ url: '/phonebook/cisco?q=a', query: { q: 'a' } });
  });

  it('refuses a missing, malformed, wrong or revoked key with 401 and a Basic challenge (JSON naming the key)', async () => {
    const { record, key } = await createAccessKey(db, { name: 'k', scopes: ['phonebook'] });
    const missing = await request(url).get('/phonebook/yealink');
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Basic realm="switchboard"/);
    expect(missing.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String), field: 'key' } });
    // One character off (never the key itself: a key may end in any character), one too many, no key at all.
    const nearMiss = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    for (const wrong of ['nonsense', nearMiss, `${key}x`]) {
      const res = await request(url).get(`/phonebook/yealink?key=${encodeURIComponent(wrong)}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm="switchboard"/);
      expect(res.body.error.field).toBe('key');
    }
    clock += 120_000; // past the throttle window the wrong keys above opened
    expect(await revokeAccessKey(db, record.id)).toBe('revoked');
    const revoked = await request(url).get(`/phonebook/yealink?key=${key}`);
    expect(revoked.status).toBe(401);
    expect(seen).toBeUndefined();
  });

  it('refuses a key without the route scope with 403', async () => {
    const { key } = await createAccessKey(db, { name: 'k', scopes: ['callerid'] });
    const res = await request(url).get(`/phonebook/yealink?key=${key}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: { code: 'forbidden', message: 'this access key is not for phonebook', field: 'key' },
    });
    expect((await request(url).get(`/callerid/%2B14155552671?key=${key}`)).status).toBe(200);
  });

  it("stops the old key at once after a rotation; the new one works with the key's id and settings", async () => {
    const { record, key: oldKey } = await createAccessKey(db, { name: 'k', scopes: ['phonebook'] });
    await request(url).get(`/phonebook/yealink?key=${oldKey}`).expect(200); // read, and kept for a few seconds
    const rotated = await rotateAccessKey(db, record.id);
    expect(rotated?.record.id).toBe(record.id);
    expect(rotated?.key).not.toBe(oldKey);
    expect((await request(url).get(`/phonebook/yealink?key=${oldKey}`)).status).toBe(401);
    expect((await request(url).get(`/phonebook/yealink?key=${rotated?.key}`)).status).toBe(200);
  });

  it('answers every failure with an empty body in empty mode', async () => {
    const { key } = await createAccessKey(db, { name: 'k', scopes: ['phonebook'] });
    const { key: limited } = await createAccessKey(db, { name: 'l', scopes: ['callerid'], rateLimitPerMinute: 1 });
    const { key: fenced } = await createAccessKey(db, {
      name: 'f',
      scopes: ['callerid'],
      allowedCidrs: ['10.0.0.0/8'],
    });
    await request(url).get(`/callerid/1?key=${limited}`).expect(200);
    const failures: Array<[number, request.Test]> = [
      [401, request(url).get('/callerid/%2B14155552671')],
      [401, request(url).get('/callerid/%2B14155552671?key=sbk_wrong')],
      [403, request(url).get(`/callerid/%2B14155552671?key=${key}`)],
      [403, request(url).get(`/callerid/%2B14155552671?key=${fenced}`)],
      [429, request(url).get(`/callerid/%2B14155552671?key=${limited}`)],
    ];
    for (const [status, pending] of failures) {
      const res = await pending.buffer(true).parse((r, done) => {
        let text = '';
        r.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        r.on('end', () => done(null, text));
      });
      expect(res.status).toBe(status);
      expect(res.body).toBe('');
      expect(res.headers['content-length'] ?? '0').toBe('0');
    }
  });

  it('throttles a client after too many wrong keys, even with the right key, and not other clients', async () => {
    const { key } = await createAccessKey(db, { name: 'k', scopes: ['phonebook'] });
    const from = (ip: string, k: string) => request(url).get(`/phonebook/yealink?key=${k}`).set('X-Forwarded-For', ip);
    for (let i = 0; i < 3; i++) expect((await from('192.0.2.10', 'sbk_guess')).status).toBe(401);
    const blocked = await from('192.0.2.10', key);
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('60');
    expect((await from('192.0.2.11', key)).status).toBe(200);
    clock += 60_001;
    expect((await from('192.0.2.10', key)).status).toBe(200);
    expect(logLines.join('\n')).toContain('wrong access keys: client throttled');
  });

  it("trusts a key it read for 5 s: another instance's revocation takes effect within that, this process's at once", async () => {
    const { record, key } = await createAccessKey(db, { name: 'cached', scopes: ['phonebook'] });
    await request(url).get(`/phonebook/yealink?key=${key}`).expect(200);
    // Another service instance sharing the database revokes it: this one learns on its next read.
    await db.query('UPDATE access_keys SET revoked_at = now() WHERE id = $1', [record.id]);
    clock += 4_000;
    expect((await request(url).get(`/phonebook/yealink?key=${key}`)).status).toBe(200);
    clock += 1_001;
    expect((await request(url).get(`/phonebook/yealink?key=${key}`)).status).toBe(401);
    // Through this process (the API), a revocation stops a cached key on the next request.
    clock += 120_000;
    const { record: other, key: otherKey } = await createAccessKey(db, { name: 'other', scopes: ['phonebook'] });
    await request(url).get(`/phonebook/yealink?key=${otherKey}`).expect(200);
    expect(await revokeAccessKey(db, other.id)).toBe('revoked');
    expect((await request(url).get(`/phonebook/yealink?key=${otherKey}`)).status).toBe(401);
  });

  it('records last use at most once a minute per key', async () => {
    const { record, key } = await createAccessKey(db, { name: 'k', scopes: ['phonebook'] });
    expect(record.lastUsedAt).toBeNull();
    await request(url).get(`/phonebook/yealink?key=${key}`).expect(200);
    const first = await waitFor(async () => (await getAccessKey(db, record.id))?.lastUsedAt ?? undefined);
    expect(first).toBe(new Date(clock).toISOString());
    clock += 30_000;
    await request(url).get(`/phonebook/yealink?key=${key}`).expect(200);
    clock += 31_000;
    await request(url).get(`/phonebook/yealink?key=${key}`).expect(200);
    const later = await waitFor(async () => {
      const at = (await getAccessKey(db, record.id))?.lastUsedAt;
      return at !== first ? (at ?? undefined) : undefined;
    });
    // The request 30 s after the first wrote nothing; the one 61 s after it did.
    expect(later).toBe(new Date(clock).toISOString());
  });
});

describe('requireAccessKey when the database fails', () => {
  it('answers 503 with no body in empty mode, and hands the outage to the API error handler in json mode', async () => {
    // The key check's database fails as in an outage (what store/availability.ts makes of a dropped connection).
    const outage: Database = {
      kind: 'postgres',
      query: () => Promise.reject(new DatabaseUnavailableError(new Error('Connection terminated'))),
      transaction: () => Promise.reject(new DatabaseUnavailableError(new Error('Connection terminated'))),
      close: async () => undefined,
    };
    const logger = pino({ level: 'silent' });
    const app = express();
    app.get('/callerid/:n', requireAccessKey({ db: outage, scope: 'callerid', logger, failure: 'empty' }), (_q, r) => {
      r.send('never');
    });
    app.get('/phonebook/:f', requireAccessKey({ db: outage, scope: 'phonebook', logger, failure: 'json' }), (_q, r) => {
      r.send('never');
    });
    app.use(errorHandler(logger));
    const key = generateAccessKey();
    const empty = await request(app).get(`/callerid/1?key=${key}`);
    expect(empty.status).toBe(503);
    expect(empty.text).toBe('');
    const json = await request(app).get(`/phonebook/yealink?key=${key}`);
    expect(json.status).toBe(503);
    expect(json.body.error.code).toBe('database_unavailable');
  });
});

/** Polls until `probe` gives a value (the write is off the request's path), with a generous timeout. */
async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
