import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import type { EmulatedOrg } from '../org/org';
import { createRestApp } from './app';

export interface RestServerOptions {
  /** Defaults to 127.0.0.1: the emulator is never exposed beyond the machine. */
  host?: string;
  /** Defaults to 0 (an ephemeral port). */
  port?: number;
  tls: { keyPem: string; certPem: string };
  /** Mounted under `/services/data/vXX.X/` after auth, API metering and fault injection. */
  routers?: Router[];
  random?: () => number;
}

export interface RestServer {
  /** `https://localhost:<port>`: instance URL and login URL alike. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves the org's REST API over HTTPS with the emulator's certificate. */
export async function startRestServer(org: EmulatedOrg, options: RestServerOptions): Promise<RestServer> {
  let url = '';
  const app = createRestApp(org, { baseUrl: () => url, routers: options.routers, random: options.random });
  const server = https.createServer({ key: options.tls.keyPem, cert: options.tls.certPem }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `https://localhost:${port}`;
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Clients keep connections alive (Node's global agent does); close them so close() returns.
        server.closeAllConnections();
      }),
  };
}
