/**
 * Shared set-up for the REST, SOQL and Bulk API 2.0 emulator tests: an org, its HTTPS server with the
 * emulator certificate (plus any extra routers, such as query and bulk), jsforce connections that trust
 * it, and a small HTTPS client for raw requests.
 *
 * jsforce 3 sends requests with node-fetch v2 and passes no agent unless `httpProxy` is set, so Node's
 * `https.globalAgent` carries them: adding the certificate to `https.globalAgent.options.ca` makes
 * the unmodified jsforce trust the emulator (the service does the same with SF_EXTRA_CA_FILE).
 */
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { Router } from 'express';
import { Connection } from 'jsforce';
import { bulkRouter, type BulkOptions } from '../../emulator/bulk/routes';
import { EmulatedOrg, type EmulatedOrgOptions } from '../../emulator/org/org';
import type { DmlBatch } from '../../emulator/org/store';
import { startRestServer, type RestServer } from '../../emulator/rest/server';
import { queryRouter } from '../../emulator/soql/routes';
import { loadOrCreateCertificate } from '../../emulator/tls';

export const API_VERSION = '62.0';
export const TEST_CERT_DIR = path.join(os.tmpdir(), 'switchboard-emulator-test-certs');
export const SMALL_SEED = { contacts: 20, leads: 10, businessAccounts: 5, personAccounts: 5, users: 4 };

export function trustCertificate(certPem: string): void {
  https.globalAgent.options.ca = [...tls.rootCertificates, certPem];
}

export interface RestHarness {
  org: EmulatedOrg;
  server: RestServer;
  url: string;
  /** A jsforce connection authorised by client credentials, re-authorising on 401. */
  connect(): Promise<Connection>;
  /** Raw HTTPS request against the emulator. */
  request(method: string, pathname: string, options?: RawRequestOptions): Promise<RawResponse>;
  /** Request to a `/__emulator` control endpoint, authorised with the client secret. */
  control(method: string, pathname: string, body?: unknown): Promise<RawResponse>;
  close(): Promise<void>;
}

export interface RawRequestOptions {
  headers?: Record<string, string>;
  body?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

export interface RestHarnessOptions {
  /** Routers mounted on the REST server besides the core ones, built for the harness's org. */
  routers?: (org: EmulatedOrg) => Router[];
}

export async function startRestHarness(
  options: EmulatedOrgOptions = {},
  harness: RestHarnessOptions = {},
): Promise<RestHarness> {
  const certificate = await loadOrCreateCertificate(TEST_CERT_DIR);
  trustCertificate(certificate.certPem);
  const org = new EmulatedOrg({ seed: SMALL_SEED, ...options });
  const server = await startRestServer(org, { tls: certificate, routers: harness.routers?.(org) });
  const url = server.url;

  const request = (method: string, pathname: string, raw: RawRequestOptions = {}): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      // A connection of its own per request: reusing a kept-alive one races the server closing it when idle
      // (5 s) and fails as ECONNRESET on a loaded machine (seen once in CI on a Bulk results page).
      const options = { method, headers: raw.headers, agent: false, ca: https.globalAgent.options.ca } as const;
      const req = https.request(new URL(pathname, url), options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(raw.body);
    });

  return {
    org,
    server,
    url,
    request,
    control: (method, pathname, body) =>
      request(method, `/__emulator${pathname}`, {
        headers: { authorization: `Bearer ${org.clientSecret}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    async connect() {
      const conn = new Connection({
        version: API_VERSION,
        loginUrl: url,
        oauth2: { clientId: org.clientId, clientSecret: org.clientSecret, loginUrl: url },
        refreshFn: (c, callback) => {
          c.oauth2
            .requestToken({ grant_type: 'client_credentials' })
            .then((res) => callback(null, res.access_token, res))
            .catch((err: Error) => callback(err));
        },
      });
      await conn.authorize({ grant_type: 'client_credentials' });
      return conn;
    },
    close: () => server.close(),
  };
}

/** A signed-in REST harness shared by the tests of one describe block. */
export interface RestSession {
  readonly org: EmulatedOrg;
  /** A jsforce connection signed in as the integration user. */
  readonly conn: Connection;
  /** Raw HTTPS request, as RestHarness.request. */
  request(method: string, pathname: string, options?: RawRequestOptions): Promise<RawResponse>;
  /** Request to `/services/data/vXX.X<path>` as the signed-in user, with a JSON content type. */
  api(method: string, path: string, body?: string): Promise<RawResponse>;
  /** The DML batches the org committed during the current test. */
  readonly batches: DmlBatch[];
}

/**
 * Registers the calling describe block's hooks: start a REST harness and sign in before its tests,
 * empty `batches` before each test, close the harness after. Use the session inside tests, where it
 * is started.
 */
export function useRestSession(options: EmulatedOrgOptions = {}): RestSession {
  let harness: RestHarness | undefined;
  let conn: Connection | undefined;
  const batches: DmlBatch[] = [];
  beforeAll(async () => {
    harness = await startRestHarness(options);
    conn = await harness.connect();
    harness.org.store.onCommit((batch) => batches.push(batch));
  });
  afterAll(async () => {
    await harness?.close();
  });
  beforeEach(() => {
    batches.length = 0;
  });

  const started = (): { harness: RestHarness; conn: Connection } => {
    if (!harness || !conn) throw new Error('The REST session starts in beforeAll: use it inside a test');
    return { harness, conn };
  };
  return {
    get org() {
      return started().harness.org;
    },
    get conn() {
      return started().conn;
    },
    request: (method, pathname, raw) => started().harness.request(method, pathname, raw),
    api: (method, path, body) =>
      started().harness.request(method, `/services/data/v${API_VERSION}${path}`, {
        headers: { authorization: `Bearer ${started().conn.accessToken}`, 'content-type': 'application/json' },
        body,
      }),
    batches,
  };
}

/** A REST harness with the SOQL and Bulk API 2.0 routers, signed in. */
export interface QueryHarness {
  org: EmulatedOrg;
  server: RestServer;
  conn: Connection;
  /** Authorised raw HTTPS request; `path` is relative to `/services/data/vXX.X/` unless it starts with '/'. */
  request(method: string, path: string, options?: RawRequestOptions): Promise<RawResponse>;
  close(): Promise<void>;
}

export async function startQueryHarness(
  orgOptions: EmulatedOrgOptions = {},
  bulkOptions: BulkOptions = {},
): Promise<QueryHarness> {
  const harness = await startRestHarness(orgOptions, {
    routers: (org) => [queryRouter(org), bulkRouter(org, bulkOptions)],
  });
  const conn = await harness.connect();
  return {
    org: harness.org,
    server: harness.server,
    conn,
    request: (method, path, options = {}) =>
      harness.request(method, path.startsWith('/') ? path : `/services/data/v${API_VERSION}/${path}`, {
        body: options.body,
        headers: { authorization: `Bearer ${conn.accessToken}`, ...options.headers },
      }),
    close: () => harness.close(),
  };
}

/** The error a jsforce call rejects with, for asserting on errorCode and data. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { errorCode?: string; data?: unknown }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { errorCode?: string; data?: unknown };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
