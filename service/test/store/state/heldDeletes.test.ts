import { heldSummary, holdDeletes, takeHeldDeletes, type HeldDelete } from '../../../src/store/state/heldDeletes';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import { ORG_ID, seedOrg } from '../../support/fixtures';

function held(recordId: string, overrides: Partial<HeldDelete> = {}): HeldDelete {
  return {
    recordId,
    sobject: 'Contact',
    cause: 'deleted',
    origin: 'reconcile',
    reason: 'mass deletion held',
    ...overrides,
  };
}

describeEachBackend('held deletes', (getDb) => {
  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
    await seedOrg(getDb(), 'org-2');
  });

  it("holds deletes per org, keeping a record's first entry, and sums them up with the newest reason", async () => {
    expect(await heldSummary(getDb(), ORG_ID)).toBeNull();
    await holdDeletes(getDb(), ORG_ID, []);
    await holdDeletes(getDb(), ORG_ID, [held('003A'), held('00QB', { sobject: 'Lead', cause: 'out-of-scope' })]);
    await holdDeletes(getDb(), ORG_ID, [
      held('003A', { reason: 'again' }),
      held('003C', { origin: 'event', reason: 'newest' }),
    ]);
    await holdDeletes(getDb(), 'org-2', [held('003A', { reason: 'other org' })]);

    expect(await heldSummary(getDb(), ORG_ID)).toEqual({ deletes: 3, reason: 'newest' });
    expect(await heldSummary(getDb(), 'org-2')).toEqual({ deletes: 1, reason: 'other org' });
  });

  it('takes the oldest held deletes, at most the limit, and removes what it took', async () => {
    await holdDeletes(getDb(), ORG_ID, [held('003B'), held('003A')]);
    await holdDeletes(getDb(), ORG_ID, [held('00QC', { sobject: 'Lead', origin: 'event', reason: 'later' })]);

    // The oldest are taken; in what order they come back is up to the database.
    const first = await takeHeldDeletes(getDb(), ORG_ID, 2);
    expect(first.sort((a, b) => a.recordId.localeCompare(b.recordId))).toEqual([held('003A'), held('003B')]);
    expect(await takeHeldDeletes(getDb(), ORG_ID, 2)).toEqual([
      held('00QC', { sobject: 'Lead', origin: 'event', reason: 'later' }),
    ]);
    expect(await takeHeldDeletes(getDb(), ORG_ID, 2)).toEqual([]);
    expect(await heldSummary(getDb(), ORG_ID)).toBeNull();
  });
});
