import { EmulatedOrg } from '../../emulator/org/org';
import { EMPTY_SEED } from '../../emulator/org/seed';
import { EventPayloadError } from '../../emulator/pubsub/avro';
import { decodeStoredEvent, eventBusOf, publishEvent, publishEvents } from '../../emulator/pubsub/eventBus';
import { EventLog, ReplayIdError } from '../../emulator/pubsub/eventLog';
import { decodeReplayId, encodeReplayId } from '../../emulator/pubsub/replayId';

const TOPIC = '/event/Switchboard_Change__e';
const produced = (n: number) => Array.from({ length: n }, (_, i) => ({ schemaId: 's', payload: Buffer.from([i]) }));

function log(clock = { now: 1_000_000 }, retentionMs = 72 * 3600 * 1000): EventLog {
  return new EventLog({ topics: ['/event/A__e', '/event/B__e'], retentionMs, clock: () => clock.now });
}

describe('EventLog', () => {
  test('replay ids increase, are 8-byte big-endian, and skip a value between publish calls', () => {
    const bus = log();
    const first = bus.append('/event/A__e', produced(2));
    const second = bus.append('/event/A__e', produced(1));
    const replays = [...first, ...second].map((e) => e.replay);
    expect(replays[1]).toBe(replays[0] + 1n);
    expect(replays[2]).toBeGreaterThan(replays[1] + 1n);
    for (const stored of [...first, ...second]) {
      expect(stored.replayId).toHaveLength(8);
      expect(decodeReplayId(stored.replayId)).toBe(stored.replay);
      expect(stored.event.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set([...first, ...second].map((e) => e.event.id)).size).toBe(3);
    expect(bus.latest('/event/A__e')).toBe(replays[2]);
  });

  test('topics keep separate logs', () => {
    const bus = log();
    bus.append('/event/A__e', produced(2));
    const [b] = bus.append('/event/B__e', produced(1));
    expect(bus.retained('/event/A__e')).toHaveLength(2);
    expect(bus.readAfter('/event/B__e', 0n, 10)).toEqual([b]);
    expect(() => bus.append('/event/Nope__e', produced(1))).toThrow('unknown topic /event/Nope__e');
  });

  test('start positions: LATEST after the tip, EARLIEST before the first retained, CUSTOM after the given id', () => {
    const bus = log();
    const baseline = bus.latest('/event/A__e');
    // Before anything was published, the baseline is a valid CUSTOM start point.
    expect(bus.startPosition('/event/A__e', { preset: 'CUSTOM', replayId: encodeReplayId(baseline) })).toBe(baseline);
    const events = bus.append('/event/A__e', produced(3));
    expect(bus.readAfter('/event/A__e', bus.startPosition('/event/A__e', { preset: 'LATEST' }), 10)).toEqual([]);
    expect(bus.readAfter('/event/A__e', bus.startPosition('/event/A__e', { preset: 'EARLIEST' }), 10)).toEqual(events);
    const custom = bus.startPosition('/event/A__e', { preset: 'CUSTOM', replayId: events[0].replayId });
    expect(bus.readAfter('/event/A__e', custom, 10)).toEqual(events.slice(1));
    expect(bus.readAfter('/event/A__e', custom, 1)).toEqual(events.slice(1, 2));
  });

  test('CUSTOM start points are refused when missing, malformed, unknown or expired', () => {
    const clock = { now: 1_000_000 };
    const bus = log(clock, 10_000);
    const baseline = bus.latest('/event/A__e');
    const [old] = bus.append('/event/A__e', produced(1));
    clock.now += 5_000;
    const [recent] = bus.append('/event/A__e', produced(1));
    const reason = (replayId: Uint8Array | undefined): string | undefined => {
      try {
        bus.startPosition('/event/A__e', { preset: 'CUSTOM', replayId });
        return undefined;
      } catch (err) {
        return err instanceof ReplayIdError ? err.reason : 'other';
      }
    };
    expect(reason(undefined)).toBe('validation-failed');
    expect(reason(Buffer.alloc(0))).toBe('validation-failed');
    expect(reason(Buffer.from('garbage'))).toBe('corrupted');
    expect(reason(encodeReplayId(recent.replay + 100n))).toBe('corrupted');
    expect(reason(old.replayId)).toBeUndefined();

    clock.now += 6_000; // `old` is now past retention, `recent` is not
    expect(reason(old.replayId)).toBe('corrupted');
    expect(reason(encodeReplayId(baseline))).toBe('corrupted');
    expect(reason(recent.replayId)).toBeUndefined();
    expect(bus.retained('/event/A__e')).toEqual([recent]);
    expect(bus.readAfter('/event/A__e', bus.startPosition('/event/A__e', { preset: 'EARLIEST' }), 10)).toEqual([
      recent,
    ]);
  });

  test('expireThrough ages events artificially', () => {
    const bus = log();
    const events = bus.append('/event/A__e', produced(3));
    expect(bus.expireThrough('/event/A__e', events[1].replay)).toBe(2);
    expect(bus.retained('/event/A__e')).toEqual([events[2]]);
    expect(() => bus.startPosition('/event/A__e', { preset: 'CUSTOM', replayId: events[0].replayId })).toThrow(
      ReplayIdError,
    );
  });

  test('onAppend tells listeners of new events until they stop listening', () => {
    const bus = log();
    const seen: bigint[] = [];
    const stop = bus.onAppend('/event/A__e', (events) => seen.push(...events.map((e) => e.replay)));
    const [a] = bus.append('/event/A__e', produced(1));
    bus.append('/event/B__e', produced(1));
    stop();
    bus.append('/event/A__e', produced(1));
    expect(seen).toEqual([a.replay]);
  });
});

describe('eventBusOf and publishEvent', () => {
  const org = new EmulatedOrg({ seed: EMPTY_SEED });

  test('one bus per org', () => {
    expect(eventBusOf(org)).toBe(eventBusOf(org));
    expect(eventBusOf(new EmulatedOrg({ seed: EMPTY_SEED, orgNumber: 2 }))).not.toBe(eventBusOf(org));
  });

  test('publishEvent encodes plain values with the Avro schema and standard fields', () => {
    const stored = publishEvent(
      org,
      TOPIC,
      { Payload__c: '[]', Operation__c: 'create', Record_Count__c: 0 },
      { createdById: 'user-x' },
    );
    const decoded = decodeStoredEvent(stored);
    expect(decoded).toEqual({
      CreatedDate: expect.any(Number),
      CreatedById: 'user-x',
      Payload__c: '[]',
      Operation__c: 'create',
      Record_Count__c: 0,
      Object_Name__c: null,
      Chunk_Count__c: null,
      Chunk_Sequence__c: null,
      Sync_Id__c: null,
    });
    expect(eventBusOf(org).retained(TOPIC).at(-1)).toBe(stored);
  });

  test('bad values are refused with the event and the field named, and nothing is published', () => {
    const before = eventBusOf(org).retained(TOPIC).length;
    expect(() => publishEvent(org, TOPIC, { Record_Count__c: 'three' })).toThrow(
      'Switchboard_Change__e field Record_Count__c: expected a finite number, got string "three"',
    );
    expect(() => publishEvent(org, TOPIC, { Nope__c: 'x' })).toThrow(EventPayloadError);
    expect(() => publishEvents(org, TOPIC, [{ Payload__c: 'ok' }, { Payload__c: 42 }])).toThrow(
      /^event 2 of 2: .*Payload__c/,
    );
    expect(() => publishEvent(org, '/event/Nope__e', {})).toThrow('unknown platform event topic /event/Nope__e');
    expect(eventBusOf(org).retained(TOPIC)).toHaveLength(before);
  });

  test('the bus keeps events for the org retention period', () => {
    const shortOrg = new EmulatedOrg({ seed: EMPTY_SEED, retentionHours: 1 });
    const bus = eventBusOf(shortOrg);
    let now = Date.now();
    bus.setClock(() => now);
    publishEvent(shortOrg, TOPIC, { Payload__c: 'a' });
    now += 3600 * 1000 + 1;
    expect(bus.retained(TOPIC)).toHaveLength(0);
  });
});
