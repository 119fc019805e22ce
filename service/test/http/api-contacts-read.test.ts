import request from 'supertest';
import type { DirectoryContact } from '../../src/directory/model';
import { AUTH, UNKNOWN_UUID, useApiHarness } from '../support/api-harness';

const harness = useApiHarness();

describe('GET /api/v1/contacts', () => {
  it('pages through every contact with nextCursor', async () => {
    const seeded = [];
    for (let i = 0; i < 5; i++) seeded.push(await harness.seed({ lastName: `Person ${i}` }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await request(harness.demoUrl)
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
    const ada = await harness.seed();
    await harness.seed({
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@example.com',
      company: 'Navy',
      phones: [],
    });
    const byName = await request(harness.demoUrl).get('/api/v1/contacts').query({ search: 'lovelace' }).set(AUTH);
    expect(byName.status).toBe(200);
    expect(byName.body.contacts.map((c: DirectoryContact) => c.id)).toEqual([ada.id]);
    expect(byName.body).not.toHaveProperty('total');
    expect(byName.body.nextCursor).toBeNull();
    const byPhone = await request(harness.demoUrl).get('/api/v1/contacts').query({ search: '555-2671' }).set(AUTH);
    expect(byPhone.body.contacts.map((c: DirectoryContact) => c.id)).toEqual([ada.id]);
  });

  it('refuses a bad limit naming the field', async () => {
    const res = await request(harness.demoUrl).get('/api/v1/contacts').query({ limit: 0 }).set(AUTH);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('limit');
  });
});

describe('GET /api/v1/contacts/:id', () => {
  it('returns the contact with its links', async () => {
    const ada = await harness.seed();
    const res = await request(harness.demoUrl).get(`/api/v1/contacts/${ada.id}`).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...ada, links: [] });
  });

  it('answers 404 for an unknown uuid and for an id that is no uuid', async () => {
    const unknown = await request(harness.demoUrl).get(`/api/v1/contacts/${UNKNOWN_UUID}`).set(AUTH);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'not_found', record: UNKNOWN_UUID });
    const bad = await request(harness.demoUrl).get('/api/v1/contacts/not-a-uuid').set(AUTH);
    expect(bad.status).toBe(404);
    expect(bad.body.error).toMatchObject({ code: 'not_found', record: 'not-a-uuid' });
  });
});
