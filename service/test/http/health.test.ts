import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import { openDatabase } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import type { Database } from '../../src/store/types';
import { insertContact } from '../../src/directory/contacts';
import { upsertOrg } from '../../src/store/state/orgs';
import { setRecordHealth } from '../../src/store/state/recordHealth';
import { createLink } from '../../src/store/state/links';
import type { OrgStatus } from '../../src/runtime/orgStatus';
import { resetDatabase } from '../support/backends';

const TOKEN = 'health-test-token-0123456789abcdef';
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const ORG_ID = 'org-1';
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';

let db: Database;
let url: string;
let server: http.Server;
let health = { inSync: 0, excluded: 0, failing: 0, ignored: 0 };

/** Only what the health API and the home page read of an org's status; the rest is not under test. */
function orgStatus(): OrgStatus {
  return {
    id: ORG_ID,
    name: 'Acme <prod>',
    organizationId: '00D000000000001AAA',
    subscriber: 'subscribed',
    lastEventAt: null,
    lastError: null,
    health,
  } as unknown as OrgStatus;
}

beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
  const app = createApp({
    db,
    logger: pino({ level: 'silent' }),
    apiToken: TOKEN,
    demo: false,
    publicUrl: 'http://switchboard.test',
    defaultCountry: 'US',
    settingsOf: () => undefined,
    orgs: () => [orgStatus()],
    onWriteBackQueued: () => undefined,
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await db?.close();
});

beforeEach(async () => {
  await resetDatabase(db);
  await upsertOrg(db, { id: ORG_ID, name: 'Acme', loginUrl: 'https://login.salesforce.com' });
  health = { inSync: 0, excluded: 0, failing: 0, ignored: 0 };
});

async function contact(lastName: string): Promise<string> {
  return (await insertContact(db, { lastName, phones: [] }, 'salesforce')).id;
}

describe('GET /api/v1/contacts/:id/health', () => {
  it('says in sync for a linked contact without entries', async () => {
    const id = await contact('Lovelace');
    await createLink(db, { orgId: ORG_ID, contactId: id, sobject: 'Contact', recordId: '003000000000001AAA' });
    const res = await request(url).get(`/api/v1/contacts/${id}/health`).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      contactId: id,
      state: 'in_sync',
      orgs: [
        {
          orgId: ORG_ID,
          state: 'in_sync',
          records: [{ sobject: 'Contact', recordId: '003000000000001AAA' }],
          entries: [],
        },
      ],
    });
  });

  it('shows a failing write-back with its error, retries and next retry', async () => {
    const id = await contact('Hopper');
    await createLink(db, { orgId: ORG_ID, contactId: id, sobject: 'Lead', recordId: '00Q000000000001AAA' });
    await setRecordHealth(db, {
      orgId: ORG_ID,
      side: 'telephony',
      key: id,
      contactId: id,
      recordId: '00Q000000000001AAA',
      sobject: 'Lead',
      state: 'failing',
      code: 'REQUIRED_FIELD_MISSING',
      reason: 'Required fields are missing: [Company]',
      attempts: 3,
      nextRetryAt: '2030-01-01T00:00:00.000Z',
    });
    const res = await request(url).get(`/api/v1/contacts/${id}/health`).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('failing');
    expect(res.body.orgs[0].entries).toEqual([
      expect.objectContaining({
        side: 'telephony',
        recordId: '00Q000000000001AAA',
        contactId: id,
        state: 'failing',
        code: 'REQUIRED_FIELD_MISSING',
        reason: 'Required fields are missing: [Company]',
        retries: 3,
        nextRetryAt: '2030-01-01T00:00:00.000Z',
        ignoredAt: null,
      }),
    ]);
  });

  it('is 404 for an unknown contact and for an id that is no uuid', async () => {
    expect((await request(url).get(`/api/v1/contacts/${UNKNOWN_UUID}/health`).set(AUTH)).status).toBe(404);
    const res = await request(url).get('/api/v1/contacts/nope/health').set(AUTH);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', record: 'nope' });
  });

  it('is 401 without the token', async () => {
    expect((await request(url).get(`/api/v1/contacts/${UNKNOWN_UUID}/health`)).status).toBe(401);
  });
});

describe('GET /api/v1/orgs/:orgId/health', () => {
  beforeEach(async () => {
    for (const [key, state] of [
      ['003000000000001AAA', 'excluded'],
      ['003000000000002AAA', 'excluded'],
      ['003000000000003AAA', 'failing'],
    ] as const) {
      await setRecordHealth(db, {
        orgId: ORG_ID,
        side: 'salesforce',
        key,
        sobject: 'Contact',
        state,
        code: state === 'excluded' ? 'EXCLUDED_NO_PHONE' : 'INVALID_PHONE',
        reason: state === 'excluded' ? 'No valid phone number' : 'Phone could not be stored',
      });
    }
  });

  it('lists excluded records with their reason, and the counts', async () => {
    const res = await request(url).get(`/api/v1/orgs/${ORG_ID}/health?state=excluded&limit=1`).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ excluded: 2, failing: 1, ignored: 0 });
    expect(res.body.entries).toHaveLength(1);
    expect(res.body.entries[0]).toMatchObject({
      state: 'excluded',
      code: 'EXCLUDED_NO_PHONE',
      reason: 'No valid phone number',
      recordId: expect.stringMatching(/^003/),
    });
  });

  it('answers 400 naming the parameter for a bad state, a bad limit and an unknown parameter', async () => {
    for (const [query, field] of [
      ['state=broken', 'state'],
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['colour=red', 'colour'],
    ]) {
      const res = await request(url).get(`/api/v1/orgs/${ORG_ID}/health?${query}`).set(AUTH);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', field });
    }
  });

  it('is 404 for an org the service is not connected to, 401 without the token', async () => {
    const res = await request(url).get('/api/v1/orgs/elsewhere/health').set(AUTH);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('elsewhere');
    expect((await request(url).get(`/api/v1/orgs/${ORG_ID}/health`)).status).toBe(401);
  });
});

describe('home page', () => {
  // Before issue 12 the anonymous first page showed each org's counts; they now need the token (GET /api/v1/status).
  it('shows no org, state or count to an anonymous visitor', async () => {
    health = { inSync: 41, excluded: 7, failing: 2, ignored: 3 };
    const res = await request(url).get('/');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('Acme');
    expect(res.text).not.toMatch(/<td>41<\/td>/);
    const status = await request(url).get('/api/v1/status').set(AUTH);
    expect(status.body.orgs[0]).toMatchObject({ name: 'Acme <prod>', health: { inSync: 41, excluded: 7 } });
  });
});
