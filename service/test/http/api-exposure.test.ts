/**
 * Issue 12, item 8: anonymous pages say nothing about the orgs, the details need the token, only known
 * hosts are answered (DNS rebinding), and guessing the token is throttled per client.
 */
import request from 'supertest';
import { AUTH, ORG_ID, TOKEN, orgStatus, useApiHarness } from '../support/api-harness';

const harness = useApiHarness();

function talkativeOrg() {
  const status = orgStatus('Acme production');
  status.lastError = 'connect ECONNREFUSED 10.1.2.3:5432 (internal.db.acme.lan)';
  status.health = { inSync: 41, excluded: 7, failing: 2, ignored: 3 };
  status.lastEventAt = '2026-12-01T10:00:00.000Z';
  return status;
}

describe('anonymous pages', () => {
  it('the home page shows nothing about the orgs, their state, counts or errors', async () => {
    harness.orgStatuses = [talkativeOrg()];
    await harness.seed();
    for (const url of [harness.demoUrl, harness.plainUrl]) {
      const res = await request(url).get('/');
      expect(res.status).toBe(200);
      for (const secret of [
        'Acme production',
        ORG_ID,
        '00D000000000001AAA',
        'listening for changes',
        'ECONNREFUSED',
        'internal.db.acme.lan',
        '41',
        '1 contacts',
        '2026-12-01',
      ]) {
        expect(res.text).not.toContain(secret);
      }
      expect(res.text).toContain('/api/v1/status');
    }
  });

  it('/healthz says ok (and that the database is up) and nothing else', async () => {
    harness.orgStatuses = [talkativeOrg()];
    const res = await request(harness.plainUrl).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('the detailed status needs the token', async () => {
    harness.orgStatuses = [talkativeOrg()];
    expect((await request(harness.plainUrl).get('/api/v1/status')).status).toBe(401);
    const res = await request(harness.plainUrl).get('/api/v1/status').set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body.orgs[0]).toMatchObject({ id: ORG_ID, lastError: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('known hosts only', () => {
  it.each(['evil.example', 'switchboard.test.evil.example', 'localhost.evil.example:1234', '10.0.0.1'])(
    'answers 421 to Host: %s on every route',
    async (host) => {
      for (const path of ['/', '/healthz', '/api/v1/status', '/api/v1/contacts']) {
        const res = await request(harness.plainUrl).get(path).set('Host', host).set(AUTH);
        expect(res.status).toBe(421);
        expect(res.body.error).toMatchObject({ code: 'unknown_host', field: 'Host' });
        expect(res.text).not.toContain(host);
      }
    },
  );

  it('answers the PUBLIC_URL host and the loopback forms of the listening address', async () => {
    const port = new URL(harness.plainUrl).port;
    for (const host of [
      'switchboard.test',
      'SWITCHBOARD.test',
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
    ]) {
      const res = await request(harness.plainUrl).get('/healthz').set('Host', host);
      expect({ host, status: res.status }).toEqual({ host, status: 200 });
    }
    expect((await request(harness.plainUrl).get('/healthz').set('Host', 'localhost:1')).status).toBe(421);
  });
});

describe('failed authentication is throttled per client', () => {
  const from = (ip: string) => ({ 'X-Forwarded-For': ip });

  it('answers 429 with Retry-After after repeated bad tokens, and only to that client', async () => {
    const attacker = from('203.0.113.7');
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await request(harness.plainUrl)
        .get('/api/v1/contacts')
        .set(attacker)
        .set('Authorization', `Bearer guess-${i}-${'x'.repeat(24)}`);
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(-20).every((s) => s === 429)).toBe(true);
    const blocked = await request(harness.plainUrl).get('/api/v1/contacts').set(attacker).set(AUTH);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body.error).toMatchObject({ code: 'too_many_requests', field: 'Authorization' });

    const other = await request(harness.plainUrl).get('/api/v1/contacts').set(from('198.51.100.9')).set(AUTH);
    expect(other.status).toBe(200);
    expect(harness.logLines.join('')).not.toContain(TOKEN);
  });
});
