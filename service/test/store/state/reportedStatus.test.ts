import { clearRecordHealth, setRecordHealth } from '../../../src/store/state/recordHealth';
import {
  clearedErrors,
  forgetSentErrors,
  ignorableErrors,
  markErrorsSent,
  pendingErrors,
} from '../../../src/store/state/reportedStatus';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import { ORG_ID, seedOrg } from '../../support/fixtures';

const SYNC = 'a0A000000000001AAA';
const ids = ['003000000000001AAA', '003000000000002AAA', '003000000000003AAA'];

describeEachBackend('what the status reporter told the org', (getDb) => {
  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
    for (const id of ids) {
      await setRecordHealth(getDb(), {
        orgId: ORG_ID,
        side: 'salesforce',
        key: id,
        recordId: id,
        state: 'failing',
        code: 'UNABLE_TO_LOCK_ROW',
        reason: 'locked',
        attempts: 1,
      });
    }
  });

  const markAll = async () => {
    const pending = await pendingErrors(getDb(), ORG_ID, SYNC, 100);
    await markErrorsSent(
      getDb(),
      ORG_ID,
      pending.map(({ health }) => ({
        side: health.side,
        key: health.key,
        errorKey: `${health.key}|Salesforce|${health.code}`,
        syncId: SYNC,
        hash: 'h1',
        healthUpdatedAt: health.updatedAt,
      })),
    );
  };

  it('marks a flush’s entries in one go: nothing is pending after, until an entry changes or another sync asks', async () => {
    expect(await pendingErrors(getDb(), ORG_ID, SYNC, 100)).toHaveLength(3);
    await markAll();
    expect(await pendingErrors(getDb(), ORG_ID, SYNC, 100)).toEqual([]);
    expect((await ignorableErrors(getDb(), ORG_ID, SYNC)).map((e) => e.errorKey).sort()).toEqual(
      ids.map((id) => `${id}|Salesforce|UNABLE_TO_LOCK_ROW`),
    );
    expect(await pendingErrors(getDb(), ORG_ID, 'a0A000000000002AAA', 100)).toHaveLength(3);

    await new Promise((r) => setTimeout(r, 5));
    await setRecordHealth(getDb(), {
      orgId: ORG_ID,
      side: 'salesforce',
      key: ids[0],
      recordId: ids[0],
      state: 'failing',
      code: 'UNABLE_TO_LOCK_ROW',
      reason: 'locked',
      attempts: 2,
    });
    const again = await pendingErrors(getDb(), ORG_ID, SYNC, 100);
    expect(again.map((p) => [p.health.key, p.sentKey, p.sentHash])).toEqual([
      [ids[0], `${ids[0]}|Salesforce|UNABLE_TO_LOCK_ROW`, 'h1'],
    ]);
  });

  it('forgets resolved entries in one go, and only those', async () => {
    await markAll();
    await clearRecordHealth(getDb(), ORG_ID, 'salesforce', ids[0]);
    await clearRecordHealth(getDb(), ORG_ID, 'salesforce', ids[1]);
    const cleared = await clearedErrors(getDb(), ORG_ID, 100);
    expect(cleared.map((c) => c.key).sort()).toEqual([ids[0], ids[1]]);
    await forgetSentErrors(getDb(), ORG_ID, cleared);
    expect(await clearedErrors(getDb(), ORG_ID, 100)).toEqual([]);
    expect((await ignorableErrors(getDb(), ORG_ID, SYNC)).map((e) => e.key)).toEqual([ids[2]]);
    await markErrorsSent(getDb(), ORG_ID, []);
    await forgetSentErrors(getDb(), ORG_ID, []);
  });
});
