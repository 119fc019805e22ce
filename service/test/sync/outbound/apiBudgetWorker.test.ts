import { eventually, linkedContactId, runtimeOf, startStack, uiCreate, type Stack } from '../../support/harness';
import { listAudit } from '../../../src/store/audit';
import { listOutbox } from '../../../src/store/outbox/outbox';

const ORG = 'primary';

describe('API budget guard on write-back', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('holds write-backs at 90 % of the daily allocation and sends them once usage is below 75 %, visibly', async () => {
    const runtime = runtimeOf(stack);
    const org = stack.emulator.org;
    const id = uiCreate(stack, 'Contact', { LastName: 'Budget', Phone: '+1 512 555 0100' });
    const contactId = await linkedContactId(stack, id);

    // Other clients of the org spent most of the day's allocation; any response now reports it.
    org.apiUsage.used = Math.round(org.apiUsage.limit * 0.92);
    await runtime.reloadSettings();
    expect((await stack.api('PATCH', `/contacts/${contactId}`, { title: 'Held' })).status).toBe(200);

    const status = await eventually(
      () => (runtime.status().apiBudget?.paused ? runtime.status().apiBudget : undefined),
      'the pause',
    );
    expect(status).toMatchObject({
      paused: true,
      limit: org.apiUsage.limit,
      pauseAtPercent: 90,
      resumeBelowPercent: 75,
    });
    expect(status?.percent).toBeGreaterThanOrEqual(90);
    expect((await stack.api('GET', '/status')).body.orgs[0].apiBudget).toMatchObject({ paused: true });
    const paused = await eventually(
      async () => (await listAudit(stack.db, { limit: 50 })).find((a) => a.action === 'api-budget-paused'),
      'the pause in the audit log',
    );
    expect(paused.rule).toMatch(
      /^API usage \d+ of 100000 daily requests \(9\d(\.\d)? %\) reached 90 %: write-back paused until usage is below 75 %$/,
    );

    // While paused a round sends nothing and the row waits; nothing is dropped.
    const round = await runtime.writeBack.drainOnce({ limit: 200, leaseMs: 60_000 });
    expect(round).toMatchObject({ claimed: 0, calls: 0 });
    const waiting = (await listOutbox(stack.db, { orgId: ORG, limit: 50 })).filter(
      (r) => r.recordId === id && r.state !== 'done',
    );
    expect(waiting).toEqual([expect.objectContaining({ state: 'pending', payload: { Title: 'Held' } })]);
    expect(org.store.get('Contact', id)?.Title).toBeNull();

    // The rolling window moved on: the next response reports room again.
    org.apiUsage.used = Math.round(org.apiUsage.limit * 0.7);
    await runtime.reloadSettings();
    await eventually(() => org.store.get('Contact', id)?.Title === 'Held' || undefined, 'the held write-back');
    expect(runtime.status().apiBudget?.paused).toBe(false);
    const audit = (await listAudit(stack.db, { limit: 50 })).map((a) => a.action);
    expect(audit).toContain('api-budget-resumed');
  });
});
