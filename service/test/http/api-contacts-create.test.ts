import request from 'supertest';
import { listOutbox } from '../../src/store/outbox/outbox';
import { getRecordHealth } from '../../src/store/state/recordHealth';
import { DEFAULT_POLICY, type OrgSyncSettings } from '../../src/sync/rules/context';
import { AUTH, ORG_ID, orgStatus, useApiHarness } from '../support/api-harness';

const harness = useApiHarness();

describe('POST /api/v1/contacts', () => {
  const connect = async (overrides: Partial<OrgSyncSettings['policy']> = {}) => {
    await harness.connectOrg({ policy: { ...DEFAULT_POLICY, ...overrides } });
    harness.orgStatuses = [orgStatus('Acme')];
  };

  it('creates a telephony contact and, with it, one Salesforce create per connected org', async () => {
    await connect();
    const res = await request(harness.demoUrl)
      .post('/api/v1/contacts')
      .set(AUTH)
      .send({
        firstName: 'Grace',
        lastName: 'Hopper',
        company: 'Navy',
        phones: [{ kind: 'mobile', number: '(415) 555-2671' }],
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      queuedCreates: 1,
      excluded: [],
      contact: {
        firstName: 'Grace',
        lastName: 'Hopper',
        source: 'telephony',
        phones: [{ kind: 'mobile', e164: '+14155552671' }],
      },
    });
    const outbox = await listOutbox(harness.db, { limit: 10 });
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
    expect(harness.writeBacks).toEqual([[ORG_ID]]);
  });

  it('keeps a contact Salesforce cannot take in the directory, excluded with the reason', async () => {
    await connect({ validity: { requireValidPhone: true, requireFirstName: true, requireLastName: true } });
    const res = await request(harness.demoUrl)
      .post('/api/v1/contacts')
      .set(AUTH)
      .send({ lastName: 'Nameless', phones: [{ kind: 'work', number: '+1 415 555 2671' }] });
    expect(res.status).toBe(201);
    expect(res.body.queuedCreates).toBe(0);
    expect(res.body.excluded).toEqual([
      { orgId: ORG_ID, code: 'EXCLUDED_NO_FIRST_NAME', reason: expect.stringContaining('first name') },
    ]);
    expect(await listOutbox(harness.db, { limit: 10 })).toEqual([]);
    expect(await getRecordHealth(harness.db, ORG_ID, 'telephony', res.body.contact.id)).toMatchObject({
      state: 'excluded',
      code: 'EXCLUDED_NO_FIRST_NAME',
    });
    expect(harness.writeBacks).toEqual([]);
  });

  it('queues nothing for an org whose sync is not configured', async () => {
    await connect();
    if (harness.settings) harness.settings.syncId = null;
    const res = await request(harness.demoUrl).post('/api/v1/contacts').set(AUTH).send({ lastName: 'Solo' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ queuedCreates: 0, excluded: [] });
    expect(await listOutbox(harness.db, { limit: 10 })).toEqual([]);
  });

  it.each([
    ['an empty contact', {}, undefined, 'give at least one of'],
    ['an empty last name', { lastName: ' ' }, 'lastName', 'cannot be empty'],
    ['an unknown key', { lastName: 'X', version: 3 }, 'version', 'Unrecognized key'],
    [
      'an invalid phone',
      { lastName: 'X', phones: [{ kind: 'work', number: '12' }] },
      'phones[0].number',
      'is not a valid phone number',
    ],
  ])('refuses %s, naming the field', async (_label, body, field, message) => {
    const res = await request(harness.demoUrl).post('/api/v1/contacts').set(AUTH).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', ...(field ? { field } : {}) });
    expect(res.body.error.message).toContain(message);
    expect((await request(harness.demoUrl).get('/api/v1/contacts').set(AUTH)).body.total).toBe(0);
  });
});
