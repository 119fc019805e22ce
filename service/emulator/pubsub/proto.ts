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

/** The PubSub service definition (server side) and its client constructor (protocol-level tests). */
export function loadPubSubPackage(): { service: grpc.ServiceDefinition; Client: grpc.ServiceClientConstructor } {
  const definition = protoLoader.loadSync(PUBSUB_PROTO_PATH, PROTO_LOADER_OPTIONS);
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    eventbus: { v1: { PubSub: grpc.ServiceClientConstructor } };
  };
  const Client = loaded.eventbus.v1.PubSub;
  return { service: Client.service, Client };
}
