import { once } from 'node:events';
import pino from 'pino';
import { ChangeSubscriber } from '../../../src/salesforce/pubsub/subscriber';
import type { RawPubSubEvent } from '../../../src/salesforce/pubsub/changeEvent';
import type { OrgSession } from '../../../src/salesforce/session';
import { publishEvent } from '../../../emulator/pubsub/eventBus';
import { CHANGE_EVENT_TOPIC } from '../../../emulator/triggers/changeTrigger';
import { startHarness, type PubSubHarness } from '../../emulator/pubsub-kit';

/**
 * The subscriber keeps the position the server reports in keepalives, but never one past an event it has
 * not applied: driven against the emulator's Pub/Sub server, with the handler held or failing on purpose.
 */

const TOPIC = CHANGE_EVENT_TOPIC;

const change = (label: string): Record<string, unknown> => ({
  Payload__c: JSON.stringify([{ Id: label }]),
  Operation__c: 'update',
  Object_Name__c: 'Contact',
  Record_Count__c: 1,
  Chunk_Sequence__c: 1,
  Chunk_Count__c: 1,
});

/** Gates still closed when a test ends: opened before the subscriber stops, which waits for its apply. */
const gates: Array<() => void> = [];

/** A promise a test resolves or rejects when it chooses. */
function gate(): { promise: Promise<void>; open(): void; fail(err: Error): void } {
  let open = (): void => undefined;
  let fail = (_err: Error): void => undefined;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  gates.push(() => open());
  return { promise, open, fail };
}

interface Run {
  subscriber: ChangeSubscriber;
  /** The position store: what loadReplayId reads, what handle and savePosition write. */
  stored: { value: number | null };
  /** Every position savePosition was given, with the handler's state at that moment. */
  reported: Array<{ replayId: number; duringApply: boolean }>;
  handled: number[];
}

let harness: PubSubHarness;
let run: Run | undefined;

afterEach(async () => {
  for (const open of gates.splice(0)) open();
  await run?.subscriber.stop();
  run = undefined;
  await harness?.close();
});

function subscribe(handle: (event: RawPubSubEvent) => Promise<void>, from: number | null = null): Run {
  const { org, server, certificate } = harness;
  const info = {
    accessToken: org.issueToken(org.integrationUser.userId).accessToken,
    instanceUrl: 'https://localhost',
    organizationId: org.organizationId,
  };
  const session = { current: info, signIn: () => Promise.resolve(info) } as unknown as OrgSession;
  const stored = { value: from };
  const reported: Run['reported'] = [];
  const handled: number[] = [];
  let applying = false;
  const subscriber = new ChangeSubscriber({
    session,
    topic: TOPIC,
    pubSubEndpoint: server.endpoint,
    extraCaPem: certificate.certPem,
    logger: pino({ level: 'silent' }),
    backoff: { initialMs: 10, maxMs: 50 },
    loadReplayId: () => Promise.resolve(stored.value),
    handle: async (event) => {
      applying = true;
      try {
        handled.push(event.replayId);
        await handle(event);
        stored.value = event.replayId;
      } finally {
        applying = false;
      }
    },
    savePosition: (replayId) => {
      reported.push({ replayId, duringApply: applying });
      stored.value = replayId;
      return Promise.resolve();
    },
    onReplayExpired: () => Promise.resolve(),
  });
  run = { subscriber, stored, reported, handled };
  subscriber.start();
  return run;
}

describe('the replay position the server reports', () => {
  test('is kept from the first keepalive, before any event is applied', async () => {
    harness = await startHarness({}, { keepaliveMs: 100 });
    const { subscriber, stored } = subscribe(() => Promise.resolve());
    await once(subscriber, 'live');
    await subscriber.stop();
    // stop() waits for the position to be stored; a restart resumes there (CUSTOM), not at the newest event.
    expect(stored.value).not.toBeNull();
    const missed = publishEvent(harness.org, TOPIC, change('while stopped'));
    const again = subscribe(() => Promise.resolve(), stored.value);
    const [applied] = (await once(again.subscriber, 'applied')) as [RawPubSubEvent];
    expect(applied.replayId).toBe(Number(missed.replay));
  });

  test('is not stored while an event received before it is being applied', async () => {
    harness = await startHarness({}, { keepaliveMs: 100 });
    const held = gate();
    const { subscriber, stored, reported } = subscribe(() => held.promise);
    await once(subscriber, 'live');
    await once(subscriber, 'keepalive');
    const event = publishEvent(harness.org, TOPIC, change('held'));
    // The server has delivered the event, so this keepalive names its replay id (or a later one).
    await once(subscriber, 'keepalive');
    await once(subscriber, 'keepalive');
    expect(reported.filter((r) => r.replayId >= Number(event.replay))).toEqual([]);
    held.open();
    await once(subscriber, 'applied');
    expect(stored.value).toBe(Number(event.replay));
    expect(reported.every((r) => !r.duringApply)).toBe(true);
  });

  test('is dropped when the apply of an earlier event fails, so the event comes again', async () => {
    harness = await startHarness({}, { keepaliveMs: 100 });
    const first = gate();
    let attempts = 0;
    const { subscriber, stored, reported, handled } = subscribe(() =>
      ++attempts === 1 ? first.promise : Promise.resolve(),
    );
    await once(subscriber, 'live');
    await once(subscriber, 'keepalive');
    const before = stored.value;
    expect(before).not.toBeNull();
    const event = publishEvent(harness.org, TOPIC, change('fails once'));
    // Keepalives naming the event's replay id queue up behind its failing apply.
    await once(subscriber, 'keepalive');
    await once(subscriber, 'keepalive');
    first.fail(new Error('the database went away'));
    // Resubscribed from `before`, the event comes again: stored past it, it would never have.
    const [applied] = (await once(subscriber, 'applied')) as [RawPubSubEvent];
    expect(applied.replayId).toBe(Number(event.replay));
    expect(handled).toEqual([Number(event.replay), Number(event.replay)]);
    expect(reported.filter((r) => r.replayId >= Number(event.replay))).toEqual([]);
    expect(stored.value).toBe(Number(event.replay));
  });

  describe('when a keepalive overtakes events the client is still decoding (a slow schema fetch)', () => {
    const SCHEMA_DELAY_MS = 450;

    test('an apply that fails afterwards gets the events again', async () => {
      harness = await startHarness({}, { keepaliveMs: 100, schemaDelayMs: SCHEMA_DELAY_MS });
      let attempts = 0;
      const { subscriber, handled, stored } = subscribe(() =>
        ++attempts === 1 ? Promise.reject(new Error('the database went away')) : Promise.resolve(),
      );
      await once(subscriber, 'live');
      const event = publishEvent(harness.org, TOPIC, change('decoded late'));
      // Sent before this keepalive, which names its replay id, the event is not handed over yet.
      await once(subscriber, 'keepalive');
      expect(handled).toEqual([]);
      const [applied] = (await once(subscriber, 'applied')) as [RawPubSubEvent];
      expect(applied.replayId).toBe(Number(event.replay));
      expect(handled).toEqual([Number(event.replay), Number(event.replay)]);
      expect(stored.value).toBe(Number(event.replay));
    }, 20_000);

    test('a stop before they are applied keeps the position before them', async () => {
      harness = await startHarness({}, { keepaliveMs: 100, schemaDelayMs: SCHEMA_DELAY_MS });
      const { subscriber, stored, handled } = subscribe(() => Promise.resolve());
      await once(subscriber, 'live');
      await once(subscriber, 'keepalive');
      const before = stored.value;
      const event = publishEvent(harness.org, TOPIC, change('stopped while decoding'));
      await once(subscriber, 'keepalive');
      await once(subscriber, 'keepalive');
      expect(handled).toEqual([]);
      await subscriber.stop();
      expect(stored.value).toBe(before);
      const again = subscribe(() => Promise.resolve(), stored.value);
      const [applied] = (await once(again.subscriber, 'applied')) as [RawPubSubEvent];
      expect(applied.replayId).toBe(Number(event.replay));
    }, 20_000);
  });
});
