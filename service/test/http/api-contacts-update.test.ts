import request from 'supertest';
import type { DirectoryContact } from '../../src/directory/model';
import { listOutbox } from '../../src/store/outbox/outbox';
import { createLink } from '../../src/store/state/links';
import { DEFAULT_MAPPINGS, directoryToSf } from '../../src/sync/rules/fieldMap';
import { AUTH, ORG_ID, RECORD_ID, UNKNOWN_UUID, useApiHarness } from '../support/api-harness';

const harness = useApiHarness();

describe('PATCH /api/v1/contacts/:id', () => {
  it('updates the contact, bumps the version and normalizes phones', async () => {
    const ada = await harness.seed();
    const res = await request(harness.demoUrl)
      .patch(`/api/v1/contacts/${ada.id}`)
      .set(AUTH)
      .send({
        title: 'Chief Analyst',
        phones: [{ kind: 'mobile', number: ' 415.555.2671 x42 ' }],
        version: ada.version,
      });
    expect(res.status).toBe(200);
    expect(res.body.queuedWriteBacks).toBe(0);
    expect(res.body.contact).toMatchObject({
      id: ada.id,
      title: 'Chief Analyst',
      lastName: 'Lovelace',
      version: ada.version + 1,
      phones: [{ kind: 'mobile', raw: '415.555.2671 x42', e164: '+14155552671', extension: '42' }],
    });
    const reread = await request(harness.demoUrl).get(`/api/v1/contacts/${ada.id}`).set(AUTH);
    expect(reread.body.version).toBe(ada.version + 1);
    expect(reread.body.title).toBe('Chief Analyst');
    expect(harness.writeBacks).toEqual([]);
  });

  it.each([
    ['a bad email', { email: 'nope' }, 'email'],
    ['an unknown key', { nickname: 'Countess' }, 'nickname'],
    [
      'an invalid phone',
      {
        phones: [
          { kind: 'work', number: '(415) 555-2671' },
          { kind: 'home', number: '12' },
        ],
      },
      'phones[1].number',
    ],
  ])('refuses %s with the field and the record', async (_label, body, field) => {
    const ada = await harness.seed();
    const res = await request(harness.demoUrl).patch(`/api/v1/contacts/${ada.id}`).set(AUTH).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field, record: ada.id });
    expect(res.body.error.message).toContain(ada.id);
    const unchanged = await request(harness.demoUrl).get(`/api/v1/contacts/${ada.id}`).set(AUTH);
    expect(unchanged.body.version).toBe(ada.version);
  });

  it('refuses a body that is not an object, naming the record', async () => {
    const ada = await harness.seed();
    const array = await request(harness.demoUrl)
      .patch(`/api/v1/contacts/${ada.id}`)
      .set(AUTH)
      .send([{ title: 'x' }]);
    expect(array.status).toBe(400);
    expect(array.body.error).toMatchObject({ code: 'invalid_request', field: 'body', record: ada.id });
    expect(array.body.error.message).toContain('must be a JSON object');
    const empty = await request(harness.demoUrl).patch(`/api/v1/contacts/${ada.id}`).set(AUTH);
    expect(empty.status).toBe(400);
    expect(empty.body.error.record).toBe(ada.id);
  });

  it('refuses malformed JSON', async () => {
    const ada = await harness.seed();
    const res = await request(harness.demoUrl)
      .patch(`/api/v1/contacts/${ada.id}`)
      .set(AUTH)
      .set('Content-Type', 'application/json')
      .send('{"title": ');
    expect(res.status).toBe(400);
    // Since issue 12 a body the parser refuses names the field (the body) and the contact, as every 400 does.
    expect(res.body.error).toEqual({
      code: 'invalid_request',
      message: `body: is not valid JSON (contact ${ada.id})`,
      field: 'body',
      record: ada.id,
    });
  });

  it('answers 409 when the version is stale and changes nothing', async () => {
    const ada = await harness.seed();
    const res = await request(harness.demoUrl)
      .patch(`/api/v1/contacts/${ada.id}`)
      .set(AUTH)
      .send({ title: 'Stale', version: ada.version + 1 });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'version_conflict', field: 'version', record: ada.id });
    const unchanged = await request(harness.demoUrl).get(`/api/v1/contacts/${ada.id}`).set(AUTH);
    expect(unchanged.body).toMatchObject({ title: 'Analyst', version: ada.version });
  });

  it('answers 404 for an unknown contact', async () => {
    const res = await request(harness.demoUrl).patch(`/api/v1/contacts/${UNKNOWN_UUID}`).set(AUTH).send({ title: 'x' });
    expect(res.status).toBe(404);
    expect(res.body.error.record).toBe(UNKNOWN_UUID);
  });

  describe('with a linked Salesforce record', () => {
    let ada: DirectoryContact;
    beforeEach(async () => {
      await harness.connectOrg({ syncId: null });
      ada = await harness.seed();
      await createLink(harness.db, {
        orgId: ORG_ID,
        contactId: ada.id,
        sobject: 'Contact',
        recordId: RECORD_ID,
        sfValues: { ...directoryToSf(DEFAULT_MAPPINGS, 'Contact', ada), 'Account.Name': 'Analytical Engines' },
      });
    });

    it('queues one write-back with only the changed fields and says so', async () => {
      const res = await request(harness.demoUrl)
        .patch(`/api/v1/contacts/${ada.id}`)
        .set(AUTH)
        .send({ title: 'CTO', firstName: 'Ada', phones: [{ kind: 'work', number: '(415) 555-2671' }] });
      expect(res.status).toBe(200);
      expect(res.body.queuedWriteBacks).toBe(1);
      const outbox = await listOutbox(harness.db, { limit: 10 });
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
      expect(harness.writeBacks).toEqual([[ORG_ID]]);
      const detail = await request(harness.demoUrl).get(`/api/v1/contacts/${ada.id}`).set(AUTH);
      expect(detail.body.links).toEqual([{ orgId: ORG_ID, sobject: 'Contact', recordId: RECORD_ID }]);
    });

    it('queues nothing when only the company (owned by the Account) changes', async () => {
      const res = await request(harness.demoUrl)
        .patch(`/api/v1/contacts/${ada.id}`)
        .set(AUTH)
        .send({ company: 'Babbage & Co' });
      expect(res.status).toBe(200);
      expect(res.body.queuedWriteBacks).toBe(0);
      expect(res.body.contact.company).toBe('Babbage & Co');
      expect(await listOutbox(harness.db, { limit: 10 })).toEqual([]);
      expect(harness.writeBacks).toEqual([]);
    });
  });
});
