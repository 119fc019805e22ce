import { PUBSUB_ERROR_CODES } from '../../emulator/pubsub/grpcErrors';
import { decodeStoredEvent, eventBusOf, publishEvent, publishEvents } from '../../emulator/pubsub/eventBus';
import { CHANGE_EVENT_TOPIC, installChangeTrigger } from '../../emulator/triggers/changeTrigger';
import { CALLBACK, CallbackRecorder, startHarness, type PubSubHarness } from './pubsub-kit';

/** The emulator driven by the unmodified salesforce-pubsub-api-client over loopback TLS. */

const TOPIC = CHANGE_EVENT_TOPIC;

function changeFields(label: string): Record<string, unknown> {
  return {
    Payload__c: JSON.stringify([{ Id: label }]),
    Operation__c: 'update',
    Object_Name__c: 'Contact',
    Record_Count__c: 1,
    Chunk_Sequence__c: 1,
    Chunk_Count__c: 1,
  };
}

const labelsOf = (events: Array<{ payload: { Payload__c: string } }>): string[] =>
  events.map((event) => (JSON.parse(event.payload.Payload__c) as Array<{ Id: string }>)[0].Id);

let harness: PubSubHarness;

afterEach(async () => {
  await harness?.close();
});

describe('Pub/Sub emulator with the real client', () => {
  test('LATEST subscription receives the change event of an admin update, decodable to the record JSON', async () => {
    harness = await startHarness();
    const { org } = harness;
    installChangeTrigger(org);
    const client = await harness.client();
    const recorder = new CallbackRecorder();
    client.subscribe(TOPIC, recorder.callback);
    // A keepalive proves the subscription is open on the server before the change happens.
    await recorder.waitFor(CALLBACK.GRPC_KEEP_ALIVE);

    const contactId = org.store.idFor('Contact', 1);
    org.store.update('Contact', [{ Id: contactId, Phone: '+1 415 555 0199' }], org.adminUser);

    const [event] = await recorder.waitFor(CALLBACK.EVENT);
    expect(typeof event.data.replayId).toBe('number');
    expect(event.data.schemaId).toBe(eventBusOf(org).retained(TOPIC)[0].event.schemaId);
    const payload = event.data.payload;
    expect(payload).toMatchObject({
      CreatedById: org.adminUser.userId,
      Operation__c: 'update',
      Object_Name__c: 'Contact',
      Record_Count__c: 1,
      Chunk_Sequence__c: 1,
      Chunk_Count__c: 1,
      // The new org's seeded "Default sync".
      Sync_Id__c: org.store.idFor('Switchboard_Sync__c', 0),
    });
    expect(typeof payload.CreatedDate).toBe('number');
    const records = JSON.parse(payload.Payload__c);
    const contact = org.store.get('Contact', contactId)!;
    expect(records).toEqual([
      expect.objectContaining({
        Id: contactId,
        SystemModstamp: contact.SystemModstamp,
        Phone: '+1 415 555 0199',
        LastName: contact.LastName,
      }),
    ]);
    expect(Object.keys(records[0])).toContain('Account.Name');
  });

  test('subscribeFromEarliestEvent replays every retained event in order', async () => {
    harness = await startHarness();
    const { org } = harness;
    publishEvents(org, TOPIC, [changeFields('a'), changeFields('b'), changeFields('c')]);
    const client = await harness.client();
    const recorder = new CallbackRecorder();
    client.subscribeFromEarliestEvent(TOPIC, recorder.callback);
    await recorder.waitFor(CALLBACK.EVENT, 3);
    expect(labelsOf(recorder.events())).toEqual(['a', 'b', 'c']);
  });

  test('subscribeFromReplayId starts after the given replay id', async () => {
    harness = await startHarness();
    const { org } = harness;
    const stored = ['a', 'b', 'c', 'd'].map((label) => publishEvent(org, TOPIC, changeFields(label)));
    const client = await harness.client();
    const recorder = new CallbackRecorder();
    client.subscribeFromReplayId(TOPIC, recorder.callback, null, Number(stored[1].replay));
    await recorder.waitFor(CALLBACK.EVENT, 2);
    expect(labelsOf(recorder.events())).toEqual(['c', 'd']);
    expect(recorder.events()[0].replayId).toBe(Number(stored[2].replay));
  });

  test('flow control: 3 requested, 3 delivered, then more on requestAdditionalEvents', async () => {
    harness = await startHarness();
    const { org } = harness;
    publishEvents(org, TOPIC, ['a', 'b', 'c', 'd', 'e'].map(changeFields));
    const client = await harness.client();
    const recorder = new CallbackRecorder();
    client.subscribeFromEarliestEvent(TOPIC, recorder.callback, 3);
    await recorder.waitFor(CALLBACK.LAST_EVENT);
    // The server sends all it may before a keepalive on the same stream, so none may follow the 3rd.
    const keepalivesBefore = recorder.of(CALLBACK.GRPC_KEEP_ALIVE).length;
    await recorder.waitFor(CALLBACK.GRPC_KEEP_ALIVE, keepalivesBefore + 1);
    expect(labelsOf(recorder.events())).toEqual(['a', 'b', 'c']);

    client.requestAdditionalEvents(TOPIC, 2);
    await recorder.waitFor(CALLBACK.LAST_EVENT, 2);
    expect(labelsOf(recorder.events())).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('keepalives arrive while idle and carry the latest replay id', async () => {
    harness = await startHarness();
    const { org } = harness;
    const last = publishEvents(org, TOPIC, ['a', 'b'].map(changeFields))[1];
    const client = await harness.client();
    const recorder = new CallbackRecorder();
    client.subscribe(TOPIC, recorder.callback);
    await recorder.waitFor(CALLBACK.GRPC_KEEP_ALIVE, 2);
    expect(recorder.of(CALLBACK.EVENT)).toHaveLength(0);
    const keepalive = recorder.of(CALLBACK.GRPC_KEEP_ALIVE)[1];
    expect(keepalive.info.lastReplayId).toBe(Number(last.replay));
  });

  test('publish through the client: the event gets a replay id, the server stamps the publisher', async () => {
    harness = await startHarness();
    const { org } = harness;
    const subscriber = await harness.client();
    const recorder = new CallbackRecorder();
    subscriber.subscribe(TOPIC, recorder.callback);
    await recorder.waitFor(CALLBACK.GRPC_KEEP_ALIVE);

    const publisher = await harness.client();
    const result = await publisher.publish(
      TOPIC,
      {
        CreatedDate: Date.now(),
        CreatedById: 'spoofed',
        Payload__c: { string: '[{"Id":"from-client"}]' },
        Operation__c: { string: 'create' },
        Object_Name__c: { string: 'Lead' },
        Record_Count__c: { double: 1 },
        Chunk_Sequence__c: { double: 1 },
        Chunk_Count__c: { double: 1 },
        Sync_Id__c: null,
      },
      'my-correlation-key',
    );
    expect(result.correlationKey).toBe('my-correlation-key');
    const [stored] = eventBusOf(org).retained(TOPIC);
    expect(result.replayId).toBe(Number(stored.replay));
    expect(decodeStoredEvent(stored)).toMatchObject({
      CreatedById: org.integrationUser.userId,
      Object_Name__c: 'Lead',
    });

    const [event] = await recorder.waitFor(CALLBACK.EVENT);
    expect(event.data.replayId).toBe(result.replayId);
    expect(labelsOf([event.data])).toEqual(['from-client']);
  });

  test('a corrupted or expired replay id fails the subscription with the documented error code', async () => {
    harness = await startHarness();
    const { org } = harness;
    const [first, second] = publishEvents(org, TOPIC, ['a', 'b'].map(changeFields));
    eventBusOf(org).expireThrough(TOPIC, first.replay);

    for (const replayId of [Number(second.replay) + 999, Number(first.replay)]) {
      const client = await harness.client();
      const recorder = new CallbackRecorder();
      client.subscribeFromReplayId(TOPIC, recorder.callback, null, replayId);
      const [error] = await recorder.waitFor(CALLBACK.ERROR);
      expect(error.data.code).toBe(3); // INVALID_ARGUMENT
      expect(error.data.metadata.get('error-code')).toEqual([PUBSUB_ERROR_CODES.replayIdCorrupted]);
    }

    const client = await harness.client();
    const recorder = new CallbackRecorder();
    client.subscribeFromReplayId(TOPIC, recorder.callback, null, Number(second.replay));
    await recorder.waitFor(CALLBACK.GRPC_KEEP_ALIVE);
    expect(recorder.of(CALLBACK.ERROR)).toHaveLength(0);
  });

  test('a bad token is refused with the auth error code', async () => {
    harness = await startHarness();
    const { org } = harness;
    const client = await harness.client(`${org.organizationId.slice(0, 15)}!not-a-token`);
    const recorder = new CallbackRecorder();
    client.subscribe(TOPIC, recorder.callback);
    const [error] = await recorder.waitFor(CALLBACK.ERROR);
    expect(error.data.code).toBe(16); // UNAUTHENTICATED
    expect(error.data.metadata.get('error-code')).toEqual([PUBSUB_ERROR_CODES.authError]);

    await expect(client.publish(TOPIC, {})).rejects.toMatchObject({ cause: { code: 16 } });
  });

  test('dropping the streams ends the subscription with UNAVAILABLE', async () => {
    harness = await startHarness();
    const { org } = harness;
    const client = await harness.client();
    const recorder = new CallbackRecorder();
    client.subscribe(TOPIC, recorder.callback);
    await recorder.waitFor(CALLBACK.GRPC_KEEP_ALIVE);
    org.dropPubSubStreams();
    const [error] = await recorder.waitFor(CALLBACK.ERROR);
    expect(error.data.code).toBe(14);
    expect(error.data.metadata.get('error-code')).toEqual([PUBSUB_ERROR_CODES.unavailable]);

    // A new client resubscribes from the last replay id, as the service will.
    const later = publishEvent(org, TOPIC, changeFields('after-drop'));
    const again = await harness.client();
    const next = new CallbackRecorder();
    again.subscribeFromEarliestEvent(TOPIC, next.callback);
    const [event] = await next.waitFor(CALLBACK.EVENT);
    expect(event.data.replayId).toBe(Number(later.replay));
  });

  test('a stream with nothing more requested ends after the idle timeout', async () => {
    harness = await startHarness({}, { idleTimeoutMs: 300, keepaliveMs: 60_000 });
    publishEvent(harness.org, TOPIC, changeFields('only'));
    const client = await harness.client();
    const recorder = new CallbackRecorder();
    client.subscribeFromEarliestEvent(TOPIC, recorder.callback, 1);
    await recorder.waitFor(CALLBACK.LAST_EVENT);
    await recorder.waitFor(CALLBACK.END);
    expect(recorder.of(CALLBACK.ERROR)).toHaveLength(0);
  });
});
