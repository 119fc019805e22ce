import {
  eventually,
  linkedQuietContacts,
  quietDelete,
  startStack,
  updateSyncRecord,
  type Stack,
} from '../../support/harness';
import { countContacts } from '../../../src/directory/contacts';
import { listAudit } from '../../../src/store/audit';
import { countLinks } from '../../../src/store/state/links';

const ORG = 'primary';

describe('mass-deletion guard', () => {
  let stack: Stack;
  let ids: string[];
  const runtime = () => stack.service.orgs[0];
  const syncRecord = () =>
    stack.emulator.org.store.get('Switchboard_Sync__c', stack.emulator.org.store.idFor('Switchboard_Sync__c', 0));
  const linked = async (recordIds: string[]) => {
    const { rows } = await stack.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM links WHERE org_id = $1 AND record_id = ANY($2::text[])',
      [ORG, recordIds],
    );
    return Number(rows[0].n);
  };
  /** Deletes as a person would (one DML, so one trigger context and its change events). */
  const uiDelete = (recordIds: string[]) => {
    const results = stack.emulator.org.store.delete('Contact', recordIds, stack.emulator.org.adminUser);
    expect(results.every((r) => r.success)).toBe(true);
  };
  /** The next `percent` % of the org's linked contacts, from the test's own records. */
  const take = async (percent: number) => ids.splice(0, Math.ceil(((await countLinks(stack.db, ORG)) * percent) / 100));

  beforeAll(async () => {
    stack = await startStack();
    ids = await linkedQuietContacts(stack, { count: 30, firstName: 'Bulk', lastName: 'Contact', firstPhone: 1000 });
    expect(await linked(ids)).toBe(30);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('lets a few deletes through however low the threshold: it never trips below 5', async () => {
    await updateSyncRecord(stack, { Mass_Delete_Threshold__c: 1 });
    const few = ids.splice(0, 4);
    expect((few.length * 100) / (await countLinks(stack.db, ORG))).toBeGreaterThan(1);
    uiDelete(few);
    await eventually(async () => (await linked(few)) === 0 || undefined, 'the deletes to apply');
    expect(runtime().status()).toMatchObject({ paused: false, held: null });
    await updateSyncRecord(stack, { Mass_Delete_Threshold__c: 10 });
  });

  it('holds a mass delete from change events and pauses; resuming applies it', async () => {
    const contacts = await countContacts(stack.db);
    const many = await take(30);
    uiDelete(many);
    const status = await eventually(
      () =>
        runtime().status().paused && runtime().status().held?.deletes === many.length ? runtime().status() : undefined,
      'the guard to hold',
    );
    expect(status.held?.reason).toMatch(
      /^mass deletion held: \d+ of \d+ linked contacts \(\d+\.\d %\) would be deleted, above the 10 % threshold/,
    );
    await eventually(() => syncRecord()?.Status__c === 'Paused' || undefined, 'the Paused status in the org');
    expect(String(syncRecord()?.Last_Error__c)).toContain('mass deletion held');
    expect(await linked(many)).toBe(many.length);
    expect(await countContacts(stack.db)).toBe(contacts);
    const [held] = (await listAudit(stack.db, { limit: 20 })).filter((e) => e.action === 'deletes-held');
    expect(held).toMatchObject({ orgId: ORG, origin: 'system', after: { held: many } });

    await runtime().resume();
    expect(await linked(many)).toBe(0);
    expect(await countContacts(stack.db)).toBe(contacts - many.length);
    expect(runtime().status()).toMatchObject({ paused: false, held: null });
  });

  it('holds a mass delete a reconcile finds; discarding keeps every contact and links nothing again', async () => {
    const contacts = await countContacts(stack.db);
    const many = await take(30);
    quietDelete(stack, 'Contact', many);
    const result = await runtime().runReconcileNow();
    expect(result).toMatchObject({ held: many.length, deleted: 0 });
    await eventually(() => runtime().status().paused || undefined, 'the pause');
    expect(runtime().status().held?.deletes).toBe(many.length);
    expect(await linked(many)).toBe(many.length);

    expect(await runtime().discardHeldDeletes()).toBe(many.length);
    expect(runtime().status().held).toBeNull();
    expect(await linked(many)).toBe(0);
    expect(await countContacts(stack.db)).toBe(contacts);
    await runtime().resume();
    expect((await runtime().runReconcileNow()).deleted).toBe(0);
    expect(await countContacts(stack.db)).toBe(contacts);
  });
});
