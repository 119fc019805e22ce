/** Who may use the access-key API: every route per role (no token, wrong token, the API token), demo or not. */
import request from 'supertest';
import { AUTH, TOKEN, useApiHarness } from '../support/api-harness';
import { createAccessKey } from '../../src/deviceAccess/accessKeys';

const harness = useApiHarness();

type Call = (base: string, id: string) => request.Test;

const ROUTES: Array<[string, Call, number]> = [
  [
    'POST /api/v1/access-keys',
    (base) =>
      request(base)
        .post('/api/v1/access-keys')
        .send({ name: 'k', scope: ['phonebook'] }),
    201,
  ],
  ['GET /api/v1/access-keys', (base) => request(base).get('/api/v1/access-keys'), 200],
  ['POST /api/v1/access-keys/:id/rotate', (base, id) => request(base).post(`/api/v1/access-keys/${id}/rotate`), 200],
  ['DELETE /api/v1/access-keys/:id', (base, id) => request(base).delete(`/api/v1/access-keys/${id}`), 204],
];

describe.each([
  ['demo', () => harness.demoUrl],
  ['not demo', () => harness.plainUrl],
])('the access-key API (%s)', (_label, baseOf) => {
  describe.each(ROUTES)('%s', (_route, call, success) => {
    let id = '';
    let key = '';
    beforeEach(async () => {
      ({
        record: { id },
        key,
      } = await createAccessKey(harness.db, { name: 'existing', scopes: ['phonebook'] }));
    });

    it('refuses a request without a token (401), changing nothing', async () => {
      const res = await call(baseOf(), id);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="switchboard"');
      expect(JSON.stringify(res.body)).not.toMatch(/sbk_/);
      await expectUnchanged(id);
    });

    it('refuses a wrong API token (401), and an access key is no API token', async () => {
      for (const wrong of [`${TOKEN}x`, key]) {
        const res = await call(baseOf(), id).set('Authorization', `Bearer ${wrong}`);
        expect(res.status).toBe(401);
        expect(res.body.error).toEqual({ code: 'unauthenticated', message: 'the API token is not valid' });
      }
      const byQuery = await call(baseOf(), id).query({ key });
      expect(byQuery.status).toBe(401);
      await expectUnchanged(id);
    });

    it(`answers ${success} with the API token`, async () => {
      const res = await call(baseOf(), id).set(AUTH);
      expect(res.status).toBe(success);
    });
  });
});

/** The existing key is the only one, live and never rotated. */
async function expectUnchanged(id: string): Promise<void> {
  const { rows } = await harness.db.query<{ id: string; rotated_at: Date | null; revoked_at: Date | null }>(
    'SELECT id, rotated_at, revoked_at FROM access_keys',
  );
  expect(rows).toEqual([{ id, rotated_at: null, revoked_at: null }]);
}
