import {
  eventually,
  linkedContact,
  runtimeOf,
  startStack,
  uiUpdate,
  waitSubscribed,
  type Stack,
} from '../support/harness';
import { findLinkByRecord } from '../../src/store/state/links';
import { clearReplayId, getReplayId } from '../../src/store/state/checkpoints';

const ORG = 'primary';
const TOPIC = '/event/Switchboard_Change__e';
const SEED = { contacts: 20, leads: 2, businessAccounts: 2, personAccounts: 2, users: 3 };

/**
 * The replay position is stored from the first keepalive on (up to 270 s on the platform). A service
 * killed after its initial sync and before that has no position: started again, it subscribes from the
 * newest event, and changes made meanwhile come by no event. It must reconcile at start, then, so they are
 * not left to the hourly schedule.
 */
describe('a start after the initial sync with no stored replay position', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ emulator: { seed: SEED }, initialSync: true });
    expect(await runtimeOf(stack).initialSyncSettled()).toMatchObject({ state: 'done' });
    await waitSubscribed(stack);
    // An initial sync stack on a busy machine: generous, as waiting on a condition is not timing.
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  // (With a position stored, a restart does not reconcile: test/sync/replayPosition.test.ts.)
  it('reconciles once the subscription is live, so every change made while down arrives', async () => {
    const ids: string[] = [];
    for (let i = 0; i < SEED.contacts && ids.length < 5; i++) {
      const id = stack.emulator.org.store.idFor('Contact', i);
      if ((await findLinkByRecord(stack.db, ORG, id))?.role === 'primary') ids.push(id);
    }
    expect(ids).toHaveLength(5);
    await stack.stopService();
    // Killed before the first keepalive: nothing stored.
    await clearReplayId(stack.db, ORG, TOPIC);
    expect(await getReplayId(stack.db, ORG, TOPIC)).toBeNull();

    ids.forEach((id, i) => uiUpdate(stack, 'Contact', id, { Title: `Edited while down ${i}` }));
    await stack.startServiceAgain();

    const titles = await eventually(
      async () => {
        const now = await Promise.all(ids.map(async (id) => (await linkedContact(stack, id))?.title));
        return now.every((title, i) => title === `Edited while down ${i}`) && now;
      },
      'every edit made while down',
      60_000,
    );
    expect(titles).toHaveLength(5);
    // They came by the reconcile (the subscription started at the newest event): it ends after applying them.
    await eventually(() => runtimeOf(stack).status().reconcile.lastRunAt !== null, 'the reconcile at start', 60_000);
  }, 240_000);
});
