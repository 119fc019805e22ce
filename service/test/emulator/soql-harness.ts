/**
 * Set-up for the SOQL and Bulk API 2.0 emulator tests: an org behind the real HTTPS REST server with
 * the query and bulk routers mounted, jsforce connections that trust its certificate, and raw HTTPS
 * requests for what jsforce cannot express (maxRecords, locators, headers).
 */
import https from 'node:https';
import { Connection } from 'jsforce';
import { bulkRouter, type BulkOptions } from '../../emulator/bulk/routes';
import { EmulatedOrg, type EmulatedOrgOptions } from '../../emulator/org/org';
import { startRestServer, type RestServer } from '../../emulator/rest/server';
import { queryRouter } from '../../emulator/soql/routes';
import { loadOrCreateCertificate } from '../../emulator/tls';
import { API_VERSION, TEST_CERT_DIR, trustCertificate } from './rest-harness';

export { API_VERSION, rejectionOf } from './rest-harness';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface QueryHarness {
  org: EmulatedOrg;
  server: RestServer;
  conn: Connection;
  /** Authorised raw HTTPS request; `path` is relative to `/services/data/vXX.X/` unless it starts with '/'. */
  request(method: string, path: string, options?: { headers?: Record<string, string>; body?: string }): Promise<RawResponse>;
  close(): Promise<void>;
}

export async function startQueryHarness(
  orgOptions: EmulatedOrgOptions = {},
  bulkOptions: BulkOptions = {},
): Promise<QueryHarness> {
  const certificate = await loadOrCreateCertificate(TEST_CERT_DIR);
  trustCertificate(certificate.certPem);
  const org = new EmulatedOrg(orgOptions);
  const server = await startRestServer(org, {
    tls: certificate,
    routers: [queryRouter(org), bulkRouter(org, bulkOptions)],
  });
  const conn = new Connection({
    version: API_VERSION,
    loginUrl: server.url,
    oauth2: { clientId: org.clientId, clientSecret: org.clientSecret, loginUrl: server.url },
  });
  await conn.authorize({ grant_type: 'client_credentials' });

  const request: QueryHarness['request'] = (method, path, options = {}) =>
    new Promise((resolve, reject) => {
      const url = new URL(path.startsWith('/') ? path : `/services/data/v${API_VERSION}/${path}`, server.url);
      const headers = { authorization: `Bearer ${conn.accessToken}`, ...options.headers };
      const req = https.request(url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(options.body);
    });

  return { org, server, conn, request, close: () => server.close() };
}
