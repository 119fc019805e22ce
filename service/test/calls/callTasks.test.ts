/**
 * Calls logged as Tasks (issue 15 item 3), end to end through the emulated orgs: the intake queues one Task per
 * org and call in the outbox, the write-back worker sends it with sObject Collections, and nothing makes a
 * second — not a report posted three times, not a second leg, not an answer Salesforce lost.
 */
import { eventually, linkedContactId, startStack, uiCreate, type Stack } from '../support/harness';

describe('calls become Tasks in each org the caller is linked in', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ orgs: 2 });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  const tasksIn = (org: number, callId: string) =>
    [...stack.emulators[org].org.store.scan('Task')].filter((t) => t.CallObject === callId);

  const call = (callId: string, extra: Record<string, unknown> = {}) => ({
    callId,
    direction: 'inbound',
    from: '+1 202 555 0190',
    to: '201',
    extension: '201',
    startedAt: '2026-12-07T09:00:00Z',
    answeredAt: '2026-12-07T09:00:04Z',
    endedAt: '2026-12-07T09:02:04Z',
    disposition: 'answered',
    ...extra,
  });

  let recordIds: [string, string];

  it('logs one Task per org, however often the call is reported', async () => {
    const first = uiCreate(stack, 'Contact', { FirstName: 'Kay', LastName: 'Turing', Phone: '+1 202 555 0190' }, 0);
    const contactId = await linkedContactId(stack, first, 0);
    // The same person in the second org (as its sync would link it).
    const second = uiCreate(stack, 'Lead', { LastName: 'Turing', Company: 'Acme', Phone: '+1 202 555 0190' }, 1);
    // The sync matches it by the number: one directory contact, linked in both orgs.
    expect(await linkedContactId(stack, second, 1)).toBe(contactId);
    recordIds = [first, second];

    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await stack.api('POST', '/calls', call('tk-1')));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    const [task0] = await eventually(
      () => (tasksIn(0, 'tk-1').length > 0 ? tasksIn(0, 'tk-1') : undefined),
      'the Task in the first org',
    );
    await eventually(() => (tasksIn(1, 'tk-1').length > 0 ? true : undefined), 'the Task in the second org');
    expect(task0).toMatchObject({
      WhoId: first,
      TaskSubtype: 'Call',
      CallType: 'Inbound',
      CallDurationInSeconds: 120,
      Status: 'Completed',
      Subject: 'Inbound call from +1 202 555 0190',
    });
    expect(tasksIn(1, 'tk-1')[0]).toMatchObject({ WhoId: second });
    // The worker has nothing more to send, and the call knows its Tasks.
    await Promise.all(stack.service.orgs.map((o) => o.writeBack.idle()));
    expect(tasksIn(0, 'tk-1')).toHaveLength(1);
    expect(tasksIn(1, 'tk-1')).toHaveLength(1);
    const view = await stack.api('GET', `/calls/${answers[0]?.body.id as string}`);
    expect(view.body.tasks).toEqual({ primary: task0?.Id, org2: tasksIn(1, 'tk-1')[0]?.Id });
  });

  it('updates the Task a later leg changes, instead of leaving it as first sent or making a second', async () => {
    expect((await stack.api('POST', '/calls', call('tk-legs', { legId: 'a' }))).status).toBe(202);
    const [made] = await eventually(
      () => (tasksIn(0, 'tk-legs').length > 0 ? tasksIn(0, 'tk-legs') : undefined),
      'the Task of the first leg',
    );
    await eventually(async () => {
      const { rows } = await stack.db.query<{ tasks: Record<string, string> }>(
        "SELECT tasks FROM calls WHERE call_id = 'tk-legs'",
      );
      return rows[0]?.tasks.primary ? true : undefined;
    }, 'the Task id recorded with the call');
    expect(made).toMatchObject({ CallDurationInSeconds: 120 });
    // The other leg ends a minute later: the call is longer than the Task says.
    const later = call('tk-legs', { legId: 'b', answeredAt: '2026-12-07T09:00:10Z', endedAt: '2026-12-07T09:03:04Z' });
    expect((await stack.api('POST', '/calls', later)).status).toBe(202);
    // In both orgs, whether the second leg came while that org's Task was queued, on its way or made.
    for (const org of [0, 1]) {
      await eventually(
        () => (tasksIn(org, 'tk-legs')[0]?.CallDurationInSeconds === 180 ? true : undefined),
        `the Task in org ${org} updated with the whole call`,
      );
    }
    await Promise.all(stack.service.orgs.map((o) => o.writeBack.idle()));
    expect(tasksIn(0, 'tk-legs')).toHaveLength(1);
    expect(tasksIn(0, 'tk-legs')[0]).toMatchObject({ Id: made?.Id, TaskSubtype: 'Call', WhoId: recordIds[0] });
    expect(String(tasksIn(0, 'tk-legs')[0]?.Description)).toContain('Ended: 2026-12-07T09:03:04.000Z');
    expect(tasksIn(1, 'tk-legs')).toHaveLength(1);
  });

  it('makes the two legs FreeSWITCH posts of one call one Task per org, with the whole call', async () => {
    const A = 'f5a0c3d4-0000-4000-8000-00000000000a';
    const leg = (variables: Record<string, string>) => ({
      channel_data: { state: 'CS_REPORTING', direction: variables.direction },
      variables: { hangup_cause: 'NORMAL_CLEARING', last_app: 'bridge', destination_number: '201', ...variables },
    });
    const aLeg = leg({ uuid: A, call_uuid: A, direction: 'inbound', caller_id_number: '+12025550190' });
    Object.assign(aLeg.variables, { start_epoch: '1796634000', answer_epoch: '1796634005', end_epoch: '1796634125' });
    const bLeg = leg({ uuid: 'f5b0c3d4-0000-4000-8000-00000000000b', originating_leg_uuid: A, direction: 'outbound' });
    Object.assign(bLeg.variables, {
      caller_id_number: '%2B12025550190',
      start_epoch: '1796634001',
      answer_epoch: '1796634005',
      end_epoch: '1796634126',
    });
    // The callee's leg ends first, then the caller's: each is one POST.
    for (const cdr of [bLeg, aLeg]) expect((await stack.api('POST', '/calls/freeswitch', cdr)).status).toBe(202);
    for (const org of [0, 1]) {
      await eventually(
        () => (tasksIn(org, A)[0]?.CallDurationInSeconds === 121 ? true : undefined),
        `the Task of both legs in org ${org}`,
      );
    }
    await Promise.all(stack.service.orgs.map((o) => o.writeBack.idle()));
    expect([tasksIn(0, A).length, tasksIn(1, A).length]).toEqual([1, 1]);
    expect(tasksIn(0, A)[0]).toMatchObject({ CallType: 'Inbound', WhoId: recordIds[0] });
  });

  it('makes no second Task when Salesforce made the first but its answer was lost', async () => {
    const org = stack.emulators[0].org;
    // The next request of the first org's worker — the Task create — runs, but its answer never comes.
    Object.assign(org.faults, { errorKinds: ['timeout'], failNextRequests: 1 });
    expect(
      (await stack.api('POST', '/calls', call('tk-lost', { disposition: 'missed', answeredAt: null }))).status,
    ).toBe(202);
    await eventually(
      () => (tasksIn(0, 'tk-lost').length > 0 ? true : undefined),
      'the Task made despite the lost answer',
    );
    // Claimed again, the row is looked for by its CallObject and settled, not sent twice.
    await eventually(
      async () => {
        const { rows } = await stack.db.query<{ tasks: Record<string, string> }>(
          "SELECT tasks FROM calls WHERE call_id = 'tk-lost'",
        );
        return rows[0]?.tasks.primary ? true : undefined;
      },
      'the Task id recorded with the call',
      60_000,
    );
    await stack.service.orgs[0].writeBack.idle();
    expect(tasksIn(0, 'tk-lost')).toHaveLength(1);
    expect(recordIds).toHaveLength(2);
  }, 90_000);

  it("parks a Task Salesforce refuses for good, visible in the org's health under the call, not the contact", async () => {
    const org = stack.emulators[0].org;
    // The integration user lost Edit Tasks: every Task create is refused, whatever the retries.
    org.store.uncreatable.add('Task');
    try {
      const posted = await stack.api('POST', '/calls', call('tk-refused'));
      expect(posted.status).toBe(202);
      const callUuid = posted.body.id as string;
      const entry = await eventually(async () => {
        const health = await stack.api('GET', '/orgs/primary/health?state=failing');
        const entries = health.body.entries as Array<Record<string, unknown>>;
        return entries.find((r) => r.callId === callUuid);
      }, 'the parked Task in the health of the org');
      expect(entry).toMatchObject({
        side: 'telephony',
        sobject: 'Task',
        contactId: null,
        state: 'failing',
        code: 'INSUFFICIENT_ACCESS_OR_READONLY',
      });
      expect(String(entry.reason)).toContain('create failed');
      const { rows } = await stack.db.query<{ state: string }>(
        `SELECT o.state FROM outbox o JOIN calls c ON c.id = o.call_id WHERE c.call_id = 'tk-refused' AND o.org_id = 'primary'`,
      );
      expect(rows).toEqual([{ state: 'failed' }]);
      // The caller's own record is healthy: a Task's failure is the call's, never the contact's.
      const { contactId } = (await stack.api('GET', `/calls/${callUuid}`)).body as { contactId: string };
      const contactHealth = await stack.api('GET', `/contacts/${contactId}/health`);
      expect(contactHealth.status).toBe(200);
      expect(JSON.stringify(contactHealth.body)).not.toContain('INSUFFICIENT_ACCESS');
      expect(tasksIn(0, 'tk-refused')).toEqual([]);
    } finally {
      org.store.uncreatable.delete('Task');
    }
  });

  it('logs a call taken by a user deactivated since the users were pulled, owned by the integration user', async () => {
    const org = stack.emulators[0].org;
    const [agent] = org.store.insert(
      'User',
      [
        {
          Username: 'gone@example.com',
          Email: 'gone@example.com',
          LastName: 'Gone',
          Extension: '4720',
          IsActive: true,
        },
      ],
      org.adminUser,
    );
    expect(agent?.success).toBe(true);
    await stack.service.orgs[0].runReconcileNow();
    // The owner is the user whose extension took the call.
    await stack.api('POST', '/calls', call('tk-owned', { to: '4720', extension: '4720' }));
    const [owned] = await eventually(
      () => (tasksIn(0, 'tk-owned').length > 0 ? tasksIn(0, 'tk-owned') : undefined),
      'the Task owned by the agent',
    );
    expect(owned?.OwnerId).toBe(agent?.id);
    // Deactivated in Salesforce; the service learns of it at the next pull, after this call.
    org.store.update('User', [{ Id: agent?.id as string, IsActive: false }], org.adminUser);
    const posted = await stack.api('POST', '/calls', call('tk-gone', { to: '4720', extension: '4720' }));
    expect(posted.body.matched).toContainEqual(expect.objectContaining({ orgId: 'primary', ownerId: agent?.id }));
    const [task] = await eventually(
      () => (tasksIn(0, 'tk-gone').length > 0 ? tasksIn(0, 'tk-gone') : undefined),
      'the Task, made without the deactivated owner',
    );
    expect(task?.OwnerId).toBe(org.integrationUser.userId);
    await stack.service.orgs[0].writeBack.idle();
    expect(tasksIn(0, 'tk-gone')).toHaveLength(1);
  });
});
