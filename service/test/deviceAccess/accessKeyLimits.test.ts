/**
 * Where and how often a key may be used, over real HTTP: CIDR allow-lists for IPv4 and IPv6 clients (the peer, or
 * X-Forwarded-For from a proxy on loopback, as app.ts sets `trust proxy`), rate limits with 429 and Retry-After,
 * and logs that never show a key, even when a route behind the door fails or prints its URL.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { openDatabase } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import type { Database } from '../../src/store/types';
import { errorHandler } from '../../src/http/errors';
import { resetDatabase } from '../support/backends';
import {
  createDeviceAccessGuards,
  requireAccessKey,
  type DeviceAccessGuards,
} from '../../src/deviceAccess/requireAccessKey';
import { createAccessKey } from '../../src/deviceAccess/accessKeys';
import { hashAccessKey } from '../../src/deviceAccess/keys';

let db: Database;
const servers: http.Server[] = [];
let v4Url = '';
let v6Url = '';
let guards: DeviceAccessGuards;
let clock = 5_000_000;
const logLines: string[] = [];

beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  const app = express();
  app.set('trust proxy', 'loopback');
  const door: express.RequestHandler = (req, res, next) =>
    requireAccessKey({ db, scope: 'phonebook', logger, failure: 'json', guards })(req, res, next);
  app.get('/phonebook/seen', door, (req, res) => void res.json({ ip: req.ip }));
  // Routes behind the door that print their URL or fail: neither may carry the key into a log line.
  app.get('/phonebook/logs-url', door, (req, res) => {
    logger.info({ url: req.url, originalUrl: req.originalUrl, query: req.query }, 'handled');
    res.send('ok');
  });
  app.get('/phonebook/fails', door, () => {
    throw new Error('renderer broke');
  });
  app.use(errorHandler(logger));
  v4Url = await listen(app, '127.0.0.1');
  v6Url = await listen(app, '::1');
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await db.close();
});

beforeEach(async () => {
  await resetDatabase(db);
  clock += 3_600_000;
  guards = createDeviceAccessGuards({ now: () => clock, defaultRateLimitPerMinute: 5 });
  logLines.length = 0;
});

async function listen(app: express.Express, host: string): Promise<string> {
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

const get = (base: string, key: string, path = '/phonebook/seen') =>
  request(base).get(`${path}?key=${encodeURIComponent(key)}`);

describe('CIDR allow-lists', () => {
  it('admit IPv4 clients inside the list and refuse others with 403, behind a loopback proxy', async () => {
    const { key } = await createAccessKey(db, {
      name: 'branch',
      scopes: ['phonebook'],
      allowedCidrs: ['198.51.100.0/24', '203.0.113.9'],
    });
    const inside = await get(v4Url, key).set('X-Forwarded-For', '198.51.100.77');
    expect(inside.status).toBe(200);
    expect(inside.body).toEqual({ ip: '198.51.100.77' });
    expect((await get(v4Url, key).set('X-Forwarded-For', '203.0.113.9')).status).toBe(200);
    const outside = await get(v4Url, key).set('X-Forwarded-For', '198.51.101.1');
    expect(outside.status).toBe(403);
    expect(outside.body.error).toEqual({
      code: 'forbidden',
      message: 'this access key may not be used from this address',
      field: 'key',
    });
    // Without a forwarded address the loopback peer is the client, and it is outside the list.
    expect((await get(v4Url, key)).status).toBe(403);
  });

  it('admit IPv6 clients inside the list and refuse others, as the peer and behind a proxy', async () => {
    const { key } = await createAccessKey(db, {
      name: 'v6',
      scopes: ['phonebook'],
      allowedCidrs: ['2001:db8:10::/48', '::1/128'],
    });
    const peer = await get(v6Url, key);
    expect(peer.status).toBe(200);
    expect(peer.body).toEqual({ ip: '::1' });
    expect((await get(v6Url, key).set('X-Forwarded-For', '2001:db8:10:ff::5')).status).toBe(200);
    expect((await get(v6Url, key).set('X-Forwarded-For', '2001:db8:11::5')).status).toBe(403);
    expect((await get(v4Url, key)).status).toBe(403); // 127.0.0.1 is not ::1
    const { key: v4Only } = await createAccessKey(db, {
      name: 'v4',
      scopes: ['phonebook'],
      allowedCidrs: ['127.0.0.0/8'],
    });
    expect((await get(v6Url, v4Only)).status).toBe(403);
    expect((await get(v4Url, v4Only)).status).toBe(200);
  });

  it('do not count as wrong keys: a fenced-out client is not throttled for trying its real key', async () => {
    const { key } = await createAccessKey(db, { name: 'f', scopes: ['phonebook'], allowedCidrs: ['10.0.0.0/8'] });
    for (let i = 0; i < 12; i++) expect((await get(v4Url, key).set('X-Forwarded-For', '192.0.2.1')).status).toBe(403);
    const { key: open } = await createAccessKey(db, { name: 'o', scopes: ['phonebook'], rateLimitPerMinute: 100 });
    expect((await get(v4Url, open).set('X-Forwarded-For', '192.0.2.1')).status).toBe(200);
  });
});

describe('rate limits', () => {
  it("answer 429 with Retry-After once a key's requests per minute are used up, other keys unaffected", async () => {
    const { key } = await createAccessKey(db, { name: 'busy', scopes: ['phonebook'], rateLimitPerMinute: 3 });
    const { key: other } = await createAccessKey(db, { name: 'other', scopes: ['phonebook'], rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await get(v4Url, key)).status).toBe(200);
    clock += 20_000;
    const limited = await get(v4Url, key);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('40');
    expect(limited.body.error).toEqual({
      code: 'too_many_requests',
      message: 'this access key may make 3 requests a minute; try again later',
      field: 'key',
    });
    // The same key from another address shares the key's budget; another key has its own.
    expect((await get(v4Url, key).set('X-Forwarded-For', '192.0.2.50')).status).toBe(429);
    expect((await get(v4Url, other)).status).toBe(200);
    clock += 40_000;
    expect((await get(v4Url, key)).status).toBe(200);
  });

  it('apply the default limit to a key created without one', async () => {
    const { key } = await createAccessKey(db, { name: 'default', scopes: ['phonebook'] });
    for (let i = 0; i < 5; i++) expect((await get(v4Url, key)).status).toBe(200);
    expect((await get(v4Url, key)).status).toBe(429);
  });

  it('are shared by every door that uses the same guards', async () => {
    const { key } = await createAccessKey(db, { name: 'shared', scopes: ['phonebook'], rateLimitPerMinute: 2 });
    expect((await get(v4Url, key)).status).toBe(200);
    expect((await get(v6Url, key, '/phonebook/logs-url')).status).toBe(200);
    expect((await get(v4Url, key)).status).toBe(429);
  });
});

describe('logs', () => {
  it('never show the key: not from the door, a route printing its URL, a failing route or a throttled guesser', async () => {
    const { key } = await createAccessKey(db, { name: 'secret', scopes: ['phonebook'], allowedCidrs: ['10.0.0.0/8'] });
    const { key: open } = await createAccessKey(db, { name: 'open', scopes: ['phonebook'], rateLimitPerMinute: 100 });
    await get(v4Url, key).expect(403);
    await get(v4Url, open, '/phonebook/logs-url').expect(200);
    await request(v4Url)
      .get('/phonebook/fails')
      .set('Authorization', `Basic ${Buffer.from(`phone:${open}`).toString('base64')}`)
      .expect(500);
    await request(v4Url).get(`/phonebook/fails?q=x&key=${open}`).expect(500);
    const nearMiss = `${open.slice(0, -2)}${open.endsWith('zz') ? 'yy' : 'zz'}`;
    for (let i = 0; i < 11; i++) await get(v4Url, nearMiss).set('X-Forwarded-For', '192.0.2.99');
    const text = logLines.join('\n');
    expect(text).toContain('"msg":"handled"');
    expect(text).toContain('"originalUrl":"/phonebook/logs-url"');
    expect(text).toContain('request failed');
    expect(text).toContain('wrong access keys: client throttled');
    expect(text).toContain('outside its allow-list');
    for (const k of [key, open]) {
      expect(text).not.toContain(k.slice(4, 20));
      expect(text).not.toContain(k.slice(-20));
      expect(text).not.toContain(hashAccessKey(k));
    }
    expect(text).not.toMatch(/key=/);
  });
});
