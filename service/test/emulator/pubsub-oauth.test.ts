import { rootCertificates } from 'node:tls';
import PubSubApiClient from 'salesforce-pubsub-api-client';
// undici comes with salesforce-pubsub-api-client, whose OAuth flows fetch through it: its global
// dispatcher is where a test can make that fetch trust the emulator's certificate.
import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import { EmulatedOrg } from '../../emulator/org/org';
import { startPubSubServer, type PubSubServer } from '../../emulator/pubsub/server';
import { startRestServer, type RestServer } from '../../emulator/rest/server';
import { CHANGE_EVENT_TOPIC, installChangeTrigger } from '../../emulator/triggers/changeTrigger';
import { CALLBACK, CallbackRecorder, SMALL_SEED, silentLogger, testCertificate } from './pubsub-kit';

/** Contract: the Pub/Sub client's own OAuth flows against the emulator's token and userinfo endpoints. */

let org: EmulatedOrg;
let rest: RestServer;
let pubsub: PubSubServer;
let previousDispatcher: Dispatcher;
let agent: Agent;
const clients: PubSubApiClient[] = [];

beforeAll(async () => {
  const certificate = await testCertificate();
  previousDispatcher = getGlobalDispatcher();
  agent = new Agent({ connect: { ca: [...rootCertificates, certificate.certPem] } });
  setGlobalDispatcher(agent);
  org = new EmulatedOrg({ seed: SMALL_SEED });
  installChangeTrigger(org);
  const tls = { keyPem: certificate.keyPem, certPem: certificate.certPem };
  rest = await startRestServer(org, { tls });
  pubsub = await startPubSubServer(org, { tls, keepaliveMs: 200 });
});

afterAll(async () => {
  await pubsub?.close();
  for (const client of clients) client.close();
  await rest?.close();
  setGlobalDispatcher(previousDispatcher);
  await agent?.close();
});

async function connected(config: Record<string, unknown>): Promise<PubSubApiClient> {
  const client = new PubSubApiClient(
    {
      pubSubEndpoint: pubsub.endpoint,
      rejectUnauthorizedSsl: false,
      loginUrl: rest.url,
      ...config,
    } as ConstructorParameters<typeof PubSubApiClient>[0],
    silentLogger,
  );
  clients.push(client);
  await client.connect();
  return client;
}

test('client credentials: the client authenticates, subscribes and receives a change event', async () => {
  const client = await connected({
    authType: 'oauth-client-credentials',
    clientId: org.clientId,
    clientSecret: org.clientSecret,
  });
  const recorder = new CallbackRecorder();
  client.subscribe(CHANGE_EVENT_TOPIC, recorder.callback);
  await recorder.waitFor(CALLBACK.GRPC_KEEP_ALIVE);
  const leadId = org.store.idFor('Lead', 0);
  org.store.update('Lead', [{ Id: leadId, MobilePhone: '+1 212 555 0123' }], org.adminUser);
  const [event] = await recorder.waitFor(CALLBACK.EVENT);
  expect(JSON.parse(event.data.payload.Payload__c)).toEqual([
    expect.objectContaining({ Id: leadId, MobilePhone: '+1 212 555 0123' }),
  ]);
});

test('JWT bearer: the client signs in as the integration user and can publish', async () => {
  const integration = org.store.get('User', org.integrationUser.userId)!;
  const client = await connected({
    authType: 'oauth-jwt-bearer',
    clientId: org.clientId,
    username: integration.Username,
    privateKey: org.jwtKeys.privateKeyPem,
  });
  const result = await client.publish(CHANGE_EVENT_TOPIC, {
    CreatedDate: Date.now(),
    CreatedById: org.integrationUser.userId,
    Payload__c: { string: '[]' },
    Operation__c: { string: 'update' },
    Object_Name__c: { string: 'Contact' },
    Record_Count__c: { double: 0 },
    Chunk_Sequence__c: { double: 1 },
    Chunk_Count__c: { double: 1 },
    Sync_Id__c: null,
  });
  expect(result.replayId).toEqual(expect.any(Number));
});

test('a wrong client secret fails to connect', async () => {
  await expect(
    connected({ authType: 'oauth-client-credentials', clientId: org.clientId, clientSecret: 'wrong' }),
  ).rejects.toMatchObject({
    message: 'Failed to authenticate with Salesforce',
    cause: { message: expect.stringContaining('invalid client credentials') },
  });
});
