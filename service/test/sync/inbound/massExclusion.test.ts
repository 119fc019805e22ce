import { eventually, linkedQuietContacts, startStack, type Stack } from '../../support/harness';
import { countLinks } from '../../../src/store/state/links';
import { getRecordHealth } from '../../../src/store/state/recordHealth';
import { listAudit } from '../../../src/store/audit';
import { countContacts } from '../../../src/directory/contacts';

const ORG = 'primary';

/**
 * A mass update that takes the phone numbers out of many records makes the validity rules exclude them,
 * and each exclusion takes a contact out of the directory: the mass-deletion guard holds that like a mass
 * delete. Below its minimum (5) removals go through; from there on they are held and the sync pauses.
 */
describe('mass-deletion guard for exclusions', () => {
  let stack: Stack;
  let ids: string[];
  /** The org's linked records before the mass update (the stack's seeded ones and this test's 20). */
  let base: number;
  const runtime = () => stack.service.orgs[0];
  const linked = async (recordId: string) =>
    Number(
      (
        await stack.db.query<{ n: string }>('SELECT count(*) AS n FROM links WHERE org_id = $1 AND record_id = $2', [
          ORG,
          recordId,
        ])
      ).rows[0].n,
    ) === 1;
  /** One DML, as a data loader or a mass edit does it: one trigger context, one change event. */
  const massUpdate = (recordIds: string[], fields: Record<string, unknown>) => {
    const results = stack.emulator.org.store.update(
      'Contact',
      recordIds.map((Id) => ({ Id, ...fields })),
      stack.emulator.org.adminUser,
    );
    expect(results.every((r) => r.success)).toBe(true);
  };

  beforeAll(async () => {
    stack = await startStack();
    ids = await linkedQuietContacts(stack, { count: 20, firstName: 'Valid', lastName: 'Number', firstPhone: 3000 });
    base = await countLinks(stack.db, ORG);
    expect(base).toBeGreaterThanOrEqual(20);
    // Five removals must be above the 10 % threshold for the guard to trip at the fifth.
    expect((5 * 100) / base).toBeGreaterThan(10);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('holds the removals past the guard and keeps those contacts until the admin resumes', async () => {
    const emptied = ids.slice(0, 8);
    massUpdate(emptied, { Phone: 'ask reception' });
    const status = await eventually(
      () => (runtime().status().paused && runtime().status().held ? runtime().status() : undefined),
      'the guard to hold',
    );
    // 4 removals are below the minimum; the 5th is above the threshold: it and every later one are held.
    expect(status.held?.deletes).toBe(4);
    expect(status.held?.reason).toContain(
      `mass deletion held: 5 of ${base} linked contacts (${((5 * 100) / base).toFixed(1)} %) would be deleted, above the 10 % threshold`,
    );
    const stillLinked = await Promise.all(emptied.map(linked));
    expect(stillLinked).toEqual([false, false, false, false, true, true, true, true]);
    for (const id of emptied)
      expect(await getRecordHealth(stack.db, ORG, 'salesforce', id)).toMatchObject({
        state: 'excluded',
        code: 'EXCLUDED_NO_VALID_PHONE',
      });
    expect((await listAudit(stack.db, { limit: 50 })).filter((e) => e.action === 'deletes-held')).toHaveLength(4);

    // Resuming is the admin's approval: the held removals are applied.
    await runtime().resume();
    expect(await Promise.all(emptied.map(linked))).toEqual(emptied.map(() => false));
    expect(runtime().status()).toMatchObject({ paused: false, held: null });
  });

  it('discarding held removals keeps the contacts in the directory, unlinked from the excluded records', async () => {
    const emptied = ids.slice(8, 10);
    const contacts = await countContacts(stack.db);
    massUpdate(emptied, { Phone: null });
    // The removals just applied are still in the guard's window: these are held at once.
    await eventually(
      () => (runtime().status().held?.deletes === emptied.length ? true : undefined),
      'the guard to hold',
    );
    expect(await runtime().discardHeldDeletes()).toBe(emptied.length);
    await runtime().resume();
    expect(await Promise.all(emptied.map(linked))).toEqual([false, false]);
    expect(await countContacts(stack.db)).toBe(contacts);
  });
});
