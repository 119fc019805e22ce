import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import { openDatabase } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import type { Database } from '../../src/store/types';
import { insertContact } from '../../src/directory/contacts';
import type { ContactFields, DirectoryContact } from '../../src/directory/model';
import { upsertOrg } from '../../src/store/orgs';
import { listOutbox } from '../../src/store/outbox';
import { getRecordHealth } from '../../src/store/recordHealth';
import { createLink } from '../../src/sync/links';
import { DEFAULT_MAPPINGS, directoryToSf } from '../../src/sync/fieldMap';
import { DEFAULT_POLICY, type OrgSyncSettings } from '../../src/sync/context';
import type { OrgStatus } from '../../src/sync/orgRuntime';
import { resetDatabase } from '../store/backends';

const TOKEN = 'api-test-token-0123456789abcdef';
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
const ORG_ID = 'org-1';
const RECORD_ID = '003000000000001AAA';

let db: Database;
let settings: OrgSyncSettings | undefined;
let orgStatuses: OrgStatus[];
let writeBacks: string[][];
const servers: http.Server[] = [];

/** The app on a loopback ephemeral port; supertest gets its URL. */
async function serve(demo: boolean): Promise<string> {
  const app = createApp({
    db,
    logger: pino({ level: 'silent' }),
    apiToken: TOKEN,
    demo,
    publicUrl: 'http://switchboard.test',
    defaultCountry: 'US',
    settingsOf: (orgId) => (settings?.orgId === orgId ? settings : undefined),
    orgs: () => orgStatuses,
    onWriteBackQueued: (orgIds) => writeBacks.push(orgIds),
  });
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let demoUrl: string;
let plainUrl: string;

beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
  demoUrl = await serve(true);
  plainUrl = await serve(false);
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await db?.close();
});

beforeEach(async () => {
  await resetDatabase(db);
  settings = undefined;
  orgStatuses = [];
  writeBacks = [];
});

function seed(overrides: ContactFields = {}): Promise<DirectoryContact> {
  return insertContact(
    db,
    {
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines',
      title: 'Analyst',
      email: 'ada@example.com',
      phones: [{ kind: 'work', raw: '(415) 555-2671', e164: '+14155552671', extension: null }],
      ...overrides,
    },
    'salesforce',
  );
}

function orgStatus(name: string): OrgStatus {
  return {
    id: ORG_ID,
    name,
    role: 'leader',
    organizationId: '00D000000000001AAA',
    instanceUrl: 'https://acme.my.salesforce.com',
    subscriber: 'subscribed',
    lastError: null,
    lastEventAt: null,
    eventsApplied: 0,
    needsReconcile: false,
    sync: { id: 'a0A000000000001AAA', name: 'Main sync', status: 'Active' },
    settingsProblems: [],
    settingsError: null,
    paused: false,
    lastCommand: null,
    initialSync: { state: 'done', records: 0, done: 0, total: 0, ratePerSecond: null, etaSeconds: 0, objects: [], startedAt: null, finishedAt: null, error: null },
    reconcile: { lastRunAt: null, lastResult: null, nextRunAt: null, running: false },
    held: null,
    apiBudget: null,
    health: { inSync: 0, excluded: 0, failing: 0 },
  };
}

describe('authentication', () => {
  it('refuses a request without a token', async () => {
    const res = await request(demoUrl).get('/api/v1/contacts');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="switchboard"');
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('refuses a wrong token', async () => {
    const res = await request(demoUrl).get('/api/v1/contacts').set('Authorization', `Bearer ${TOKEN}x`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(res.body.error).toEqual({ code: 'unauthenticated', message: 'the API token is not valid' });
  });

  it('refuses a non-bearer scheme', async () => {
    const res = await request(demoUrl).get('/api/v1/contacts').set('Authorization', `Basic ${TOKEN}`);
    expect(res.status).toBe(401);
  });
});

describe('GET /api/v1/contacts', () => {
  it('pages through every contact with nextCursor', async () => {
    const seeded = [];
    for (let i = 0; i < 5; i++) seeded.push(await seed({ lastName: `Person ${i}` }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await request(demoUrl)
        .get('/api/v1/contacts')
        .query({ limit: 2, ...(cursor ? { after: cursor } : {}) })
        .set(AUTH);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(5);
      const ids = (res.body.contacts as DirectoryContact[]).map((c) => c.id);
      seen.push(...ids);
      cursor = res.body.nextCursor;
      if (cursor !== null) expect(cursor).toBe(ids[ids.length - 1]);
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(seeded.map((c) => c.id).sort());
  });

  it('searches by name and by phone digits', async () => {
    const ada = await seed();
    await seed({ firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', company: 'Navy', phones: [] });
    const byName = await request(demoUrl).get('/api/v1/contacts').query({ search: 'lovelace' }).set(AUTH);
    expect(byName.status).toBe(200);
    expect(byName.body.contacts.map((c: DirectoryContact) => c.id)).toEqual([ada.id]);
    expect(byName.body).not.toHaveProperty('total');
    expect(byName.body.nextCursor).toBeNull();
    const byPhone = await request(demoUrl).get('/api/v1/contacts').query({ search: '555-2671' }).set(AUTH);
    expect(byPhone.body.contacts.map((c: DirectoryContact) => c.id)).toEqual([ada.id]);
  });

  it('refuses a bad limit naming the field', async () => {
    const res = await request(demoUrl).get('/api/v1/contacts').query({ limit: 0 }).set(AUTH);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('limit');
  });
});

describe('GET /api/v1/contacts/:id', () => {
  it('returns the contact with its links', async () => {
    const ada = await seed();
    const res = await request(demoUrl).get(`/api/v1/contacts/${ada.id}`).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...ada, links: [] });
  });

  it('answers 404 for an unknown uuid and for an id that is no uuid', async () => {
    const unknown = await request(demoUrl).get(`/api/v1/contacts/${UNKNOWN_UUID}`).set(AUTH);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'not_found', record: UNKNOWN_UUID });
    const bad = await request(demoUrl).get('/api/v1/contacts/not-a-uuid').set(AUTH);
    expect(bad.status).toBe(404);
    expect(bad.body.error).toMatchObject({ code: 'not_found', record: 'not-a-uuid' });
  });
});

describe('PATCH /api/v1/contacts/:id', () => {
  it('updates the contact, bumps the version and normalizes phones', async () => {
    const ada = await seed();
    const res = await request(demoUrl)
      .patch(`/api/v1/contacts/${ada.id}`)
      .set(AUTH)
      .send({ title: 'Chief Analyst', phones: [{ kind: 'mobile', number: ' 415.555.2671 x42 ' }], version: ada.version });
    expect(res.status).toBe(200);
    expect(res.body.queuedWriteBacks).toBe(0);
    expect(res.body.contact).toMatchObject({
      id: ada.id,
      title: 'Chief Analyst',
      lastName: 'Lovelace',
      version: ada.version + 1,
      phones: [{ kind: 'mobile', raw: '415.555.2671 x42', e164: '+14155552671', extension: '42' }],
    });
    const reread = await request(demoUrl).get(`/api/v1/contacts/${ada.id}`).set(AUTH);
    expect(reread.body.version).toBe(ada.version + 1);
    expect(reread.body.title).toBe('Chief Analyst');
    expect(writeBacks).toEqual([]);
  });

  it.each([
    ['a bad email', { email: 'nope' }, 'email'],
    ['an unknown key', { nickname: 'Countess' }, 'nickname'],
    ['an invalid phone', { phones: [{ kind: 'work', number: '(415) 555-2671' }, { kind: 'home', number: '12' }] }, 'phones[1].number'],
  ])('refuses %s with the field and the record', async (_label, body, field) => {
    const ada = await seed();
    const res = await request(demoUrl).patch(`/api/v1/contacts/${ada.id}`).set(AUTH).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field, record: ada.id });
    expect(res.body.error.message).toContain(ada.id);
    const unchanged = await request(demoUrl).get(`/api/v1/contacts/${ada.id}`).set(AUTH);
    expect(unchanged.body.version).toBe(ada.version);
  });

  it('refuses a body that is not an object, naming the record', async () => {
    const ada = await seed();
    const array = await request(demoUrl).patch(`/api/v1/contacts/${ada.id}`).set(AUTH).send([{ title: 'x' }]);
    expect(array.status).toBe(400);
    expect(array.body.error).toMatchObject({ code: 'invalid_request', record: ada.id });
    expect(array.body.error.message).toContain('must be a JSON object');
    const empty = await request(demoUrl).patch(`/api/v1/contacts/${ada.id}`).set(AUTH);
    expect(empty.status).toBe(400);
    expect(empty.body.error.record).toBe(ada.id);
  });

  it('refuses malformed JSON', async () => {
    const ada = await seed();
    const res = await request(demoUrl)
      .patch(`/api/v1/contacts/${ada.id}`)
      .set(AUTH)
      .set('Content-Type', 'application/json')
      .send('{"title": ');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid_request', message: 'request body is not valid JSON' });
  });

  it('answers 409 when the version is stale and changes nothing', async () => {
    const ada = await seed();
    const res = await request(demoUrl)
      .patch(`/api/v1/contacts/${ada.id}`)
      .set(AUTH)
      .send({ title: 'Stale', version: ada.version + 1 });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'version_conflict', field: 'version', record: ada.id });
    const unchanged = await request(demoUrl).get(`/api/v1/contacts/${ada.id}`).set(AUTH);
    expect(unchanged.body).toMatchObject({ title: 'Analyst', version: ada.version });
  });

  it('answers 404 for an unknown contact', async () => {
    const res = await request(demoUrl).patch(`/api/v1/contacts/${UNKNOWN_UUID}`).set(AUTH).send({ title: 'x' });
    expect(res.status).toBe(404);
    expect(res.body.error.record).toBe(UNKNOWN_UUID);
  });

  describe('with a linked Salesforce record', () => {
    let ada: DirectoryContact;
    beforeEach(async () => {
      settings = { orgId: ORG_ID, syncId: null, policy: DEFAULT_POLICY, mappings: DEFAULT_MAPPINGS, defaultCountry: 'US', objects: ['Contact', 'Lead', 'Account'] };
      await upsertOrg(db, { id: ORG_ID, name: 'Acme', loginUrl: 'https://login.example.com' });
      ada = await seed();
      await createLink(db, {
        orgId: ORG_ID,
        contactId: ada.id,
        sobject: 'Contact',
        recordId: RECORD_ID,
        sfValues: { ...directoryToSf(DEFAULT_MAPPINGS, 'Contact', ada), 'Account.Name': 'Analytical Engines' },
      });
    });

    it('queues one write-back with only the changed fields and says so', async () => {
      const res = await request(demoUrl)
        .patch(`/api/v1/contacts/${ada.id}`)
        .set(AUTH)
        .send({ title: 'CTO', firstName: 'Ada', phones: [{ kind: 'work', number: '(415) 555-2671' }] });
      expect(res.status).toBe(200);
      expect(res.body.queuedWriteBacks).toBe(1);
      const outbox = await listOutbox(db, { limit: 10 });
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({
        orgId: ORG_ID,
        contactId: ada.id,
        sobject: 'Contact',
        recordId: RECORD_ID,
        operation: 'update',
        state: 'pending',
        payload: { Title: 'CTO' },
      });
      expect(writeBacks).toEqual([[ORG_ID]]);
      const detail = await request(demoUrl).get(`/api/v1/contacts/${ada.id}`).set(AUTH);
      expect(detail.body.links).toEqual([{ orgId: ORG_ID, sobject: 'Contact', recordId: RECORD_ID }]);
    });

    it('queues nothing when only the company (owned by the Account) changes', async () => {
      const res = await request(demoUrl).patch(`/api/v1/contacts/${ada.id}`).set(AUTH).send({ company: 'Babbage & Co' });
      expect(res.status).toBe(200);
      expect(res.body.queuedWriteBacks).toBe(0);
      expect(res.body.contact.company).toBe('Babbage & Co');
      expect(await listOutbox(db, { limit: 10 })).toEqual([]);
      expect(writeBacks).toEqual([]);
    });
  });
});

describe('POST /api/v1/contacts', () => {
  const connect = async (overrides: Partial<OrgSyncSettings['policy']> = {}) => {
    settings = {
      orgId: ORG_ID,
      syncId: 'a0A000000000001AAA',
      policy: { ...DEFAULT_POLICY, ...overrides },
      mappings: DEFAULT_MAPPINGS,
      defaultCountry: 'US',
      objects: ['Contact', 'Lead', 'Account'],
    };
    orgStatuses = [orgStatus('Acme')];
    await upsertOrg(db, { id: ORG_ID, name: 'Acme', loginUrl: 'https://login.example.com' });
  };

  it('creates a telephony contact and, with it, one Salesforce create per connected org', async () => {
    await connect();
    const res = await request(demoUrl)
      .post('/api/v1/contacts')
      .set(AUTH)
      .send({ firstName: 'Grace', lastName: 'Hopper', company: 'Navy', phones: [{ kind: 'mobile', number: '(415) 555-2671' }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      queuedCreates: 1,
      excluded: [],
      contact: { firstName: 'Grace', lastName: 'Hopper', source: 'telephony', phones: [{ kind: 'mobile', e164: '+14155552671' }] },
    });
    const outbox = await listOutbox(db, { limit: 10 });
    expect(outbox).toEqual([
      expect.objectContaining({
        orgId: ORG_ID,
        contactId: res.body.contact.id,
        sobject: 'Contact',
        recordId: null,
        operation: 'create',
        state: 'pending',
        // The company belongs to the Contact's Account and is never written; empty fields are left out.
        payload: { FirstName: 'Grace', LastName: 'Hopper', MobilePhone: '(415) 555-2671' },
      }),
    ]);
    expect(writeBacks).toEqual([[ORG_ID]]);
  });

  it('keeps a contact Salesforce cannot take in the directory, excluded with the reason', async () => {
    await connect({ validity: { requireValidPhone: true, requireFirstName: true, requireLastName: true } });
    const res = await request(demoUrl).post('/api/v1/contacts').set(AUTH).send({ lastName: 'Nameless', phones: [{ kind: 'work', number: '+1 415 555 2671' }] });
    expect(res.status).toBe(201);
    expect(res.body.queuedCreates).toBe(0);
    expect(res.body.excluded).toEqual([{ orgId: ORG_ID, code: 'EXCLUDED_NO_FIRST_NAME', reason: expect.stringContaining('first name') }]);
    expect(await listOutbox(db, { limit: 10 })).toEqual([]);
    expect(await getRecordHealth(db, ORG_ID, 'telephony', res.body.contact.id)).toMatchObject({ state: 'excluded', code: 'EXCLUDED_NO_FIRST_NAME' });
    expect(writeBacks).toEqual([]);
  });

  it('queues nothing for an org whose sync is not configured', async () => {
    await connect();
    if (settings) settings.syncId = null;
    const res = await request(demoUrl).post('/api/v1/contacts').set(AUTH).send({ lastName: 'Solo' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ queuedCreates: 0, excluded: [] });
    expect(await listOutbox(db, { limit: 10 })).toEqual([]);
  });

  it.each([
    ['an empty contact', {}, undefined, 'give at least one of'],
    ['an empty last name', { lastName: ' ' }, 'lastName', 'cannot be empty'],
    ['an unknown key', { lastName: 'X', version: 3 }, 'version', 'Unrecognized key'],
    ['an invalid phone', { lastName: 'X', phones: [{ kind: 'work', number: '12' }] }, 'phones[0].number', 'is not a valid phone number'],
  ])('refuses %s, naming the field', async (_label, body, field, message) => {
    const res = await request(demoUrl).post('/api/v1/contacts').set(AUTH).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', ...(field ? { field } : {}) });
    expect(res.body.error.message).toContain(message);
    expect((await request(demoUrl).get('/api/v1/contacts').set(AUTH)).body.total).toBe(0);
  });
});

describe('DELETE /api/v1/contacts/:id', () => {
  it('deletes the contact and queues the Salesforce delete where deletes propagate', async () => {
    settings = {
      orgId: ORG_ID,
      syncId: 'a0A000000000001AAA',
      policy: { ...DEFAULT_POLICY, propagateDeletes: { toTelephony: true, toSalesforce: true } },
      mappings: DEFAULT_MAPPINGS,
      defaultCountry: 'US',
      objects: ['Contact'],
    };
    await upsertOrg(db, { id: ORG_ID, name: 'Acme', loginUrl: 'https://login.example.com' });
    const ada = await seed();
    await createLink(db, { orgId: ORG_ID, contactId: ada.id, sobject: 'Contact', recordId: RECORD_ID });
    const res = await request(demoUrl).delete(`/api/v1/contacts/${ada.id}`).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deleted: ada.id, deletingInSalesforce: [{ orgId: ORG_ID, sobject: 'Contact', recordId: RECORD_ID }], unlinked: [] });
    expect(await listOutbox(db, { limit: 10 })).toEqual([expect.objectContaining({ operation: 'delete', recordId: RECORD_ID, contactId: ada.id, state: 'pending' })]);
    expect(writeBacks).toEqual([[ORG_ID]]);
    expect((await request(demoUrl).get(`/api/v1/contacts/${ada.id}`).set(AUTH)).status).toBe(404);
  });

  it('answers 404 for an unknown contact', async () => {
    const res = await request(demoUrl).delete(`/api/v1/contacts/${UNKNOWN_UUID}`).set(AUTH);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', record: UNKNOWN_UUID });
  });
});

describe('other routes', () => {
  it('answers unknown routes with a JSON 404', async () => {
    const res = await request(demoUrl).get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error).toEqual({ code: 'not_found', message: 'no route for GET /nowhere' });
    const api = await request(demoUrl).get('/api/v1/nowhere').set(AUTH);
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('not_found');
  });

  it('reports health with the org states', async () => {
    orgStatuses = [orgStatus('Acme')];
    const res = await request(demoUrl).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', orgs: [{ id: ORG_ID, subscriber: 'subscribed' }] });
  });

  it('shows the demo home page with the org name escaped and security headers', async () => {
    orgStatuses = [orgStatus('<script>alert("x")</script> & Co')];
    await seed();
    await seed({ lastName: 'Second' });
    const res = await request(demoUrl).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.text).toContain('Demo org');
    expect(res.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).toContain('listening for changes');
    expect(res.text).toContain('2 contacts');
    expect(res.text).toContain('http://switchboard.test/api/v1/contacts');
    expect(res.text).not.toContain('ada@example.com');
  });

  it('does not call a real org a demo', async () => {
    const res = await request(plainUrl).get('/');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('Demo org');
    expect(res.text).toContain('0 contacts');
  });
});
