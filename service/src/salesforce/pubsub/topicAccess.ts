import path from 'node:path';
import { rootCertificates } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { SessionInfo } from '../session';

/**
 * The official pubsub_api.proto that salesforce-pubsub-api-client ships at its package root. The client
 * itself calls GetTopic only inside publish and subscribe, and exposes no way to ask "may I subscribe?",
 * so the systems check asks the Pub/Sub API directly with the same proto and the same call credentials.
 */
const PROTO_PATH = path.join(path.dirname(require.resolve('salesforce-pubsub-api-client')), '..', 'pubsub_api.proto');

export interface TopicAccess {
  topicName: string;
  canSubscribe: boolean;
  canPublish: boolean;
}

interface TopicInfo {
  topicName: string;
  canSubscribe: boolean;
  canPublish: boolean;
}

type GetTopic = (
  request: { topicName: string },
  options: { deadline: number },
  callback: (err: grpc.ServiceError | null, info?: TopicInfo) => void,
) => void;
interface PubSubStub extends grpc.Client {
  GetTopic: GetTopic;
}
type PubSubConstructor = new (address: string, credentials: grpc.ChannelCredentials) => PubSubStub;

let constructorCache: PubSubConstructor | undefined;
function pubSubClientConstructor(): PubSubConstructor {
  if (!constructorCache) {
    const definition = protoLoader.loadSync(PROTO_PATH, {
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
    });
    // loadPackageDefinition returns an untyped namespace tree; the service is the one the proto declares.
    const tree = grpc.loadPackageDefinition(definition) as unknown as {
      eventbus: { v1: { PubSub: PubSubConstructor } };
    };
    constructorCache = tree.eventbus.v1.PubSub;
  }
  return constructorCache;
}

/** Asks the Pub/Sub API what the integration user may do with each topic (one GetTopic call each). */
export async function checkTopicAccess(
  session: SessionInfo,
  endpoint: string,
  topics: string[],
  extraCaPem?: string,
  timeoutMs = 10_000,
): Promise<TopicAccess[]> {
  const roots = extraCaPem ? Buffer.from(`${rootCertificates.join('\n')}\n${extraCaPem}`) : null;
  const callCredentials = grpc.credentials.createFromMetadataGenerator((_params, callback) => {
    const metadata = new grpc.Metadata();
    metadata.add('accesstoken', session.accessToken);
    metadata.add('instanceurl', session.instanceUrl);
    metadata.add('tenantid', session.organizationId);
    callback(null, metadata);
  });
  const Client = pubSubClientConstructor();
  const client = new Client(
    endpoint,
    grpc.credentials.combineChannelCredentials(grpc.credentials.createSsl(roots), callCredentials),
  );
  try {
    return await Promise.all(
      topics.map(
        (topicName) =>
          new Promise<TopicAccess>((resolve, reject) => {
            client.GetTopic({ topicName }, { deadline: Date.now() + timeoutMs }, (err, info) => {
              if (err || !info)
                reject(new Error(`GetTopic ${topicName}: ${err?.details || err?.message || 'no answer'}`));
              else resolve({ topicName, canSubscribe: info.canSubscribe, canPublish: info.canPublish });
            });
          }),
      ),
    );
  } finally {
    client.close();
  }
}
