/**
 * Issue 12, item 7: every bad input is a 400 naming the field and the contact, stores nothing, and logs
 * neither a stack trace nor the submitted value. Each case here was a 500 (NUL, lone surrogates), or was
 * accepted and then failed in the org for good (junk after a phone number, long extensions, lengths counted
 * in code points), or an empty PATCH answered 200.
 */
import request from 'supertest';
import { listContacts } from '../../src/directory/contacts';
import { AUTH, useApiHarness } from '../support/api-harness';

const harness = useApiHarness();

const JUNK_PHONES = [
  '+1 415 555 0100; DROP TABLE x',
  '+1 415 555 0100<script>',
  '+1 415 555 0100 \u{1F4DE}',
  '+1 415 555 0100 x12345678901234567890',
  '+1 415 555 0100 ext. 12345678901',
  '(415) 555-2671 call after 5',
];

/** Text Postgres refuses or Salesforce cannot store: NUL, lone surrogates, and 41 UTF-16 units in 21 code points. */
const BAD_TEXT: Array<[string, string]> = [
  ['a NUL', 'Ad\u0000a'],
  ['a lone high surrogate', 'Ada \uD83D'],
  ['a lone low surrogate', '\uDE00 Ada'],
];

async function directory(): Promise<string> {
  return JSON.stringify(await listContacts(harness.db, { limit: 500 }));
}

function expectQuietLog(values: string[]): void {
  const log = harness.logLines.join('');
  expect(log).not.toMatch(/"stack"|\n\s+at /);
  for (const value of values) expect(log).not.toContain(JSON.stringify(value).slice(1, -1));
}

describe('bad input on PATCH /api/v1/contacts/:id', () => {
  it.each(
    BAD_TEXT.flatMap(([label, value]) =>
      ['firstName', 'lastName', 'company', 'title', 'email'].map((field) => [label, field, value] as const),
    ),
  )('refuses %s in %s with 400 naming the field and the contact', async (_label, field, value) => {
    const ada = await harness.seed();
    const before = await directory();
    const res = await request(harness.demoUrl)
      .patch(`/api/v1/contacts/${ada.id}`)
      .set(AUTH)
      .send({ [field]: value });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field, record: ada.id });
    expect(res.body.error.message).toContain(ada.id);
    expect(await directory()).toBe(before);
    expectQuietLog([value]);
  });

  it.each([...BAD_TEXT.map(([label, value]) => [label, value] as const), ...JUNK_PHONES.map((p) => [p, p] as const)])(
    'refuses a phone with %s',
    async (_label, number) => {
      const ada = await harness.seed();
      const before = await directory();
      const res = await request(harness.demoUrl)
        .patch(`/api/v1/contacts/${ada.id}`)
        .set(AUTH)
        .send({ phones: [{ kind: 'work', number }] });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'phones[0].number', record: ada.id });
      expect(await directory()).toBe(before);
      expectQuietLog([number]);
    },
  );

  it('counts lengths in UTF-16 units, as Salesforce does', async () => {
    const ada = await harness.seed();
    const emoji = '\u{1F600}'.repeat(21); // 21 code points, 42 UTF-16 units: over FirstName's 40
    const res = await request(harness.demoUrl).patch(`/api/v1/contacts/${ada.id}`).set(AUTH).send({ firstName: emoji });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ field: 'firstName', record: ada.id });
    expect(res.body.error.message).toContain('40');
    const fits = await request(harness.demoUrl)
      .patch(`/api/v1/contacts/${ada.id}`)
      .set(AUTH)
      .send({ firstName: '\u{1F600}'.repeat(20) });
    expect(fits.status).toBe(200);
  });

  it('refuses an empty PATCH, naming the contact', async () => {
    const ada = await harness.seed();
    for (const body of [{}, { version: ada.version }]) {
      const res = await request(harness.demoUrl).patch(`/api/v1/contacts/${ada.id}`).set(AUTH).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'body', record: ada.id });
    }
    const reread = await request(harness.demoUrl).get(`/api/v1/contacts/${ada.id}`).set(AUTH);
    expect(reread.body.version).toBe(ada.version);
  });

  it('still takes a phone with a short extension', async () => {
    const ada = await harness.seed();
    const res = await request(harness.demoUrl)
      .patch(`/api/v1/contacts/${ada.id}`)
      .set(AUTH)
      .send({ phones: [{ kind: 'work', number: '+1 415 555 2671 ext. 1234' }] });
    expect(res.status).toBe(200);
    expect(res.body.contact.phones[0]).toMatchObject({ e164: '+14155552671', extension: '1234' });
  });
});

describe('bad input on POST /api/v1/contacts', () => {
  it.each([...BAD_TEXT, ['a junk phone', JUNK_PHONES[0]] as [string, string]])(
    'refuses %s and creates nothing',
    async (_label, value) => {
      const res = await request(harness.demoUrl)
        .post('/api/v1/contacts')
        .set(AUTH)
        .send({ lastName: 'Hopper', phones: [{ kind: 'mobile', number: value }] });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'phones[0].number' });
      if (!JUNK_PHONES.includes(value)) {
        const named = await request(harness.demoUrl).post('/api/v1/contacts').set(AUTH).send({ lastName: value });
        expect(named.status).toBe(400);
        expect(named.body.error).toMatchObject({ code: 'invalid_request', field: 'lastName' });
      }
      expect(await listContacts(harness.db, { limit: 10 })).toEqual([]);
      expectQuietLog([value]);
    },
  );
});

describe('bad search on GET /api/v1/contacts', () => {
  it.each([
    ['a NUL', 'Ad\u0000a'],
    ['a NUL in a phone search', '415\u0000555'],
  ])('refuses %s with 400 naming search', async (_label, search) => {
    await harness.seed();
    const res = await request(harness.demoUrl).get('/api/v1/contacts').query({ search }).set(AUTH);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'search' });
    expectQuietLog([search]);
  });

  it('refuses a NUL in the store too, before Postgres sees it', async () => {
    await expect(listContacts(harness.db, { limit: 5, search: 'a\u0000b' })).rejects.toMatchObject({
      name: 'StoreInputError',
      field: 'search',
    });
  });
});
