import type { DmlBatch } from '../../emulator/org/store';
import { startRestHarness, type RestHarness } from './rest-harness';

describe('emulator REST: control endpoints', () => {
  let h: RestHarness;
  const batches: DmlBatch[] = [];
  beforeAll(async () => {
    h = await startRestHarness({ personAccounts: true });
    h.org.store.onCommit((batch) => batches.push(batch));
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    batches.length = 0;
  });

  it('refuses requests without the client secret', async () => {
    const none = await h.request('GET', '/__emulator/state');
    expect(none.status).toBe(401);
    const conn = await h.connect();
    const accessToken = await h.request('GET', '/__emulator/state', {
      headers: { authorization: `Bearer ${conn.accessToken}` },
    });
    expect(accessToken.status).toBe(401);
  });

  it('edits records as the admin user, "a person in the UI"', async () => {
    const created = await h.control('POST', '/ui/Contact', { LastName: 'Typed In The UI', Phone: '(415) 555-0199' });
    expect(created.status).toBe(201);
    const { id } = created.json() as { id: string };
    expect(h.org.store.get('Contact', id)?.CreatedById).toBe(h.org.adminUser.userId);
    expect(batches[0]).toMatchObject({
      sobject: 'Contact',
      operation: 'create',
      actor: { userId: h.org.adminUser.userId, integration: false },
    });

    expect((await h.control('PATCH', `/ui/Contact/${id}`, { Title: 'Edited' })).status).toBe(204);
    expect(h.org.store.get('Contact', id)?.Title).toBe('Edited');
    expect((await h.control('DELETE', `/ui/Contact/${id}`)).status).toBe(204);
    expect(h.org.store.getDeleted('Contact', id)).toBeDefined();
    const restored = await h.control('POST', `/ui/Contact/${id}/undelete`);
    expect(restored.status).toBe(200);
    expect(restored.json()).toEqual({ id, success: true, errors: [] });
    expect(batches.map((b) => b.operation)).toEqual(['create', 'update', 'delete', 'undelete']);
  });

  it("saves several people's edits in one request, each its own transaction", async () => {
    const ends: number[] = [];
    const stop = h.org.store.onTransactionEnd((t) => ends.push(t));
    const ids = [h.org.store.idFor('Contact', 0), h.org.store.idFor('Contact', 1)];
    const res = await h.control('POST', '/ui-edits/Contact', {
      edits: [
        { id: ids[0], fields: { Title: 'First' } },
        { id: '003000000000000AAA', fields: { Title: 'Nobody' } },
        { id: ids[1], fields: { Title: 'Second' } },
      ],
    });
    stop();
    expect(res.status).toBe(200);
    const { results } = res.json() as { results: Array<{ id: string; success: boolean; errors: unknown[] }> };
    expect(results.map((r) => [r.id, r.success])).toEqual([
      [ids[0], true],
      ['003000000000000AAA', false],
      [ids[1], true],
    ]);
    expect(results[1].errors).toEqual([expect.objectContaining({ statusCode: 'NOT_FOUND' })]);
    expect(h.org.store.get('Contact', ids[0])?.Title).toBe('First');
    expect(h.org.store.get('Contact', ids[1])?.Title).toBe('Second');
    expect(batches.map((b) => [b.operation, b.actor.userId])).toEqual([
      ['update', h.org.adminUser.userId],
      ['update', h.org.adminUser.userId],
    ]);
    expect(new Set(ends).size).toBe(3);
    const bad = await h.control('POST', '/ui-edits/Contact', { edits: [] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('edits');
    const many = Array.from({ length: 201 }, (_, i) => ({ id: h.org.store.idFor('Contact', i % 2), fields: {} }));
    const tooMany = await h.control('POST', '/ui-edits/Contact', { edits: many });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.json())).toContain('oneSave');
  });

  it('saves a mass edit as one DML statement (oneSave)', async () => {
    const ids = [0, 1, 2].map((i) => h.org.store.idFor('Contact', i));
    const res = await h.control('POST', '/ui-edits/Contact', {
      edits: ids.map((id) => ({ id, fields: { Title: 'Mass edited' } })),
      oneSave: true,
    });
    expect(res.status).toBe(200);
    expect((res.json() as { results: Array<{ success: boolean }> }).results.map((r) => r.success)).toEqual([
      true,
      true,
      true,
    ]);
    expect(batches).toHaveLength(1);
    expect(batches[0].changes.map((c) => c.after.Id)).toEqual(ids);
    for (const id of ids) expect(h.org.store.get('Contact', id)?.Title).toBe('Mass edited');
  });

  it('creates Person Accounts through the UI route', async () => {
    const created = await h.control('POST', '/ui/Account', {
      FirstName: 'Pat',
      LastName: 'Person',
      PersonEmail: 'pat@example.org',
    });
    const { id } = created.json() as { id: string };
    expect(h.org.store.get('Account', id)).toMatchObject({ IsPersonAccount: true, Name: 'Pat Person' });
  });

  it('reports bad UI edits with the field and Salesforce error code', async () => {
    const res = await h.control('POST', '/ui/Lead', { LastName: 'No Company' });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual([
      { message: 'Required fields are missing: [Company]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] },
    ]);
    expect((await h.control('PATCH', `/ui/Lead/${h.org.store.idFor('Lead', 999)}`, { Title: 'x' })).status).toBe(404);
    expect((await h.control('POST', '/ui/Gizmo', { Name: 'x' })).status).toBe(404);
  });

  it('validates fault settings, naming the bad field', async () => {
    const rate = await h.control('PUT', '/faults', { errorRate: 2 });
    expect(rate.status).toBe(400);
    expect((rate.json() as { message: string }[])[0].message).toMatch(/errorRate/);
    const kind = await h.control('PUT', '/faults', { errorKinds: ['500'] });
    expect((kind.json() as { message: string }[])[0].message).toMatch(/errorKinds\.0/);
    const extra = await h.control('PUT', '/faults', { failNext: 1 });
    expect(extra.status).toBe(400);
    expect((extra.json() as { message: string }[])[0].message).toMatch(/failNext/);
    const broken = await h.request('PUT', '/__emulator/faults', {
      headers: { authorization: `Bearer ${h.org.clientSecret}`, 'content-type': 'application/json' },
      body: '{errorRate',
    });
    expect(broken.status).toBe(400);
    expect((broken.json() as { errorCode: string }[])[0].errorCode).toBe('JSON_PARSER_ERROR');

    const ok = await h.control('PUT', '/faults', { failNextRequests: 3, errorKinds: ['503', 'UNABLE_TO_LOCK_ROW'] });
    expect(ok.json()).toEqual({ errorRate: 0, errorKinds: ['503', 'UNABLE_TO_LOCK_ROW'], failNextRequests: 3 });
    expect(h.org.faults.failNextRequests).toBe(3);
    await h.control('PUT', '/faults', { failNextRequests: 0 });
  });

  it('expires tokens and drops Pub/Sub streams on request', async () => {
    const conn = await h.connect();
    const token = conn.accessToken ?? '';
    expect(h.org.verifyToken(token)).toBeDefined();
    expect((await h.control('POST', '/expire-tokens')).status).toBe(204);
    expect(h.org.verifyToken(token)).toBeUndefined();

    let dropped = 0;
    const stop = h.org.onDropPubSubStreams(() => dropped++);
    expect((await h.control('POST', '/drop-streams')).status).toBe(204);
    stop();
    expect(dropped).toBe(1);
  });

  it('summarises the org state without counting API calls', async () => {
    const before = h.org.apiUsage.used;
    const state = (await h.control('GET', '/state')).json() as Record<string, unknown>;
    expect(state).toMatchObject({
      organizationId: h.org.organizationId,
      personAccounts: true,
      counts: {
        Contact: h.org.store.count('Contact'),
        Lead: h.org.store.count('Lead'),
        Account: h.org.store.count('Account'),
      },
      apiUsage: { used: before, limit: 100_000 },
      faults: { errorRate: 0, failNextRequests: 0 },
    });
    expect(h.org.apiUsage.used).toBe(before);
  });
});
