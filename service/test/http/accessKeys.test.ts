/** The access-key API (issue 14, items 5 and 6): create, list, rotate, revoke, through the real app over HTTP. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { AUTH, UNKNOWN_UUID, useApiHarness } from '../support/api-harness';
import { createDeviceAccessGuards, requireAccessKey } from '../../src/deviceAccess/requireAccessKey';
import { hashAccessKey } from '../../src/deviceAccess/keys';

const harness = useApiHarness();

/** A device door over the harness's database, so a test proves a key works (or stopped working) end to end. */
let deviceUrl = '';
let deviceServer: http.Server;
beforeAll(async () => {
  const app = express();
  app.set('trust proxy', 'loopback');
  const guards = createDeviceAccessGuards();
  app.get(
    '/phonebook/:format',
    (req, res, next) =>
      requireAccessKey({
        db: harness.db,
        scope: 'phonebook',
        logger: pino({ level: 'silent' }),
        failure: 'json',
        guards,
      })(req, res, next),
    (_req, res) => void res.send('ok'),
  );
  deviceServer = http.createServer(app);
  await new Promise<void>((resolve) => deviceServer.listen(0, '127.0.0.1', resolve));
  deviceUrl = `http://127.0.0.1:${(deviceServer.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => deviceServer.close(resolve)));

const phonebookWith = (key: string) => request(deviceUrl).get(`/phonebook/yealink?key=${encodeURIComponent(key)}`);

async function create(body: object): Promise<request.Response> {
  return request(harness.plainUrl).post('/api/v1/access-keys').set(AUTH).send(body);
}

/** Every row of every table as text: what a copy of the database would hold. */
async function databaseText(): Promise<string> {
  const { rows } = await harness.db.query<{ t: string }>(
    `SELECT string_agg(row_to_json(k)::text, '\n') AS t FROM access_keys k
     UNION ALL SELECT string_agg(row_to_json(a)::text, '\n') FROM audit_log a`,
  );
  return rows.map((r) => r.t ?? '').join('\n');
}

describe('POST /api/v1/access-keys', () => {
  it('answers 201 with the key once, stores only its hash, and the key opens its scope', async () => {
    const res = await create({
      name: 'Reception Yealinks',
      scope: ['phonebook', 'callerid'],
      allowedCidrs: ['10.0.0.0/8', '2001:db8::/32', '127.0.0.1'],
      rateLimitPerMinute: 600,
      options: { nameOrder: 'last-first', maxLength: 24, transliterate: true, feed: 'sales' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      key: expect.stringMatching(/^sbk_[A-Za-z0-9_-]{43}$/),
      name: 'Reception Yealinks',
      scope: ['phonebook', 'callerid'],
      allowedCidrs: ['10.0.0.0/8', '2001:db8::/32', '127.0.0.1'],
      rateLimitPerMinute: 600,
      options: { nameOrder: 'last-first', maxLength: 24, transliterate: true, feed: 'sales' },
      createdAt: expect.any(String),
      rotatedAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });
    const { key } = res.body as { key: string };
    const stored = await databaseText();
    expect(stored).toContain(res.body.id);
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(key.slice(4)); // not even without its prefix
    expect(stored).toContain(hashAccessKey(key)); // the hash, in access_keys only
    const { rows } = await harness.db.query<{ t: string }>(`SELECT row_to_json(a)::text AS t FROM audit_log a`);
    expect(rows.map((r) => r.t).join('\n')).not.toContain(hashAccessKey(key));
    expect((await phonebookWith(key)).status).toBe(200);
  });

  it('makes a different key every time', async () => {
    const a = await create({ name: 'a', scope: ['phonebook'] });
    const b = await create({ name: 'a', scope: ['phonebook'] });
    expect(a.body.key).not.toBe(b.body.key);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('audits the creation with the settings and without the key', async () => {
    const res = await create({ name: 'PBX', scope: ['callerid'] });
    const audit = await request(harness.plainUrl).get('/api/v1/audit?action=access-key-created').set(AUTH);
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        recordId: res.body.id,
        origin: 'telephony',
        action: 'access-key-created',
        after: { name: 'PBX', scope: ['callerid'], allowedCidrs: [], rateLimitPerMinute: null, options: {} },
      }),
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(res.body.key);
  });

  it.each([
    [{ scope: ['phonebook'] }, 'name'],
    [{ name: '   ', scope: ['phonebook'] }, 'name'],
    [{ name: 'x'.repeat(101), scope: ['phonebook'] }, 'name'],
    [{ name: 'a\u0000b', scope: ['phonebook'] }, 'name'],
    [{ name: 'k' }, 'scope'],
    [{ name: 'k', scope: [] }, 'scope'],
    [{ name: 'k', scope: 'phonebook' }, 'scope'],
    [{ name: 'k', scope: ['phonebook', 'ldap'] }, 'scope[1]'],
    [{ name: 'k', scope: ['phonebook'], allowedCidrs: ['10.0.0.0/33'] }, 'allowedCidrs[0]'],
    [{ name: 'k', scope: ['phonebook'], allowedCidrs: ['10.0.0.0/8', 'example.com'] }, 'allowedCidrs[1]'],
    [{ name: 'k', scope: ['phonebook'], allowedCidrs: ['2001:db8::/129'] }, 'allowedCidrs[0]'],
    [{ name: 'k', scope: ['phonebook'], rateLimitPerMinute: 0 }, 'rateLimitPerMinute'],
    [{ name: 'k', scope: ['phonebook'], rateLimitPerMinute: 1.5 }, 'rateLimitPerMinute'],
    [{ name: 'k', scope: ['phonebook'], options: { nameOrder: 'surname-first' } }, 'options.nameOrder'],
    [{ name: 'k', scope: ['phonebook'], options: { maxLength: 0 } }, 'options.maxLength'],
    [{ name: 'k', scope: ['phonebook'], options: { transliterate: 'yes' } }, 'options.transliterate'],
    [{ name: 'k', scope: ['phonebook'], options: { 'bad name': 1 } }, 'options.bad name'],
    [{ name: 'k', scope: ['phonebook'], options: [] }, 'options'],
    [{ name: 'k', scope: ['phonebook'], key: 'sbk_mine' }, 'key'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid_request', message: expect.stringContaining(field), field });
    expect((await harness.db.query('SELECT 1 FROM access_keys')).rows).toHaveLength(0);
  });

  it('refuses a body that is not a JSON object, naming the body', async () => {
    for (const body of ['[1]', '"text"', '{']) {
      const res = await request(harness.plainUrl)
        .post('/api/v1/access-keys')
        .set(AUTH)
        .set('Content-Type', 'application/json')
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('body');
    }
  });
});

describe('GET /api/v1/access-keys', () => {
  it('lists every key, revoked ones with their time, never a key or a hash', async () => {
    const first = await create({ name: 'first', scope: ['phonebook'] });
    const second = await create({ name: 'second', scope: ['carddav', 'calls'] });
    await request(harness.plainUrl).delete(`/api/v1/access-keys/${first.body.id}`).set(AUTH).expect(204);
    const res = await request(harness.plainUrl).get('/api/v1/access-keys').set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body.accessKeys.map((k: { name: string }) => k.name)).toEqual(['first', 'second']);
    expect(res.body.accessKeys[0].revokedAt).toEqual(expect.any(String));
    expect(res.body.accessKeys[1]).toEqual({ ...second.body, key: undefined });
    const text = JSON.stringify(res.body);
    for (const key of [first.body.key, second.body.key]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(hashAccessKey(key));
    }
    expect(text).not.toMatch(/"key"|hash/i);
  });
});

describe('POST /api/v1/access-keys/:id/rotate', () => {
  it('answers a new key once; the old one stops working, the new one works with the same id and settings', async () => {
    const made = await create({ name: 'Lobby', scope: ['phonebook'], rateLimitPerMinute: 50 });
    const rotated = await request(harness.plainUrl).post(`/api/v1/access-keys/${made.body.id}/rotate`).set(AUTH);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id: made.body.id, name: 'Lobby', rateLimitPerMinute: 50, revokedAt: null });
    expect(rotated.body.rotatedAt).toEqual(expect.any(String));
    expect(rotated.body.key).toMatch(/^sbk_/);
    expect(rotated.body.key).not.toBe(made.body.key);
    expect((await phonebookWith(made.body.key)).status).toBe(401);
    expect((await phonebookWith(rotated.body.key)).status).toBe(200);
    expect(await databaseText()).not.toContain(rotated.body.key);
    const audit = await request(harness.plainUrl).get('/api/v1/audit?action=access-key-rotated').set(AUTH);
    expect(audit.body.entries).toHaveLength(1);
    expect(JSON.stringify(audit.body)).not.toContain(rotated.body.key);
  });

  it('answers 404 for an unknown key and 409 for a revoked one', async () => {
    const unknown = await request(harness.plainUrl).post(`/api/v1/access-keys/${UNKNOWN_UUID}/rotate`).set(AUTH);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'not_found', record: UNKNOWN_UUID });
    expect((await request(harness.plainUrl).post('/api/v1/access-keys/nope/rotate').set(AUTH)).status).toBe(404);
    const made = await create({ name: 'gone', scope: ['phonebook'] });
    await request(harness.plainUrl).delete(`/api/v1/access-keys/${made.body.id}`).set(AUTH).expect(204);
    const revoked = await request(harness.plainUrl).post(`/api/v1/access-keys/${made.body.id}/rotate`).set(AUTH);
    expect(revoked.status).toBe(409);
    expect(revoked.body.error).toMatchObject({ code: 'revoked', record: made.body.id });
  });
});

describe('DELETE /api/v1/access-keys/:id', () => {
  it('revokes (204): the key stops working at once; again is 204 and audited once; unknown is 404', async () => {
    const made = await create({ name: 'PBX', scope: ['phonebook'] });
    expect((await phonebookWith(made.body.key)).status).toBe(200);
    const res = await request(harness.plainUrl).delete(`/api/v1/access-keys/${made.body.id}`).set(AUTH);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await phonebookWith(made.body.key)).status).toBe(401);
    await request(harness.plainUrl).delete(`/api/v1/access-keys/${made.body.id}`).set(AUTH).expect(204);
    const audit = await request(harness.plainUrl).get('/api/v1/audit?action=access-key-revoked').set(AUTH);
    expect(audit.body.entries).toEqual([expect.objectContaining({ recordId: made.body.id })]);
    const unknown = await request(harness.plainUrl).delete(`/api/v1/access-keys/${UNKNOWN_UUID}`).set(AUTH);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'not_found', record: UNKNOWN_UUID });
    expect((await request(harness.plainUrl).delete('/api/v1/access-keys/12').set(AUTH)).status).toBe(404);
  });
});

describe('logs', () => {
  it('never hold a key, whole or in part', async () => {
    const made = await create({ name: 'logged?', scope: ['phonebook'] });
    const rotated = await request(harness.plainUrl).post(`/api/v1/access-keys/${made.body.id}/rotate`).set(AUTH);
    await request(harness.plainUrl).delete(`/api/v1/access-keys/${made.body.id}`).set(AUTH);
    const text = harness.logLines.join('\n');
    expect(harness.logLines.length).toBeGreaterThan(0);
    for (const key of [made.body.key as string, rotated.body.key as string]) {
      expect(text).not.toContain(key.slice(4, 16));
      expect(text).not.toContain(hashAccessKey(key));
    }
  });
});
