import request from 'supertest';
import { TOKEN, useApiHarness } from '../support/api-harness';

const harness = useApiHarness();

describe('authentication', () => {
  it('refuses a request without a token', async () => {
    const res = await request(harness.demoUrl).get('/api/v1/contacts');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="switchboard"');
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('refuses a wrong token', async () => {
    const res = await request(harness.demoUrl).get('/api/v1/contacts').set('Authorization', `Bearer ${TOKEN}x`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(res.body.error).toEqual({ code: 'unauthenticated', message: 'the API token is not valid' });
  });

  it('refuses a non-bearer scheme', async () => {
    const res = await request(harness.demoUrl).get('/api/v1/contacts').set('Authorization', `Basic ${TOKEN}`);
    expect(res.status).toBe(401);
  });
});
