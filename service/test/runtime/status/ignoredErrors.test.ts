import { linkedContactId, runtimeOf, startStack, uiCreate, type Stack } from '../../support/harness';
import { listAudit } from '../../../src/store/audit';
import { listOutbox, type OutboxItem } from '../../../src/store/outbox/outbox';
import { getRecordHealth } from '../../../src/store/state/recordHealth';

const ORG = 'primary';

/**
 * An admin sets a sync error record to Ignored (the dashboard's Ignore, or State__c edited in the org):
 * the service stops retrying that record's write and does not retry the same error again.
 */
describe('sync errors an admin ignores in the org', () => {
  let stack: Stack;
  const org = () => stack.emulator.org;
  const errorRow = (key: string) => {
    const [id] = org().store.findByExternalId('Switchboard_Sync_Error__c', 'Error_Key__c', key);
    return id ? org().store.get('Switchboard_Sync_Error__c', id) : undefined;
  };
  const updatesOf = async (recordId: string): Promise<OutboxItem[]> =>
    (await listOutbox(stack.db, { limit: 1000 }))
      .filter((r) => r.recordId === recordId && r.operation === 'update')
      .reverse();
  // The worker's next two requests: the read of the records before a round of updates (which then goes
  // as it is), and the update itself.
  const lockNextRequest = () =>
    Object.assign(org().faults, { errorKinds: ['UNABLE_TO_LOCK_ROW'], failNextRequests: 2 });

  beforeAll(async () => {
    // Status flushes only when the test asks, and each asks the org what is ignored.
    stack = await startStack({ service: { status: { intervalMs: 3_600_000, ignoredCheckMs: 0 } } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('parks the retries of an ignored error, keeps the same error from being retried, and resolves the row once a write goes through', async () => {
    const runtime = runtimeOf(stack);
    const recordId = uiCreate(stack, 'Contact', { FirstName: 'Ada', LastName: 'Locked', Phone: '+1 415 555 0161' });
    const contactId = await linkedContactId(stack, recordId);
    // The test drives the write-back rounds itself, so no retry happens behind its back.
    await runtime.writeBack.stop();

    lockNextRequest();
    expect((await stack.api('PATCH', `/contacts/${contactId}`, { title: 'Retried' })).status).toBe(200);
    expect(await runtime.writeBack.drainOnce()).toMatchObject({ claimed: 1, retried: 1, failed: 0 });
    const [retrying] = await updatesOf(recordId);
    expect(retrying).toMatchObject({ state: 'pending', attempts: 1, lastErrorCode: 'UNABLE_TO_LOCK_ROW' });
    expect(await getRecordHealth(stack.db, ORG, 'salesforce', recordId)).toMatchObject({
      state: 'failing',
      ignoredAt: null,
      nextRetryAt: expect.any(String),
    });

    await runtime.reporter.flush();
    const key = `${recordId}|Salesforce|UNABLE_TO_LOCK_ROW`;
    expect(errorRow(key)).toMatchObject({ Side__c: 'Salesforce', State__c: 'Failing', Retry_Count__c: 1 });
    expect(runtime.status().health).toMatchObject({ failing: 1, ignored: 0 });

    org().store.update(
      'Switchboard_Sync_Error__c',
      [{ Id: String(errorRow(key)?.Id), State__c: 'Ignored' }],
      org().adminUser,
    );
    await runtime.reporter.flush();
    expect(await getRecordHealth(stack.db, ORG, 'salesforce', recordId)).toMatchObject({
      state: 'failing',
      ignoredAt: expect.any(String),
      nextRetryAt: null,
    });
    expect((await updatesOf(recordId))[0]).toMatchObject({
      id: retrying.id,
      state: 'failed',
      attempts: 1,
      lastErrorCode: 'UNABLE_TO_LOCK_ROW',
    });
    const [audit] = await listAudit(stack.db, { contactId, limit: 1 });
    expect(audit).toMatchObject({ action: 'retries-ignored', origin: 'system', recordId });
    expect(audit.rule).toContain('1 write(s) no longer retried');
    expect(runtime.status().health).toMatchObject({ failing: 0, ignored: 1 });
    await runtime.reporter.flush();
    // The refreshed row keeps the admin's state; the org counts it no longer as failing.
    expect(errorRow(key)).toMatchObject({ State__c: 'Ignored', Next_Retry__c: null });
    expect(org().store.get('Switchboard_Sync__c', org().store.idFor('Switchboard_Sync__c', 0))).toMatchObject({
      Failing_Count__c: 0,
    });
    expect(await runtime.writeBack.drainOnce()).toMatchObject({ claimed: 0 });

    // A new edit is tried once; meeting the ignored error again, it is parked at once, not retried.
    lockNextRequest();
    expect((await stack.api('PATCH', `/contacts/${contactId}`, { title: 'Tried once' })).status).toBe(200);
    expect(await runtime.writeBack.drainOnce()).toMatchObject({ claimed: 1, retried: 0, failed: 1 });
    const [again] = await updatesOf(recordId);
    expect(again).toMatchObject({ state: 'failed', attempts: 1, lastErrorCode: 'UNABLE_TO_LOCK_ROW' });
    const [parked] = await listAudit(stack.db, { contactId, limit: 1 });
    expect(parked).toMatchObject({
      action: 'write-back-failed',
      rule: expect.stringContaining('ignored by an admin: not retried'),
    });

    // Retry now sends both parked edits; once written, the error is resolved in the org.
    expect(await runtime.syncRecords([recordId])).toMatchObject({ retried: 2 });
    expect(await runtime.writeBack.drainOnce()).toMatchObject({ written: 1, failed: 0 });
    expect(org().store.get('Contact', recordId)).toMatchObject({ Title: 'Tried once' });
    expect(await getRecordHealth(stack.db, ORG, 'salesforce', recordId)).toBeNull();
    await runtime.reporter.flush();
    expect(errorRow(key)?.State__c).toBe('Resolved');
    runtime.writeBack.start();
  });

  it('asks the org nothing while no record is failing', async () => {
    const runtime = runtimeOf(stack);
    await runtime.reporter.flush();
    expect(runtime.status().health).toMatchObject({ failing: 0 });
    const used = org().apiUsage.used;
    await runtime.reporter.flush();
    expect(org().apiUsage.used).toBe(used);
  });
});
