import request from 'supertest';
import { recordAudit, type AuditEntry } from '../../src/store/audit';
import { AUTH, ORG_ID, UNKNOWN_UUID, useApiHarness } from '../support/api-harness';

const harness = useApiHarness();
const CONTACT = '11111111-1111-4111-8111-111111111111';

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    orgId: ORG_ID,
    contactId: CONTACT,
    recordId: '003000000000001AAA',
    origin: 'salesforce',
    action: 'conflict-lost',
    rule: 'newest wins',
    before: { email: 'old@example.com' },
    after: { email: 'new@example.com' },
    ...overrides,
  };
}

async function audit(n: number, overrides: Partial<AuditEntry> = {}): Promise<void> {
  for (let i = 0; i < n; i++) await recordAudit(harness.db, entry(overrides));
}

describe('GET /api/v1/audit', () => {
  it('needs the token (anonymous → 401, token → 200)', async () => {
    expect((await request(harness.plainUrl).get('/api/v1/audit')).status).toBe(401);
    const res = await request(harness.plainUrl).get('/api/v1/audit').set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ entries: [], nextCursor: null });
  });

  it('filters by contact, org, origin and action, newest first', async () => {
    await audit(2);
    await audit(1, { contactId: UNKNOWN_UUID, origin: 'telephony' });
    await audit(1, { orgId: 'org-2', action: 'delete' });
    const byContact = await request(harness.plainUrl).get(`/api/v1/audit?contactId=${CONTACT}`).set(AUTH);
    expect(byContact.status).toBe(200);
    expect(byContact.body.entries).toHaveLength(3);
    const ids = byContact.body.entries.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const byOrg = await request(harness.plainUrl).get(`/api/v1/audit?orgId=${ORG_ID}`).set(AUTH);
    expect(byOrg.body.entries).toHaveLength(3);
    const tel = await request(harness.plainUrl).get('/api/v1/audit?origin=telephony').set(AUTH);
    expect(tel.body.entries.map((e: { contactId: string }) => e.contactId)).toEqual([UNKNOWN_UUID]);
    const del = await request(harness.plainUrl).get('/api/v1/audit?action=delete').set(AUTH);
    expect(del.body.entries).toHaveLength(1);
    expect(del.body.entries[0]).toMatchObject({
      orgId: 'org-2',
      action: 'delete',
      before: { email: 'old@example.com' },
    });
  });

  it('filters by time range', async () => {
    await audit(1);
    await harness.db.query(`UPDATE audit_log SET at = '2026-01-01T00:00:00Z'`);
    await audit(1, { action: 'later' });
    const early = await request(harness.plainUrl)
      .get('/api/v1/audit?from=2025-12-31T00:00:00Z&to=2026-01-02T00:00:00Z')
      .set(AUTH);
    expect(early.status).toBe(200);
    expect(early.body.entries.map((e: { action: string }) => e.action)).toEqual(['conflict-lost']);
    const late = await request(harness.plainUrl).get('/api/v1/audit?from=2026-01-02T00:00:00Z').set(AUTH);
    expect(late.body.entries.map((e: { action: string }) => e.action)).toEqual(['later']);
  });

  it('pages with a cursor until every entry was seen once', async () => {
    await audit(7);
    await harness.db.query(`UPDATE audit_log SET at = '2026-01-01T00:00:00Z' WHERE id % 2 = 0`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(harness.plainUrl)
        .get('/api/v1/audit')
        .query({ limit: 3, ...(cursor ? { cursor } : {}) })
        .set(AUTH);
      expect(res.status).toBe(200);
      expect(res.body.entries.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.entries.map((e: { id: string }) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toHaveLength(7);
  });

  it.each([
    ['contactId=nope', 'contactId'],
    ['from=yesterday', 'from'],
    ['to=2026-13-01', 'to'],
    ['origin=fax', 'origin'],
    ['limit=501', 'limit'],
    ['limit=0', 'limit'],
    ['cursor=%%%', 'cursor'],
    ['cursor=abc', 'cursor'],
    ['action=', 'action'],
    ['colour=red', 'colour'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const res = await request(harness.plainUrl).get(`/api/v1/audit?${query}`).set(AUTH);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });
});
