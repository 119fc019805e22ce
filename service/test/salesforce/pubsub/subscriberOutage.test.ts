import { once } from 'node:events';
import { Writable } from 'node:stream';
import pino from 'pino';
import { ChangeSubscriber } from '../../../src/salesforce/pubsub/subscriber';
import type { RawPubSubEvent } from '../../../src/salesforce/pubsub/changeEvent';
import type { OrgSession } from '../../../src/salesforce/session';
import { publishEvent } from '../../../emulator/pubsub/eventBus';
import { CHANGE_EVENT_TOPIC } from '../../../emulator/triggers/changeTrigger';
import { startHarness, type PubSubHarness } from '../../emulator/pubsub-kit';
import { eventually } from '../../support/harness';

/**
 * While the database is down, every attempt to resubscribe fails (the stored position cannot be read, an
 * event cannot be applied) and is retried with backoff. The subscriber says so once when the outage begins
 * and once when it ends — not one warning per attempt for as long as it lasts.
 */

class Outage extends Error {
  readonly code = 'database_unavailable';
}

const change = (label: string): Record<string, unknown> => ({
  Payload__c: JSON.stringify([{ Id: label }]),
  Operation__c: 'update',
  Object_Name__c: 'Contact',
  Record_Count__c: 1,
  Chunk_Sequence__c: 1,
  Chunk_Count__c: 1,
});

let harness: PubSubHarness | undefined;
let subscriber: ChangeSubscriber | undefined;

afterEach(async () => {
  await subscriber?.stop();
  subscriber = undefined;
  await harness?.close();
  harness = undefined;
});

function logLines(): { logger: pino.Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

const WARN = 40;
const INFO = 30;

test('a database outage is logged once when it begins and once when it ends, however many attempts fail', async () => {
  harness = await startHarness({}, { keepaliveMs: 100 });
  const { org, server, certificate } = harness;
  const info = {
    accessToken: org.issueToken(org.integrationUser.userId).accessToken,
    instanceUrl: 'https://localhost',
    organizationId: org.organizationId,
  };
  const session = { current: info, signIn: () => Promise.resolve(info) } as unknown as OrgSession;
  const { logger, lines } = logLines();
  const database = { down: false, failedAttempts: 0 };
  const stored = { value: null as number | null };
  const unavailable = () => {
    database.failedAttempts++;
    return Promise.reject(new Outage('database unavailable: connect ECONNREFUSED 127.0.0.1:5432'));
  };
  subscriber = new ChangeSubscriber({
    session,
    topic: CHANGE_EVENT_TOPIC,
    pubSubEndpoint: server.endpoint,
    extraCaPem: certificate.certPem,
    logger,
    backoff: { initialMs: 5, maxMs: 20 },
    isOutage: (err) => err instanceof Outage,
    loadReplayId: () => (database.down ? unavailable() : Promise.resolve(stored.value)),
    handle: (event: RawPubSubEvent) => {
      if (database.down) return unavailable();
      stored.value = event.replayId;
      return Promise.resolve();
    },
    savePosition: (replayId) => {
      if (database.down) return unavailable();
      stored.value = replayId;
      return Promise.resolve();
    },
    onReplayExpired: () => Promise.resolve(),
  });
  subscriber.start();
  await once(subscriber, 'live');
  await eventually(() => stored.value !== null, 'a stored position');

  // The database goes: the next event cannot be applied, and every resubscription after it fails.
  database.down = true;
  publishEvent(org, CHANGE_EVENT_TOPIC, change('during the outage'));
  await eventually(() => database.failedAttempts >= 8, 'eight failed attempts');
  database.down = false;
  const [applied] = (await once(subscriber, 'applied')) as [RawPubSubEvent];
  expect(applied.replayId).toBe(stored.value);

  const outageLines = lines.filter((l) => l.level >= WARN);
  expect(outageLines.map((l) => l.msg)).toEqual([
    'database unavailable: the Pub/Sub subscription waits for it and resumes from the stored position',
  ]);
  expect(lines.filter((l) => l.level === INFO && l.msg.startsWith('database available again')).length).toBe(1);
});

test('other failures still warn at each attempt', async () => {
  harness = await startHarness({}, { keepaliveMs: 100 });
  const { org, server, certificate } = harness;
  const info = {
    accessToken: org.issueToken(org.integrationUser.userId).accessToken,
    instanceUrl: 'https://localhost',
    organizationId: org.organizationId,
  };
  const session = { current: info, signIn: () => Promise.resolve(info) } as unknown as OrgSession;
  const { logger, lines } = logLines();
  let failures = 0;
  subscriber = new ChangeSubscriber({
    session,
    topic: CHANGE_EVENT_TOPIC,
    pubSubEndpoint: server.endpoint,
    extraCaPem: certificate.certPem,
    logger,
    backoff: { initialMs: 5, maxMs: 20 },
    isOutage: (err) => err instanceof Outage,
    loadReplayId: () => (++failures <= 3 ? Promise.reject(new Error('disk full')) : Promise.resolve(null)),
    handle: () => Promise.resolve(),
    onReplayExpired: () => Promise.resolve(),
  });
  subscriber.start();
  await once(subscriber, 'live');
  expect(lines.filter((l) => l.level === WARN && l.msg === 'Pub/Sub subscription interrupted').length).toBe(3);
});
