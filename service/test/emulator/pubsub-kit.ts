import { EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import PubSubApiClient from 'salesforce-pubsub-api-client';
import { EmulatedOrg, type EmulatedOrgOptions } from '../../emulator/org/org';
import type { SeedCounts } from '../../emulator/org/seed';
import { loadPubSubPackage, type PubSubClient } from '../../emulator/pubsub/proto';
import { startPubSubServer, type PubSubServer, type PubSubServerOptions } from '../../emulator/pubsub/server';
import { loadOrCreateCertificate, type EmulatorCertificate } from '../../emulator/tls';

/** Shared helpers for the Pub/Sub emulator tests (not a test file itself). */

/** Mirrors the client's SubscribeCallbackType values; the package exports only its default class. */
export const CALLBACK = {
  EVENT: 'event',
  LAST_EVENT: 'lastEvent',
  ERROR: 'error',
  END: 'end',
  GRPC_STATUS: 'grpcStatus',
  GRPC_KEEP_ALIVE: 'grpcKeepAlive',
} as const;

export const SMALL_SEED: SeedCounts = { contacts: 4, leads: 2, businessAccounts: 2, personAccounts: 2, users: 2 };

export const silentLogger = { debug(): void {}, info(): void {}, warn(): void {}, error(): void {} };

export function testCertificate(): Promise<EmulatorCertificate> {
  return loadOrCreateCertificate(path.join(os.tmpdir(), 'switchboard-emulator-test-certs'));
}

export interface RecordedCallback {
  type: string;
  /** The client's SubscriptionInfo at the time (lastReplayId, counts). */
  info: { lastReplayId: number | null; receivedEventCount: number; requestedEventCount: number };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the client hands over untyped data (a parsed event, a gRPC error or a status) by callback type
  data: any;
}

/** Resolves when `condition` holds, re-checking on every 'change' of `emitter`; never sleeps. */
function waitForCondition(
  emitter: EventEmitter,
  condition: () => boolean,
  timeoutMs: number,
  failure: () => string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!condition()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(failure()));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      emitter.off('change', check);
    };
    emitter.on('change', check);
    check();
  });
}

/** Records a subscription's callbacks and lets a test wait for one, without sleeping. */
export class CallbackRecorder {
  readonly calls: RecordedCallback[] = [];
  private readonly emitter = new EventEmitter();

  readonly callback = (info: RecordedCallback['info'], type: string, data?: unknown): void => {
    this.calls.push({ type, data, info: { ...info } });
    this.emitter.emit('change');
  };

  of(type: string): RecordedCallback[] {
    return this.calls.filter((call) => call.type === type);
  }

  events(): RecordedCallback['data'][] {
    return this.of(CALLBACK.EVENT).map((call) => call.data);
  }

  /** Resolves once `count` callbacks of `type` have been recorded (counting those already there). */
  waitFor(type: string, count = 1, timeoutMs = 15_000): Promise<RecordedCallback[]> {
    return this.waitUntil(() => this.of(type).length >= count, `${count} × ${type}`, timeoutMs).then(() =>
      this.of(type),
    );
  }

  waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    return waitForCondition(
      this.emitter,
      condition,
      timeoutMs,
      () => `timed out waiting for ${what}; recorded: ${this.calls.map((c) => c.type).join(', ') || 'nothing'}`,
    );
  }
}

export interface PubSubHarness {
  org: EmulatedOrg;
  server: PubSubServer;
  certificate: EmulatorCertificate;
  /** A connected client (user-supplied auth) for a fresh token of the integration user, or the given token. */
  client(accessToken?: string): Promise<PubSubApiClient>;
  /** Server first, so open streams end while the clients still listen; then the clients. */
  close(): Promise<void>;
}

export async function startHarness(
  orgOptions: EmulatedOrgOptions = {},
  serverOptions: Partial<PubSubServerOptions> = {},
): Promise<PubSubHarness> {
  const org = new EmulatedOrg({ seed: SMALL_SEED, ...orgOptions });
  const certificate = await testCertificate();
  const server = await startPubSubServer(org, {
    keepaliveMs: 200,
    ...serverOptions,
    tls: { keyPem: certificate.keyPem, certPem: certificate.certPem },
  });
  const clients: PubSubApiClient[] = [];
  return {
    org,
    server,
    certificate,
    async client(accessToken = org.issueToken(org.integrationUser.userId).accessToken) {
      const client = new PubSubApiClient(
        {
          authType: 'user-supplied',
          accessToken,
          instanceUrl: 'https://localhost',
          pubSubEndpoint: server.endpoint,
          rejectUnauthorizedSsl: false,
        },
        silentLogger,
      );
      await client.connect();
      clients.push(client);
      return client;
    },
    async close() {
      await server.close();
      for (const client of clients) client.close();
    },
  };
}

/** The PubSub service as a plain grpc-js client, for protocol details the Pub/Sub client hides. */
export type RawPubSubClient = PubSubClient;

export function rawClient(harness: PubSubHarness): RawPubSubClient {
  const { Client } = loadPubSubPackage();
  return new Client(harness.server.endpoint, grpc.credentials.createSsl(Buffer.from(harness.certificate.certPem)));
}

/** Auth metadata as the Pub/Sub client sends it; `overrides` replaces or (with '') drops headers. */
export function authMetadata(harness: PubSubHarness, overrides: Record<string, string> = {}): grpc.Metadata {
  const { org } = harness;
  const headers: Record<string, string> = {
    accesstoken: org.issueToken(org.integrationUser.userId).accessToken,
    instanceurl: 'https://localhost',
    tenantid: org.organizationId,
    ...overrides,
  };
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(headers)) if (value !== '') metadata.set(key, value);
  return metadata;
}

export function unaryCall<Res>(invoke: (callback: grpc.requestCallback<Res>) => void): Promise<Res> {
  return new Promise((resolve, reject) => invoke((err, response) => (err ? reject(err) : resolve(response as Res))));
}

/** Records what a raw duplex call receives: responses, then its final status. */
export class StreamRecorder<Req, Res> {
  readonly responses: Res[] = [];
  status: grpc.StatusObject | undefined;
  private readonly emitter = new EventEmitter();

  constructor(readonly call: grpc.ClientDuplexStream<Req, Res>) {
    call.on('data', (response: Res) => {
      this.responses.push(response);
      this.emitter.emit('change');
    });
    // Errors also arrive as the status below; listening keeps them from being thrown.
    call.on('error', () => undefined);
    call.on('status', (status: grpc.StatusObject) => {
      this.status = status;
      this.emitter.emit('change');
    });
  }

  waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    return waitForCondition(
      this.emitter,
      condition,
      timeoutMs,
      () =>
        `timed out waiting for ${what}; got ${this.responses.length} responses, status ${this.status?.code ?? 'none'}`,
    );
  }

  async waitForStatus(): Promise<grpc.StatusObject> {
    await this.waitUntil(() => this.status !== undefined, 'the call to end');
    return this.status!;
  }
}
