import {
  eventually,
  flushEvents,
  linkedContact,
  runtimeOf,
  startStack,
  uiUpdate,
  waitSubscribed,
  type Stack,
} from '../support/harness';
import { findLinkByRecord } from '../../src/store/state/links';
import { getReplayId } from '../../src/store/state/checkpoints';
import { replayIdFromBytes } from '../../src/salesforce/pubsub/replayId';
import { eventBusOf } from '../../emulator/pubsub/eventBus';

const ORG = 'primary';
const TOPIC = '/event/Switchboard_Change__e';
const SEED = { contacts: 40, leads: 2, businessAccounts: 2, personAccounts: 2, users: 3 };

/**
 * Seeded Contacts the initial sync linked as the primary record of their directory contact, so an edit of
 * one shows on that contact (a secondary never writes into its primary's fields).
 */
async function primaryContacts(stack: Stack, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < SEED.contacts && ids.length < count; i++) {
    const id = stack.emulator.org.store.idFor('Contact', i);
    if ((await findLinkByRecord(stack.db, ORG, id))?.role === 'primary') ids.push(id);
  }
  if (ids.length < count) throw new Error(`only ${ids.length} seeded Contacts are linked as primary`);
  return ids;
}

/** Right after the initial sync: done, both subscriptions confirmed by the server, no event applied yet. */
async function freshlySynced(): Promise<Stack> {
  const stack = await startStack({ emulator: { seed: SEED }, initialSync: true });
  expect(await runtimeOf(stack).initialSyncSettled()).toMatchObject({ state: 'done' });
  await waitSubscribed(stack);
  expect(runtimeOf(stack).status().eventsApplied).toBe(0);
  return stack;
}

describe('a cold restart before the first applied event', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await freshlySynced();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('resumes from the position the server reported, so every change made while down arrives without a reconcile', async () => {
    const ids = await primaryContacts(stack, 20);
    await stack.stopService();
    // Where the server last said the stream stood (a keepalive), before any change made while down.
    const stored = await getReplayId(stack.db, ORG, TOPIC);
    const tipBeforeEdits = Number(eventBusOf(stack.emulator.org).latest(TOPIC));

    ids.forEach((id, i) => uiUpdate(stack, 'Contact', id, { Title: `Edited while down ${i}` }));
    await stack.startServiceAgain();
    await flushEvents(stack);

    const titles = await Promise.all(ids.map(async (id) => (await linkedContact(stack, id))?.title));
    const arrived = titles.filter((title, i) => title === `Edited while down ${i}`).length;
    expect(`${arrived} of ${ids.length} arrived`).toBe(`${ids.length} of ${ids.length} arrived`);
    expect(runtimeOf(stack).status().reconcile.lastRunAt).toBeNull();
    expect(stored && replayIdFromBytes(stored)).toBeLessThanOrEqual(tipBeforeEdits);
  });
});

describe('a pause right after the initial sync', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await freshlySynced();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('applies on resume the change made during the pause, and keeps it on both sides', async () => {
    const [id] = await primaryContacts(stack, 1);
    const runtime = runtimeOf(stack);
    await runtime.pause();
    uiUpdate(stack, 'Contact', id, { Title: 'Edited during the pause' });
    await runtime.resume();
    await eventually(() => runtime.subscriber.live, 'the resumed subscription to be live');
    await flushEvents(stack);
    const contact = await linkedContact(stack, id);
    const afterResume = contact?.title;

    // A phone-side edit of another field is written back; then the reconcile compares both sides. Neither
    // may write the directory's old value over the edit.
    expect((await stack.api('PATCH', `/contacts/${contact!.id}`, { firstName: 'Phoned' })).status).toBe(200);
    await eventually(
      () => stack.emulator.org.store.get('Contact', id)?.FirstName === 'Phoned' || undefined,
      'the phone-side edit written back',
    );
    await runtime.runReconcileNow();
    await runtime.writeBack.idle();
    expect({
      directoryAfterResume: afterResume,
      directoryAfterReconcile: (await linkedContact(stack, id))?.title,
      salesforceAfterReconcile: stack.emulator.org.store.get('Contact', id)?.Title,
    }).toEqual({
      directoryAfterResume: 'Edited during the pause',
      directoryAfterReconcile: 'Edited during the pause',
      salesforceAfterReconcile: 'Edited during the pause',
    });
  });
});
