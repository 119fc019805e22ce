import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { EmulatedOrg } from '../org/org';
import type { Actor } from '../org/store';
import { authenticateCall } from './callAuth';
import { eventBusOf } from './eventBus';
import { eventSchemaById, eventSchemaForTopic } from './eventSchemas';
import { PUBSUB_ERROR_CODES, PubSubError, serviceUnavailable, toServiceError, topicNotFound } from './grpcErrors';
import {
  loadPubSubPackage,
  type PubSubHandlers,
  type PublishRequestMessage,
  type PublishResponseMessage,
} from './proto';
import { handlePublishRequest } from './publishing';
import { SubscribeSession } from './subscribeSession';

export interface PubSubServerOptions {
  /** Interface to listen on; 127.0.0.1 unless told otherwise. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  tls: { keyPem: string; certPem: string };
  /** Keepalive period of idle Subscribe streams; the platform's 270 s by default. */
  keepaliveMs?: number;
  /**
   * How long a Subscribe stream with nothing requested stays open without a FetchRequest.
   * UNCONFIRMED: the platform documents only that such a subscription closes; 60 s is our choice.
   */
  idleTimeoutMs?: number;
  /**
   * How long GetSchema takes to answer. The client decodes a response's events only after fetching their
   * schema (once per client, so after every reconnect), while a keepalive behind them is handed over at
   * once: a slow answer lets tests put a keepalive ahead of events the server sent before it.
   */
  schemaDelayMs?: number;
}

export interface PubSubServer {
  port: number;
  /** `localhost:<port>`, the form the Pub/Sub client's `pubSubEndpoint` takes. */
  endpoint: string;
  close(): Promise<void>;
}

export const DEFAULT_KEEPALIVE_MS = 270_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/** After ending our streams, how long a graceful shutdown may take before calls are cut. */
const SHUTDOWN_GRACE_MS = 2_000;

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;

/** Unary handlers: authenticate, run, and turn any thrown error into a status with its trailer. */
function unary<Req, Res>(org: EmulatedOrg, handle: (request: Req, actor: Actor) => Res): Unary<Req, Res> {
  return (call, callback) => {
    try {
      const actor = authenticateCall(org, call.metadata);
      callback(null, handle(call.request, actor));
    } catch (err) {
      callback(toServiceError(err));
    }
  };
}

/** The org's Pub/Sub API on the official proto, over TLS, as the unmodified client expects. */
export async function startPubSubServer(org: EmulatedOrg, options: PubSubServerOptions): Promise<PubSubServer> {
  const { service } = loadPubSubPackage();
  const bus = eventBusOf(org);
  const sessions = new Set<SubscribeSession>();
  const publishStreams = new Set<grpc.ServerDuplexStream<PublishRequestMessage, PublishResponseMessage>>();
  const sessionOptions = {
    keepaliveMs: options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  };

  const getTopic: PubSubHandlers['GetTopic'] = unary(org, (request) => {
    const schema = eventSchemaForTopic(request.topicName);
    if (!schema) throw topicNotFound(request.topicName);
    return {
      topicName: schema.topicName,
      tenantGuid: org.organizationId,
      canPublish: true,
      canSubscribe: true,
      schemaId: schema.schemaId,
      rpcId: randomUUID(),
    };
  });

  const answerSchema: PubSubHandlers['GetSchema'] = unary(org, (request) => {
    const schema = eventSchemaById(request.schemaId);
    if (!schema) {
      throw new PubSubError(
        grpc.status.NOT_FOUND,
        PUBSUB_ERROR_CODES.schemaNotFound,
        `Schema ${request.schemaId || '(empty)'} not found.`,
      );
    }
    return { schemaJson: schema.schemaJson, schemaId: schema.schemaId, rpcId: randomUUID() };
  });
  const getSchema: PubSubHandlers['GetSchema'] = (call, callback) => {
    const delayMs = options.schemaDelayMs ?? 0;
    if (delayMs > 0) setTimeout(() => answerSchema(call, callback), delayMs).unref();
    else answerSchema(call, callback);
  };

  const publish: PubSubHandlers['Publish'] = unary(org, (request, actor) => handlePublishRequest(org, actor, request));

  const publishStream: PubSubHandlers['PublishStream'] = (call) => {
    let actor: Actor;
    try {
      actor = authenticateCall(org, call.metadata);
    } catch (err) {
      call.emit('error', toServiceError(err));
      return;
    }
    publishStreams.add(call);
    const forget = (): boolean => publishStreams.delete(call);
    call.on('data', (request: PublishRequestMessage) => {
      if (!publishStreams.has(call)) return;
      try {
        call.write(handlePublishRequest(org, actor, request));
      } catch (err) {
        forget();
        call.emit('error', toServiceError(err));
      }
    });
    call.on('end', () => {
      if (forget()) call.end();
    });
    call.on('cancelled', forget);
  };

  const subscribe: PubSubHandlers['Subscribe'] = (call) => {
    try {
      authenticateCall(org, call.metadata);
    } catch (err) {
      call.emit('error', toServiceError(err));
      return;
    }
    sessions.add(new SubscribeSession(call, bus, sessionOptions, (session) => sessions.delete(session)));
  };

  const server = new grpc.Server();
  const handlers: PubSubHandlers = {
    GetTopic: getTopic,
    GetSchema: getSchema,
    Publish: publish,
    PublishStream: publishStream,
    Subscribe: subscribe,
  };
  server.addService(service, handlers);

  /** Fault injection: every open stream fails with UNAVAILABLE, as when the platform drops them. */
  const dropStreams = (): void => {
    const details = 'The Pub/Sub service dropped the stream. Reconnect and resubscribe.';
    for (const session of [...sessions]) session.fail(serviceUnavailable(details));
    for (const call of [...publishStreams]) {
      publishStreams.delete(call);
      call.emit('error', serviceUnavailable(details));
    }
  };
  /**
   * Shutdown ends open streams with status OK: a client closed earlier whose call is still open (the
   * Pub/Sub client's close() does not cancel calls) then sees a harmless end instead of an error
   * event nobody listens to, which would crash the process that owns it.
   */
  const endStreams = (): void => {
    for (const session of [...sessions]) session.finish();
    for (const call of [...publishStreams]) {
      publishStreams.delete(call);
      call.end();
    }
  };
  const stopDropListener = org.onDropPubSubStreams(dropStreams);

  const credentials = grpc.ServerCredentials.createSsl(
    null,
    [{ private_key: Buffer.from(options.tls.keyPem), cert_chain: Buffer.from(options.tls.certPem) }],
    false,
  );
  const host = options.host ?? '127.0.0.1';
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${options.port ?? 0}`, credentials, (err, bound) =>
        err ? reject(err) : resolve(bound),
      );
    });
  } catch (err) {
    stopDropListener();
    server.forceShutdown();
    throw new Error(
      `Pub/Sub emulator could not listen on ${host}:${options.port ?? 0}: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      stopDropListener();
      endStreams();
      const force = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    return closing;
  };

  return { port, endpoint: `localhost:${port}`, close };
}
