import request from 'supertest';
import { AUTH, ORG_ID, orgStatus, useApiHarness } from '../support/api-harness';

const harness = useApiHarness();

describe('other routes', () => {
  it('answers unknown routes with a JSON 404', async () => {
    const res = await request(harness.demoUrl).get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error).toEqual({ code: 'not_found', message: 'no route for GET /nowhere' });
    const api = await request(harness.demoUrl).get('/api/v1/nowhere').set(AUTH);
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('not_found');
  });

  it('reports health with the org states', async () => {
    harness.orgStatuses = [orgStatus('Acme')];
    const res = await request(harness.demoUrl).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', orgs: [{ id: ORG_ID, subscriber: 'subscribed' }] });
  });

  it('shows the demo home page with the org name escaped and security headers', async () => {
    harness.orgStatuses = [orgStatus('<script>alert("x")</script> & Co')];
    await harness.seed();
    await harness.seed({ lastName: 'Second' });
    const res = await request(harness.demoUrl).get('/');
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
    const res = await request(harness.plainUrl).get('/');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('Demo org');
    expect(res.text).toContain('0 contacts');
  });
});
