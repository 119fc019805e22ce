import * as grpc from '@grpc/grpc-js';
import PubSubApiClient from 'salesforce-pubsub-api-client';
import { CHANGE_EVENT_TOPIC } from '../../emulator/triggers/changeTrigger';
import { CALLBACK, CallbackRecorder, silentLogger, startHarness } from './pubsub-kit';

test('capture + cancel avoids orphan streams', async () => {
  const harness = await startHarness();
  const proto = grpc.Client.prototype as unknown as { makeBidiStreamRequest: (...a: unknown[]) => grpc.ClientDuplexStream<unknown, unknown> };
  const original = proto.makeBidiStreamRequest;
  const captured: Array<grpc.ClientDuplexStream<unknown, unknown>> = [];
  proto.makeBidiStreamRequest = function (this: unknown, ...args: unknown[]) {
    const stream = original.apply(this, args);
    captured.push(stream);
    return stream;
  };
  const client = new PubSubApiClient({ authType: 'user-supplied', accessToken: harness.org.issueToken(harness.org.integrationUser.userId).accessToken, instanceUrl: 'https://localhost', pubSubEndpoint: harness.server.endpoint, rejectUnauthorizedSsl: false }, silentLogger);
  try {
    await client.connect();
  } finally {
    proto.makeBidiStreamRequest = original;
  }
  const recorder = new CallbackRecorder();
  client.subscribe(CHANGE_EVENT_TOPIC, recorder.callback);
  expect(captured).toHaveLength(1);
  await recorder.waitFor(CALLBACK.GRPC_KEEP_ALIVE);
  client.close();
  captured[0].on('error', () => undefined);
  captured[0].cancel();
  const second = await harness.client();
  const r2 = new CallbackRecorder();
  second.subscribe(CHANGE_EVENT_TOPIC, r2.callback);
  await r2.waitFor(CALLBACK.GRPC_KEEP_ALIVE);
  harness.org.dropPubSubStreams();
  await r2.waitFor(CALLBACK.ERROR);
  await harness.close();
});
