import { randomUUID } from 'node:crypto';
import { eventually, linkedContact, startStack, type Stack } from '../support/harness';
import { publishEvent } from '../../emulator/pubsub/eventBus';

describe('commands from the service API (POST /api/v1/orgs/:orgId/commands)', () => {
  let stack: Stack;
  const post = (body: unknown, org = 'primary', token?: string | null) =>
    stack.api('POST', `/orgs/${org}/commands`, body, token);
  const runtime = () => stack.service.orgs[0];

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('wants the bearer token', async () => {
    expect((await post({ command: 'pause' }, 'primary', null)).status).toBe(401);
    expect(runtime().status().paused).toBe(false);
  });

  it('answers 404 for an org the service does not connect', async () => {
    const res = await post({ command: 'pause' }, 'nowhere');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', field: 'orgId', message: 'no org connection "nowhere"' });
  });

  it.each([
    [{ command: 'reboot' }, 'command', /^command: must be one of startInitialSync, pause/],
    [{}, 'command', /^command: /],
    [{ command: 'syncRecords' }, 'recordIds', /^recordIds: is required for syncRecords/],
    [
      { command: 'syncRecords', recordIds: ['003 bad'] },
      'recordIds[0]',
      /^recordIds\[0\]: must be a 15- or 18-character Salesforce record id/,
    ],
    [{ command: 'pause', recordIds: ['003000000000001AAA'] }, 'recordIds', /^recordIds: is only taken by syncRecords/],
    [{ command: 'pause', force: true }, 'force', /^force: /],
  ])('rejects %j with 400 naming %s', async (body, field, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field });
    expect(res.body.error.message).toMatch(message);
  });

  it('pauses and resumes, and answers 409 when the state does not allow the command', async () => {
    const paused = await post({ command: 'pause' });
    expect(paused.status).toBe(200);
    expect(paused.body).toEqual({
      org: 'primary',
      command: 'pause',
      summary: 'paused: changes are kept in Salesforce and applied on resume',
    });
    expect(runtime().status().paused).toBe(true);
    expect(runtime().subscriber.state).toBe('stopped');

    const again = await post({ command: 'pause' });
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({ code: 'command_refused', message: 'pause refused: the sync is already paused' });
    const records = await post({ command: 'syncRecords', recordIds: [stack.emulator.org.store.idFor('Contact', 1)] });
    expect(records.status).toBe(409);
    expect(records.body.error.message).toBe('syncRecords refused: the sync is paused; resume it first');

    expect((await post({ command: 'resume' })).status).toBe(200);
    expect(runtime().status().paused).toBe(false);
    expect((await post({ command: 'resume' })).body.error.message).toBe('resume refused: the sync is not paused');
  });

  it('shares the runner with the command event: a refused event says why', async () => {
    const org = stack.emulator.org;
    const before = runtime().commands.outcome;
    publishEvent(org, '/event/Switchboard_Command__e', {
      Command__c: 'Resume',
      Sync_Id__c: org.store.idFor('Switchboard_Sync__c', 0),
      Requested_By__c: org.adminUser.userId,
      Request_Id__c: randomUUID(),
    });
    const outcome = await eventually(
      () => (runtime().commands.outcome !== before ? runtime().commands.outcome : undefined),
      'the Resume event',
    );
    expect(outcome).toBe('refused: resume refused: the sync is not paused');
  });

  it('syncs the named records now and returns what it did', async () => {
    const seeded = stack.emulator.org.store.idFor('Contact', 3);
    const res = await post({ command: 'syncRecords', recordIds: [seeded] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      command: 'syncRecords',
      summary: 'synced 1 record(s)',
      result: { applied: 1, skipped: [] },
    });
    expect((await linkedContact(stack, seeded))?.lastName).toBe(
      stack.emulator.org.store.get('Contact', seeded)?.LastName,
    );
  });

  it('reloads the settings on configurationChanged, and records every command in the audit log, refused ones too', async () => {
    const org = stack.emulator.org;
    org.store.update(
      'Switchboard_Sync__c',
      [{ Id: org.store.idFor('Switchboard_Sync__c', 0), Default_Country__c: 'FR' }],
      org.adminUser,
    );
    const res = await post({ command: 'configurationChanged' });
    expect(res.body).toEqual({ org: 'primary', command: 'configurationChanged', summary: 'settings reloaded' });
    expect(runtime().settings.defaultCountry).toBe('FR');
    const { rows } = await stack.db.query<{ rule: string; origin: string }>(
      "SELECT rule, origin FROM audit_log WHERE org_id = 'primary' AND action = 'command' AND origin = 'telephony' ORDER BY id",
    );
    expect(rows.map((r) => r.rule)).toEqual([
      'paused: changes are kept in Salesforce and applied on resume',
      'refused: pause refused: the sync is already paused',
      'refused: syncRecords refused: the sync is paused; resume it first',
      'resumed from the stored position',
      'refused: resume refused: the sync is not paused',
      'synced 1 record(s)',
      'settings reloaded',
    ]);
  });

  it('runs the reconcile now and returns its result', async () => {
    const res = await post({ command: 'reconcile' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ org: 'primary', command: 'reconcile', summary: 'reconcile run' });
    expect(res.body.result).toEqual(expect.any(Object));
  });

  it('starts an initial sync that loads the org', async () => {
    const first = await post({ command: 'startInitialSync' });
    expect(first.body).toEqual({ org: 'primary', command: 'startInitialSync', summary: 'initial sync started' });
    await eventually(() => runtime().status().initialSync.state !== 'pending', 'the initial sync to start');
    expect((await runtime().initialSyncSettled()).state).toBe('done');
  });
});
