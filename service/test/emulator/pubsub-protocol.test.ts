import * as grpc from '@grpc/grpc-js';
import { eventBusOf, publishEvents } from '../../emulator/pubsub/eventBus';
import { eventSchemaForTopic } from '../../emulator/pubsub/eventSchemas';
import { PUBSUB_ERROR_CODES } from '../../emulator/pubsub/grpcErrors';
import type { FetchRequestMessage, FetchResponseMessage, PublishResponseMessage } from '../../emulator/pubsub/proto';
import { decodeReplayId, encodeReplayId } from '../../emulator/pubsub/replayId';
import { CHANGE_EVENT_TOPIC } from '../../emulator/triggers/changeTrigger';
import {
  authMetadata,
  rawClient,
  startHarness,
  StreamRecorder,
  unaryCall,
  type PubSubHarness,
  type RawPubSubClient,
} from './pubsub-kit';

/** Protocol details checked with a plain grpc-js client on the official proto. */

const TOPIC = CHANGE_EVENT_TOPIC;
const schema = eventSchemaForTopic(TOPIC)!;

const fields = (label: string): Record<string, unknown> => ({
  Payload__c: label,
  Operation__c: 'create',
  Object_Name__c: 'Lead',
});

let harness: PubSubHarness;
let client: RawPubSubClient;

async function open(serverOptions: Parameters<typeof startHarness>[1] = {}): Promise<void> {
  harness = await startHarness({}, serverOptions);
  client = rawClient(harness);
}

afterEach(async () => {
  client?.close();
  await harness?.close();
});

function subscribe(): StreamRecorder<Partial<FetchRequestMessage>, FetchResponseMessage> {
  return new StreamRecorder(client.Subscribe(authMetadata(harness)));
}

const eventCount = (recorder: StreamRecorder<Partial<FetchRequestMessage>, FetchResponseMessage>): number =>
  recorder.responses.reduce((sum, response) => sum + response.events.length, 0);

const errorCodeOf = (status: grpc.StatusObject | grpc.ServiceError): unknown => status.metadata?.get('error-code')[0];

describe('GetTopic and GetSchema', () => {
  test('describe the package event with the org as tenant', async () => {
    await open();
    const topic = await getTopic(TOPIC);
    expect(topic).toMatchObject({
      topicName: TOPIC,
      tenantGuid: harness.org.organizationId,
      canPublish: true,
      canSubscribe: true,
      schemaId: schema.schemaId,
    });
    const info = await unaryCall<{ schemaJson: string; schemaId: string }>((cb) =>
      client.GetSchema({ schemaId: topic.schemaId }, authMetadata(harness), cb),
    );
    expect(JSON.parse(info.schemaJson)).toEqual(schema.schema);
    expect(info.schemaId).toBe(schema.schemaId);
  });

  test('unknown topics and schemas are NOT_FOUND', async () => {
    await open();
    const topicError = await getTopic('/event/Nope__e').catch((err: grpc.ServiceError) => err);
    expect(topicError).toMatchObject({ code: grpc.status.NOT_FOUND });
    expect(errorCodeOf(topicError as grpc.ServiceError)).toBe(PUBSUB_ERROR_CODES.topicNotFound);
    await expect(
      unaryCall((cb) => client.GetSchema({ schemaId: 'nope' }, authMetadata(harness), cb)),
    ).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  test('authentication headers are required and checked on every call', async () => {
    await open();
    const cases: Array<[Record<string, string>, string]> = [
      [{ accesstoken: '' }, PUBSUB_ERROR_CODES.authHeadersInvalid],
      [{ tenantid: '' }, PUBSUB_ERROR_CODES.authHeadersInvalid],
      [{ tenantid: '00D000000000001' }, PUBSUB_ERROR_CODES.authError],
      [{ accesstoken: 'expired-or-made-up' }, PUBSUB_ERROR_CODES.authError],
    ];
    for (const [overrides, errorCode] of cases) {
      const err = (await getTopic(TOPIC, overrides).catch((e: grpc.ServiceError) => e)) as grpc.ServiceError;
      expect(err.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(errorCodeOf(err)).toBe(errorCode);
    }
    // The 15-character org id is accepted too.
    await expect(getTopic(TOPIC, { tenantid: harness.org.organizationId.slice(0, 15) })).resolves.toMatchObject({
      topicName: TOPIC,
    });

    const recorder = new StreamRecorder(client.Subscribe(authMetadata(harness, { accesstoken: 'nope' })));
    recorder.call.write({ topicName: TOPIC, numRequested: 1 });
    const status = await recorder.waitForStatus();
    expect(status.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(errorCodeOf(status)).toBe(PUBSUB_ERROR_CODES.authError);
  });
});

function getTopic(
  topicName: string,
  overrides: Record<string, string> = {},
): Promise<{ topicName: string; schemaId: string }> {
  return unaryCall((cb) => client.GetTopic({ topicName }, authMetadata(harness, overrides), cb));
}

describe('Subscribe', () => {
  test('CUSTOM replay ids: missing, malformed and unknown ones fail with the documented codes', async () => {
    await open();
    const [event] = publishEvents(harness.org, TOPIC, [fields('a')]);
    const cases: Array<[Buffer, string]> = [
      [Buffer.alloc(0), PUBSUB_ERROR_CODES.replayIdValidationFailed],
      [Buffer.from([1, 2, 3]), PUBSUB_ERROR_CODES.replayIdCorrupted],
      // Replay ids are not contiguous: the id after an event's is no event's.
      [encodeReplayId(event.replay + 1n), PUBSUB_ERROR_CODES.replayIdCorrupted],
    ];
    for (const [replayId, errorCode] of cases) {
      const recorder = subscribe();
      recorder.call.write({ topicName: TOPIC, replayPreset: 'CUSTOM', replayId, numRequested: 1 });
      const status = await recorder.waitForStatus();
      expect(status.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(errorCodeOf(status)).toBe(errorCode);
    }
  });

  test('an unknown topic ends the call with NOT_FOUND', async () => {
    await open();
    const recorder = subscribe();
    recorder.call.write({ topicName: '/event/Missing__e', numRequested: 1 });
    const status = await recorder.waitForStatus();
    expect(status.code).toBe(grpc.status.NOT_FOUND);
    expect(errorCodeOf(status)).toBe(PUBSUB_ERROR_CODES.topicNotFound);
  });

  test('num_requested adds up across requests, is capped at 100 per request, and pending is reported', async () => {
    await open();
    publishEvents(
      harness.org,
      TOPIC,
      Array.from({ length: 150 }, (_, i) => fields(`e${i}`)),
    );
    const recorder = subscribe();
    recorder.call.write({ topicName: TOPIC, replayPreset: 'EARLIEST', numRequested: 3 });
    recorder.call.write({ numRequested: 4 });
    await recorder.waitUntil(() => eventCount(recorder) === 7, '7 events');
    expect(recorder.responses.at(-1)!.pendingNumRequested).toBe(0);

    recorder.call.write({ numRequested: 500 });
    await recorder.waitUntil(() => eventCount(recorder) === 107, '107 events');
    const last = recorder.responses.at(-1)!;
    expect(last.pendingNumRequested).toBe(0);
    expect(decodeReplayId(last.latestReplayId)).toBe(last.events.at(-1)!.replayId.readBigUInt64BE());
    const payloads = recorder.responses.flatMap((r) =>
      r.events.map((e) => schema.type.fromBuffer(e.event.payload) as { Payload__c: { string: string } }),
    );
    expect(payloads.map((p) => p.Payload__c.string)).toEqual(Array.from({ length: 107 }, (_, i) => `e${i}`));
  });

  test('events published later are delivered while requests are pending', async () => {
    await open();
    const recorder = subscribe();
    recorder.call.write({ topicName: TOPIC, numRequested: 5 });
    // The first keepalive shows the subscription is in place.
    await recorder.waitUntil(() => recorder.responses.length > 0, 'a keepalive');
    publishEvents(harness.org, TOPIC, [fields('x'), fields('y')]);
    await recorder.waitUntil(() => eventCount(recorder) === 2, '2 events');
    const withEvents = recorder.responses.filter((r) => r.events.length > 0);
    expect(withEvents.at(-1)!.pendingNumRequested).toBe(3);
  });

  test('keepalives carry the tip when caught up, and the last delivered id while events wait', async () => {
    await open();
    const [first, second] = publishEvents(harness.org, TOPIC, [fields('a'), fields('b')]);
    const recorder = subscribe();
    recorder.call.write({ topicName: TOPIC, replayPreset: 'EARLIEST', numRequested: 1 });
    await recorder.waitUntil(() => recorder.responses.some((r) => r.events.length === 0), 'a keepalive');
    const keepalive = recorder.responses.find((r) => r.events.length === 0)!;
    expect(decodeReplayId(keepalive.latestReplayId)).toBe(first.replay);

    recorder.call.write({ numRequested: 10 });
    await recorder.waitUntil(() => eventCount(recorder) === 2, 'the second event');
    const seen = recorder.responses.length;
    await recorder.waitUntil(() => recorder.responses.length > seen, 'another keepalive');
    expect(decodeReplayId(recorder.responses.at(-1)!.latestReplayId)).toBe(second.replay);
  });

  test('a later request naming another topic fails with topic mismatch', async () => {
    await open();
    const recorder = subscribe();
    recorder.call.write({ topicName: TOPIC, numRequested: 1 });
    recorder.call.write({ topicName: '/event/Other__e', numRequested: 1 });
    const status = await recorder.waitForStatus();
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(errorCodeOf(status)).toBe(PUBSUB_ERROR_CODES.topicMismatch);
  });

  test('with nothing requested the call ends after the idle timeout; keepalives do not keep it open', async () => {
    await open({ idleTimeoutMs: 400, keepaliveMs: 100 });
    publishEvents(harness.org, TOPIC, [fields('a')]);
    const recorder = subscribe();
    recorder.call.write({ topicName: TOPIC, replayPreset: 'EARLIEST', numRequested: 1 });
    const status = await recorder.waitForStatus();
    expect(status.code).toBe(grpc.status.OK);
    expect(eventCount(recorder)).toBe(1);
  });

  test('dropping the streams fails subscriptions and publish streams with UNAVAILABLE', async () => {
    await open();
    const subscription = subscribe();
    subscription.call.write({ topicName: TOPIC, numRequested: 1 });
    const publishing = new StreamRecorder(client.PublishStream(authMetadata(harness)));
    // A publish answered proves the publish stream is open on the server.
    publishing.call.write({ topicName: TOPIC, authRefresh: '', events: [] });
    await publishing.waitUntil(() => publishing.responses.length > 0, 'a publish response');
    await subscription.waitUntil(() => subscription.responses.length > 0, 'a keepalive');
    harness.org.dropPubSubStreams();
    for (const recorder of [subscription, publishing]) {
      const status = await recorder.waitForStatus();
      expect(status.code).toBe(grpc.status.UNAVAILABLE);
      expect(errorCodeOf(status)).toBe(PUBSUB_ERROR_CODES.unavailable);
    }
  });

  test('closing the server ends open subscriptions cleanly', async () => {
    await open();
    const recorder = subscribe();
    recorder.call.write({ topicName: TOPIC, numRequested: 1 });
    await recorder.waitUntil(() => recorder.responses.length > 0, 'a keepalive');
    await harness.server.close();
    expect((await recorder.waitForStatus()).code).toBe(grpc.status.OK);
  });
});

describe('Publish and PublishStream', () => {
  const encoded = (label: string): Buffer =>
    schema.type.toBuffer({
      CreatedDate: Date.now(),
      CreatedById: 'x',
      Chunk_Count__c: null,
      Chunk_Sequence__c: null,
      Object_Name__c: null,
      Operation__c: null,
      Payload__c: { string: label },
      Record_Count__c: null,
      Sync_Id__c: null,
    });

  test('each event gets a result: replay id for valid ones, an error naming the problem otherwise', async () => {
    await open();
    const response = await unaryCall<PublishResponseMessage>((cb) =>
      client.Publish(
        {
          topicName: TOPIC,
          authRefresh: '',
          events: [
            { id: 'ok-1', schemaId: schema.schemaId, payload: encoded('one') },
            { id: 'bad-schema', schemaId: 'other', payload: encoded('two') },
            { id: 'bad-payload', schemaId: schema.schemaId, payload: Buffer.from([0xff, 0x01]) },
            { id: 'ok-2', schemaId: schema.schemaId, payload: encoded('three') },
          ],
        },
        authMetadata(harness),
        cb,
      ),
    );
    expect(response.schemaId).toBe(schema.schemaId);
    expect(response.results.map((r) => r.correlationKey)).toEqual(['ok-1', 'bad-schema', 'bad-payload', 'ok-2']);
    const retained = eventBusOf(harness.org).retained(TOPIC);
    expect(retained).toHaveLength(2);
    expect(decodeReplayId(response.results[0].replayId)).toBe(retained[0].replay);
    expect(decodeReplayId(response.results[3].replayId)).toBe(retained[1].replay);
    expect(response.results[1].error).toMatchObject({ code: 'PUBLISH', msg: expect.stringContaining('bad-schema') });
    expect(response.results[2].error).toMatchObject({ code: 'PUBLISH', msg: expect.stringContaining('bad-payload') });
  });

  test('more than 200 events in one request is refused', async () => {
    await open();
    const events = Array.from({ length: 201 }, (_, i) => ({
      id: `e${i}`,
      schemaId: schema.schemaId,
      payload: encoded('x'),
    }));
    const err = (await unaryCall((cb) =>
      client.Publish({ topicName: TOPIC, authRefresh: '', events }, authMetadata(harness), cb),
    ).catch((e: grpc.ServiceError) => e)) as grpc.ServiceError;
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(eventBusOf(harness.org).retained(TOPIC)).toHaveLength(0);
  });

  test('PublishStream answers every request on the stream', async () => {
    await open();
    const recorder = new StreamRecorder(client.PublishStream(authMetadata(harness)));
    recorder.call.write({
      topicName: TOPIC,
      authRefresh: '',
      events: [{ id: 'a', schemaId: schema.schemaId, payload: encoded('a') }],
    });
    recorder.call.write({
      topicName: TOPIC,
      authRefresh: '',
      events: [{ id: 'b', schemaId: schema.schemaId, payload: encoded('b') }],
    });
    await recorder.waitUntil(() => recorder.responses.length === 2, '2 publish responses');
    expect(recorder.responses.map((r) => r.results[0].correlationKey)).toEqual(['a', 'b']);
    recorder.call.end();
    expect((await recorder.waitForStatus()).code).toBe(grpc.status.OK);
  });
});
