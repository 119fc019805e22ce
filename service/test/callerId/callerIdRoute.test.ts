import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';
import pino from 'pino';
import { useApiHarness } from '../support/api-harness';
import { createAccessKey } from '../../src/deviceAccess/accessKeys';
import type { AccessKeyOptions } from '../../src/deviceAccess/keySettings';
import { callerIdRouter } from '../../src/callerId/callerIdRoute';
import { createLink } from '../../src/store/state/links';
import { upsertOrg } from '../../src/store/state/orgs';
import type { Queryable } from '../../src/store/types';

/** A GET with nothing added by a client library: the path goes out byte for byte (a literal `+`, `%20`). */
function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const url = new URL(base);
    const req = http.request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /callerid: the display name for a PBX', () => {
  const api = useApiHarness();
  let key = '';
  const issue = async (options: AccessKeyOptions = {}, scopes: Array<'callerid' | 'phonebook'> = ['callerid']) =>
    (await createAccessKey(api.db, { name: 'pbx', scopes, options })).key;
  const ask = (path: string, headers: Record<string, string> = {}) =>
    get(api.plainUrl, `${path}${path.includes('?') ? '&' : '?'}key=${key}`, headers);

  beforeEach(async () => {
    key = await issue();
    await api.seed({
      firstName: 'Anna',
      lastName: 'Müller',
      company: 'Müller & Söhne',
      phones: [
        { kind: 'work', raw: '030 123456', e164: '+4930123456', extension: null },
        { kind: 'mobile', raw: '(415) 555-2671', e164: '+14155552671', extension: null },
      ],
    });
  });

  it('answers the name as text/plain UTF-8, and an empty 200 for an unknown number', async () => {
    const found = await ask('/callerid/+4930123456');
    expect(found).toEqual({ status: 200, type: 'text/plain; charset=utf-8', body: 'Anna Müller' });
    expect(await ask('/callerid/+4930999999')).toEqual({ status: 200, type: 'text/plain; charset=utf-8', body: '' });
    expect(await ask('/callerid?number=%2B4930999999')).toMatchObject({ status: 200, body: '' });
  });

  it('reads the number in every form a PBX sends it', async () => {
    const forms = [
      '/callerid/%2B4930123456',
      '/callerid?number=+4930123456', // Kamailio: + unescaped
      '/callerid?number=%204930123456', // a + some client turned into a space
      '/callerid/%204930123456',
      '/callerid?number=004930123456',
      '/callerid?number=4930123456', // FreeSWITCH strips the +
      '/callerid/+49%20(30)%20123-456',
      '/callerid?number=%2B49-30-123456%3Bext%3D12',
      '/callerid?number=%2B4930123456x12',
      '/callerid/tel:%2B4930123456',
      '/callerid/sip:%2B4930123456@pbx.example.com',
      '/callerid/4155552671', // national in the default country (US here)
      '/callerid?number=(415)%20555-2671',
      '/callerid?number=14155552671&unknown=ignored',
    ];
    for (const form of forms) expect([form, (await ask(form)).body]).toEqual([form, 'Anna Müller']);
  });

  it('answers an empty 200, never an error text, for what is no number, and for a bad URL', async () => {
    for (const path of [
      '/callerid/anonymous',
      '/callerid/%E0%A4%A',
      '/callerid?number=%ZZ',
      '/callerid',
      '/callerid?number=',
      `/callerid/${'9'.repeat(300)}`,
      '/callerid/%3Cscript%3E',
      '/callerid?email=not-an-email',
    ]) {
      expect([path, await ask(path)]).toEqual([path, { status: 200, type: 'text/plain; charset=utf-8', body: '' }]);
    }
  });

  it('refuses without a valid key of the callerid scope, with no body at all', async () => {
    for (const [path, status] of [
      ['/callerid/+4930123456', 401],
      ['/callerid/+4930123456?key=sbk_wrong', 401],
      [`/callerid/+4930123456?key=${await issue({}, ['phonebook'])}`, 403],
    ] as const) {
      const answer = await get(api.plainUrl, path);
      expect([path, answer.status, answer.body]).toEqual([path, status, '']);
    }
    // HTTP Basic: any user name, the key as password.
    const basic = `Basic ${Buffer.from(`pbx:${key}`).toString('base64')}`;
    expect((await get(api.plainUrl, '/callerid/+4930123456', { Authorization: basic })).body).toBe('Anna Müller');
  });

  it('formats the name per key: order, length cap, ASCII, company when there is no name', async () => {
    key = await issue({ nameOrder: 'last-first', maxLength: 15, transliterate: true });
    await api.seed({
      firstName: 'Maximilian',
      lastName: 'Mustermann',
      phones: [{ kind: 'work', raw: '+4940111', e164: '+4940111222', extension: null }],
    });
    await api.seed({
      firstName: null,
      lastName: null,
      company: 'Zentrale Größe',
      phones: [{ kind: 'work', raw: '+4940333', e164: '+4940333444', extension: null }],
    });
    expect((await ask('/callerid/+4930123456')).body).toBe('Mueller, Anna');
    expect((await ask('/callerid/+4940111222')).body).toBe('Mustermann, Max');
    expect((await ask('/callerid/+4940333444')).body).toBe('Zentrale Groess');
  });

  it('answers HEAD without a body and other methods with 405 and none', async () => {
    const head = await get(api.plainUrl, `/callerid/+4930123456?key=${key}`, {}, 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
    const post = await get(api.plainUrl, `/callerid/+4930123456?key=${key}`, {}, 'POST');
    expect(post).toMatchObject({ status: 405, body: '' });
  });

  it('answers JSON on request: the contact, its records with Lightning URLs, the number as matched and as searched', async () => {
    const [contact] = (
      await api.db.query<{ id: string }>("SELECT id FROM directory_contacts WHERE last_name = 'Müller'")
    ).rows;
    await upsertOrg(api.db, {
      id: 'emea',
      name: 'EMEA',
      loginUrl: 'https://login.example.com',
      instanceUrl: 'https://emea.my.salesforce.com/',
    });
    await createLink(api.db, { orgId: 'emea', contactId: contact.id, sobject: 'Lead', recordId: '00Q000000000001AAA' });
    await createLink(api.db, {
      orgId: 'emea',
      contactId: contact.id,
      sobject: 'Contact',
      recordId: '003000000000001AAA',
    });
    const answer = await ask('/callerid?number=004930123456', { Accept: 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toEqual({
      searched: '004930123456',
      status: 'found',
      number: '+4930123456',
      name: 'Anna Müller',
      url: 'https://emea.my.salesforce.com/lightning/r/Contact/003000000000001AAA/view',
      contact: {
        id: contact.id,
        firstName: 'Anna',
        lastName: 'Müller',
        company: 'Müller & Söhne',
        title: 'Analyst',
        email: 'ada@example.com',
        phones: [
          { kind: 'work', raw: '030 123456', e164: '+4930123456', extension: null },
          { kind: 'mobile', raw: '(415) 555-2671', e164: '+14155552671', extension: null },
        ],
      },
      records: [
        {
          orgId: 'emea',
          sobject: 'Contact',
          id: '003000000000001AAA',
          url: 'https://emea.my.salesforce.com/lightning/r/Contact/003000000000001AAA/view',
        },
        {
          orgId: 'emea',
          sobject: 'Lead',
          id: '00Q000000000001AAA',
          url: 'https://emea.my.salesforce.com/lightning/r/Lead/00Q000000000001AAA/view',
        },
      ],
    });
    // ?format=json for clients that cannot set headers (3CX), by number (echoed as searched) and by email.
    const byNumber = JSON.parse((await ask('/callerid?number=+4930123456&format=json')).body);
    expect(byNumber).toMatchObject({ searched: '+4930123456', status: 'found', number: '+4930123456' });
    const byEmail = JSON.parse((await ask('/callerid?email=ADA%40example.com&format=json')).body);
    expect(byEmail).toMatchObject({ searched: 'ADA@example.com', status: 'found', number: null, name: 'Anna Müller' });
    expect(JSON.parse((await ask('/callerid/+4930999999?format=json')).body)).toEqual({
      searched: '+4930999999',
      status: 'unknown',
      number: null,
      name: '',
      url: null,
      contact: null,
      records: [],
    });
    expect(JSON.parse((await ask('/callerid/hello?format=json')).body)).toMatchObject({
      status: 'invalid',
      contact: null,
    });
  });
});

describe('GET /callerid when the directory does not answer: empty 200, logged once', () => {
  const servers: Array<{ close(cb?: () => void): unknown }> = [];
  const pools: pg.Pool[] = [];
  const sockets: net.Socket[] = [];
  afterAll(async () => {
    // The silent server's connections end first, so the pool's pending connects fail and it can end.
    for (const socket of sockets) socket.destroy();
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
    for (const s of servers) s.close();
  });

  /** A Queryable on a real pg pool pointed at `port`. */
  function poolOn(port: number): Queryable {
    const pool = new pg.Pool({ connectionString: `postgres://nobody@127.0.0.1:${port}/none`, max: 2 });
    pool.on('error', () => undefined);
    pools.push(pool);
    return { query: async (text, params) => pool.query(text, params) } as Queryable;
  }

  async function serve(db: Queryable, lines: string[], timeoutMs: number): Promise<string> {
    const app = express();
    app.use(
      callerIdRouter({
        db,
        logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
        defaultCountry: 'DE',
        // The key check has its own test above; here the lookup behind it fails.
        authenticate: (_req, _res, next) => next(),
        timeoutMs,
      }),
    );
    const server = http.createServer(app);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('a stopped database (connection refused): empty 200 as text and status unavailable as JSON, one log line', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const lines: string[] = [];
    const base = await serve(poolOn(port), lines, 5000);
    expect(await get(base, '/callerid/+4930123456')).toEqual({
      status: 200,
      type: 'text/plain; charset=utf-8',
      body: '',
    });
    expect(await get(base, '/callerid/+4930123457')).toMatchObject({ status: 200, body: '' });
    expect(JSON.parse((await get(base, '/callerid/+4930123456?format=json')).body)).toMatchObject({
      status: 'unavailable',
      name: '',
    });
    const warnings = lines.filter((l) => l.includes('fail open'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toContain('4930123456');
  });

  it('a database that never answers: empty 200 once the lookup timeout passes', async () => {
    // Accepts connections and never says a word, so pg waits for the server's first message for ever.
    const silent = net.createServer((socket) => {
      socket.on('error', () => undefined);
      sockets.push(socket);
    });
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const lines: string[] = [];
    const base = await serve(poolOn((silent.address() as AddressInfo).port), lines, 300);
    expect(await get(base, '/callerid/+4930123456')).toEqual({
      status: 200,
      type: 'text/plain; charset=utf-8',
      body: '',
    });
    expect(lines.filter((l) => l.includes('no answer within 300 ms'))).toHaveLength(1);
  });
});
