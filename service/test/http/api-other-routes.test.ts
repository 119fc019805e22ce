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

  it('reports health without naming the orgs (they are behind the token since issue 12)', async () => {
    harness.orgStatuses = [orgStatus('Acme')];
    const res = await request(harness.demoUrl).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
    expect(res.text).not.toContain(ORG_ID);
  });

  it('shows the demo home page with security headers and nothing about the orgs or the directory', async () => {
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
    // The org's name, stream state and the contact count were shown to anyone before issue 12; now the status needs the token.
    expect(res.text).not.toContain('alert');
    expect(res.text).not.toContain('listening for changes');
    expect(res.text).not.toContain('2 contacts');
    expect(res.text).toContain('http://switchboard.test/api/v1/contacts');
    expect(res.text).toContain('http://switchboard.test/api/v1/status');
    expect(res.text).not.toContain('ada@example.com');
  });

  it('does not call a real org a demo', async () => {
    const res = await request(harness.plainUrl).get('/');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('Demo org');
    expect(res.text).not.toContain('contacts.');
  });
});
