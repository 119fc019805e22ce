import { eventually, linkedQuietContacts, startStack, updateSyncRecord, type Stack } from '../../support/harness';

const ORG = 'primary';

/** Issue 12 item 10: the held deletes' text counts every held delete, however many runs held them. */
describe('held deletes text', () => {
  let stack: Stack;
  let ids: string[];
  const runtime = () => stack.service.orgs[0];
  const syncRecord = () =>
    stack.emulator.org.store.get('Switchboard_Sync__c', stack.emulator.org.store.idFor('Switchboard_Sync__c', 0));
  const heldRows = async () =>
    Number(
      (await stack.db.query<{ n: string }>('SELECT count(*) AS n FROM held_deletes WHERE org_id = $1', [ORG])).rows[0]
        .n,
    );

  beforeAll(async () => {
    stack = await startStack();
    ids = await linkedQuietContacts(stack, { count: 30, firstName: 'Held', lastName: 'Count', firstPhone: 3000 });
    await updateSyncRecord(stack, { Mass_Delete_Threshold__c: 10 });
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** Deletes as a person would (one DML, so one trigger context and its change events). */
  const uiDelete = (recordIds: string[]) => {
    const results = stack.emulator.org.store.delete('Contact', recordIds, stack.emulator.org.adminUser);
    expect(results.every((r) => r.success)).toBe(true);
  };

  it('a mass deletion held in two runs (5, then 3 more) says 8 in the status and in the org', async () => {
    // Two deletes one right after the other: the second arrives while the first one's pause is under way.
    uiDelete(ids.splice(0, 5));
    uiDelete(ids.splice(0, 3));
    await eventually(() => (runtime().status().paused ? true : undefined), 'the pause');
    await eventually(async () => ((await heldRows()) === 8 ? true : undefined), 'both runs held');
    expect(await heldRows()).toBe(8);
    await eventually(() => (runtime().status().held?.deletes === 8 ? true : undefined), 'the status to count 8');
    const reason = runtime().status().held?.reason ?? '';
    expect(reason).toMatch(/\b8\b/);
    expect(reason).not.toMatch(/\b(5|13) /);
    await eventually(
      () => (/\b8\b/.test(String(syncRecord()?.Last_Error__c)) ? true : undefined),
      `the org's last error to count 8 (is: ${String(syncRecord()?.Last_Error__c)})`,
    );

    expect(await runtime().discardHeldDeletes()).toBe(8);
    expect(runtime().status().held).toBeNull();
  });
});
