/**
 * Which calls become Tasks follows the org's sync (issue 15 item 3: Log_Inbound/Outbound/Internal/Missed_Calls__c
 * and Minimum_Call_Seconds__c, read into policy.calls.logging), each setting value through the intake: a Task is
 * queued in the outbox (the write-back worker sends it) or not, and CALLS_TASKS=off turns every Task off.
 */
import type { CallLogging } from '../../src/model/calls';
import { DEFAULT_CALL_LOGGING } from '../../src/model/calls';
import { DEFAULT_POLICY } from '../../src/sync/rules/context';
import { createLink } from '../../src/store/state/links';
import { ApiHarness, AUTH, ORG_ID, orgStatus, useApiHarness } from '../support/api-harness';

const api = useApiHarness({ calls: { extensionDigits: 6 } });

/** One minute of talk time, inbound from Ada's number to extension 201. */
const CALL = {
  direction: 'inbound',
  from: '(415) 555-2671',
  to: '201',
  extension: '201',
  startedAt: '2026-12-07T09:00:00Z',
  answeredAt: '2026-12-07T09:00:05Z',
  endedAt: '2026-12-07T09:01:05Z',
  disposition: 'answered',
};

async function connect(harness: ApiHarness, logging: Partial<CallLogging>) {
  await harness.connectOrg({
    policy: { ...DEFAULT_POLICY, calls: { ...DEFAULT_POLICY.calls, logging: { ...DEFAULT_CALL_LOGGING, ...logging } } },
  });
  harness.orgStatuses = [orgStatus('Acme')];
  const ada = await harness.seed();
  await createLink(harness.db, {
    orgId: ORG_ID,
    contactId: ada.id,
    sobject: 'Contact',
    recordId: '003000000000001AAA',
  });
}

async function post(harness: ApiHarness, body: Record<string, unknown>) {
  const res = await fetch(`${harness.plainUrl}/api/v1/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTH },
    body: JSON.stringify({ ...CALL, ...body }),
  });
  expect(res.status).toBe(202);
  return (await res.json()) as { matched: unknown[] };
}

/** The call ids a Task is queued for in the org (outbox rows carrying a call). */
async function tasksQueued(harness: ApiHarness): Promise<string[]> {
  const { rows } = await harness.db.query<{ call_id: string }>(
    'SELECT c.call_id FROM outbox o JOIN calls c ON c.id = o.call_id WHERE o.org_id = $1 ORDER BY c.call_id',
    [ORG_ID],
  );
  return rows.map((r) => r.call_id);
}

describe('call logging settings of the sync', () => {
  it('logs every direction the sync turns on, and only those', async () => {
    await connect(api, { inbound: false, outbound: true });
    await post(api, { callId: 'in-1' });
    await post(api, { callId: 'out-1', direction: 'outbound', from: '201', to: '(415) 555-2671' });
    expect(await tasksQueued(api)).toEqual(['out-1']);

    await api.reset();
    await connect(api, { inbound: true, outbound: false });
    await post(api, { callId: 'in-2' });
    await post(api, { callId: 'out-2', direction: 'outbound', from: '201', to: '(415) 555-2671' });
    expect(await tasksQueued(api)).toEqual(['in-2']);
  });

  it('logs missed, busy and voicemail calls only when the sync says so', async () => {
    await connect(api, { unanswered: false });
    const unanswered = { answeredAt: null, endedAt: '2026-12-07T09:00:30Z' };
    await post(api, { callId: 'missed-1', ...unanswered, disposition: 'missed' });
    await post(api, { callId: 'busy-1', ...unanswered, disposition: 'busy' });
    await post(api, { callId: 'answered-1' });
    expect(await tasksQueued(api)).toEqual(['answered-1']);

    await api.reset();
    await connect(api, { unanswered: true });
    await post(api, { callId: 'missed-2', ...unanswered, disposition: 'missed' });
    await post(api, { callId: 'voicemail-2', ...unanswered, disposition: 'voicemail' });
    expect(await tasksQueued(api)).toEqual(['missed-2', 'voicemail-2']);
  });

  it('leaves out answered calls shorter than the minimum talk time', async () => {
    await connect(api, { minimumSeconds: 30 });
    await post(api, { callId: 'short-1', endedAt: '2026-12-07T09:00:34Z' }); // 29 s of talk
    await post(api, { callId: 'long-1', endedAt: '2026-12-07T09:00:35Z' }); // 30 s
    expect(await tasksQueued(api)).toEqual(['long-1']);
  });
});

describe('CALLS_TASKS=off', () => {
  const off = useApiHarness({ calls: { extensionDigits: 6, tasks: 'off' } });

  it('logs no Task whatever the sync says, and still keeps and matches the call', async () => {
    await connect(off, {});
    const answer = await post(off, { callId: 'in-off' });
    expect(answer.matched).toHaveLength(1);
    expect(await tasksQueued(off)).toEqual([]);
  });
});
