import request from 'supertest';
import { AUTH, UNKNOWN_UUID, useApiHarness } from '../support/api-harness';

const harness = useApiHarness();

const SALES = {
  name: 'Sales team',
  format: 'snom',
  selection: { kind: 'tag', tag: 'sales' },
  options: { nameOrder: 'first-last', nameMaxLength: 24, transliteration: 'ascii', vcardVersion: '3.0' },
};

describe('/api/v1/phone-books', () => {
  it('creates, reads, lists, replaces and deletes a named feed, with the URL phones fetch it at', async () => {
    const created = await request(harness.plainUrl).post('/api/v1/phone-books').set(AUTH).send(SALES);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...SALES,
      version: 1,
      url: 'http://switchboard.test/phonebook/snom?feed=Sales%20team',
    });
    const id = created.body.id as string;
    expect((await request(harness.plainUrl).get(`/api/v1/phone-books/${id}`).set(AUTH)).body).toEqual(created.body);

    const replaced = await request(harness.plainUrl)
      .put(`/api/v1/phone-books/${id}`)
      .set(AUTH)
      .send({ name: 'Leads', format: 'yealink', selection: { kind: 'object', object: 'Lead' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      name: 'Leads',
      selection: { kind: 'object', object: 'Lead' },
      options: { nameOrder: 'last-first', nameMaxLength: null, transliteration: 'none', vcardVersion: '3.0' },
      version: 2,
    });
    await request(harness.plainUrl)
      .post('/api/v1/phone-books')
      .set(AUTH)
      .send({ name: 'Acme org', format: 'cisco', selection: { kind: 'org', orgId: 'org-1' } })
      .expect(201);
    const list = await request(harness.plainUrl).get('/api/v1/phone-books').set(AUTH);
    expect(list.body.phoneBooks.map((b: { name: string }) => b.name)).toEqual(['Acme org', 'Leads']);

    expect((await request(harness.plainUrl).delete(`/api/v1/phone-books/${id}`).set(AUTH)).body).toEqual({
      deleted: id,
    });
    expect((await request(harness.plainUrl).get(`/api/v1/phone-books/${id}`).set(AUTH)).status).toBe(404);
    expect((await request(harness.plainUrl).delete(`/api/v1/phone-books/${UNKNOWN_UUID}`).set(AUTH)).status).toBe(404);
  });

  it('answers 400 naming the field for bad input', async () => {
    const cases: Array<[object, string]> = [
      [{ ...SALES, format: 'nokia' }, 'format'],
      [{ ...SALES, name: '' }, 'name'],
      [{ ...SALES, name: 'a/b?c' }, 'name'],
      [{ ...SALES, selection: { kind: 'object', object: 'Opportunity' } }, 'selection.object'],
      [{ ...SALES, selection: { kind: 'everyone' } }, 'selection.kind'],
      [{ ...SALES, selection: { kind: 'tag' } }, 'selection.tag'],
      [{ ...SALES, options: { nameMaxLength: 0 } }, 'options.nameMaxLength'],
      [{ ...SALES, options: { transliteration: 'latin1' } }, 'options.transliteration'],
      [{ ...SALES, colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const res = await request(harness.plainUrl).post('/api/v1/phone-books').set(AUTH).send(body);
      expect({ field, status: res.status, answer: res.body.error?.field }).toEqual({
        field,
        status: 400,
        answer: field,
      });
      expect(res.body.error.message).toContain(field);
    }
    const created = await request(harness.plainUrl).post('/api/v1/phone-books').set(AUTH).send(SALES);
    const again = await request(harness.plainUrl).post('/api/v1/phone-books').set(AUTH).send(SALES);
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ field: 'name' });
    const put = await request(harness.plainUrl)
      .put(`/api/v1/phone-books/${created.body.id}`)
      .set(AUTH)
      .send({ ...SALES, format: 'nokia' });
    expect(put.body.error).toMatchObject({ field: 'format', record: created.body.id });
  });

  it('needs the API token', async () => {
    expect((await request(harness.plainUrl).get('/api/v1/phone-books')).status).toBe(401);
  });
});

describe('contact tags through /api/v1/contacts', () => {
  it('accepts tags on create and patch and returns them', async () => {
    const created = await request(harness.plainUrl)
      .post('/api/v1/contacts')
      .set(AUTH)
      .send({ lastName: 'Hopper', tags: ['sales', 'vip', 'sales'] });
    expect(created.status).toBe(201);
    expect(created.body.contact.tags).toEqual(['sales', 'vip']);
    const id = created.body.contact.id as string;
    const patched = await request(harness.plainUrl)
      .patch(`/api/v1/contacts/${id}`)
      .set(AUTH)
      .send({ tags: ['support'] });
    expect(patched.status).toBe(200);
    expect((await request(harness.plainUrl).get(`/api/v1/contacts/${id}`).set(AUTH)).body.tags).toEqual(['support']);
  });

  it('refuses a tag that is no text, naming it', async () => {
    const res = await request(harness.plainUrl)
      .post('/api/v1/contacts')
      .set(AUTH)
      .send({ lastName: 'Hopper', tags: ['ok', 7] });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('tags[1]');
    const empty = await request(harness.plainUrl)
      .post('/api/v1/contacts')
      .set(AUTH)
      .send({ lastName: 'Hopper', tags: [' '] });
    expect(empty.body.error.field).toBe('tags[0]');
  });
});
