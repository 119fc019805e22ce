import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * The official pubsub_api.proto shipped with salesforce-pubsub-api-client (at the package root, not
 * in its `exports`, hence the path arithmetic) and the message shapes as proto-loader presents them
 * with the options below (camelCase names, bytes as Buffer, enums as names, defaults filled in).
 */
export const PUBSUB_PROTO_PATH = path.join(
  path.dirname(require.resolve('salesforce-pubsub-api-client')),
  '..',
  'pubsub_api.proto',
);

export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

export type ReplayPresetName = 'LATEST' | 'EARLIEST' | 'CUSTOM';

export interface ProducerEventMessage {
  id: string;
  schemaId: string;
  payload: Buffer;
  headers?: Array<{ key: string; value: Buffer }>;
}

export interface ConsumerEventMessage {
  event: ProducerEventMessage;
  replayId: Buffer;
}

export interface FetchRequestMessage {
  topicName: string;
  replayPreset: ReplayPresetName;
  replayId: Buffer;
  numRequested: number;
  authRefresh: string;
}

export interface FetchResponseMessage {
  events: ConsumerEventMessage[];
  latestReplayId: Buffer;
  rpcId: string;
  pendingNumRequested: number;
}

export interface TopicRequestMessage {
  topicName: string;
}

export interface TopicInfoMessage {
  topicName: string;
  tenantGuid: string;
  canPublish: boolean;
  canSubscribe: boolean;
  schemaId: string;
  rpcId: string;
}

export interface SchemaRequestMessage {
  schemaId: string;
}

export interface SchemaInfoMessage {
  schemaJson: string;
  schemaId: string;
  rpcId: string;
}

export interface PublishRequestMessage {
  topicName: string;
  events: ProducerEventMessage[];
  authRefresh: string;
}

export type PublishErrorCode = 'UNKNOWN' | 'PUBLISH' | 'COMMIT';

export interface PublishResultMessage {
  replayId: Buffer;
  error: { code: PublishErrorCode; msg: string } | null;
  correlationKey: string;
}

export interface PublishResponseMessage {
  results: PublishResultMessage[];
  schemaId: string;
  rpcId: string;
}

/** Each RPC of eventbus.v1.PubSub: its request and response messages, and whether both stream. */
interface PubSubRpcs {
  GetTopic: { request: TopicRequestMessage; response: TopicInfoMessage; streaming: false };
  GetSchema: { request: SchemaRequestMessage; response: SchemaInfoMessage; streaming: false };
  Publish: { request: PublishRequestMessage; response: PublishResponseMessage; streaming: false };
  PublishStream: { request: PublishRequestMessage; response: PublishResponseMessage; streaming: true };
  Subscribe: { request: FetchRequestMessage; response: FetchResponseMessage; streaming: true };
}

type RequestOf<K extends keyof PubSubRpcs> = PubSubRpcs[K]['request'];
type ResponseOf<K extends keyof PubSubRpcs> = PubSubRpcs[K]['response'];

/** The server's implementation of the service, as grpc-js's addService takes it. */
export type PubSubHandlers = {
  [K in keyof PubSubRpcs]: PubSubRpcs[K]['streaming'] extends true
    ? grpc.handleBidiStreamingCall<RequestOf<K>, ResponseOf<K>>
    : grpc.handleUnaryCall<RequestOf<K>, ResponseOf<K>>;
};

/**
 * The service as a plain grpc-js client, for protocol details the Pub/Sub client hides. Requests may
 * leave fields out: proto3 sends an absent field as its default.
 */
export type PubSubClient = grpc.Client & {
  [K in keyof PubSubRpcs]: PubSubRpcs[K]['streaming'] extends true
    ? (metadata: grpc.Metadata) => grpc.ClientDuplexStream<Partial<RequestOf<K>>, ResponseOf<K>>
    : (request: Partial<RequestOf<K>>, metadata: grpc.Metadata, callback: grpc.requestCallback<ResponseOf<K>>) => void;
};

export type PubSubClientConstructor = new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: Partial<grpc.ClientOptions>,
) => PubSubClient;

/** The PubSub service definition (server side) and its client constructor (protocol-level tests). */
export function loadPubSubPackage(): { service: grpc.ServiceDefinition; Client: PubSubClientConstructor } {
  const definition = protoLoader.loadSync(PUBSUB_PROTO_PATH, PROTO_LOADER_OPTIONS);
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    eventbus: { v1: { PubSub: grpc.ServiceClientConstructor } };
  };
  const { PubSub } = loaded.eventbus.v1;
  // grpc-js builds the methods at run time from the proto; PubSubClient spells out what it builds.
  return { service: PubSub.service, Client: PubSub as unknown as PubSubClientConstructor };
}
