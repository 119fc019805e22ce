import { loadOrCreateCertificate } from './tls';
import { EmulatedOrg, type EmulatedOrgOptions } from './org/org';
import { startRestServer } from './rest/server';
import { queryRouter } from './soql/routes';
import { bulkRouter } from './bulk/routes';
import { startPubSubServer } from './pubsub/server';
import { installChangeTrigger } from './triggers/changeTrigger';

export { EmulatedOrg } from './org/org';
export type { EmulatedOrgOptions } from './org/org';

export interface EmulatorOptions extends EmulatedOrgOptions {
  /** Where the self-signed certificate is written (and reused from). */
  certDir: string;
  host?: string;
  /** REST / OAuth port; 0 picks a free one. */
  port?: number;
  /** Pub/Sub gRPC port; 0 picks a free one. */
  pubSubPort?: number;
  /** Keepalive period of idle Subscribe streams (the platform's is 270 s). */
  keepaliveMs?: number;
  /** How long a Subscribe stream with nothing requested stays open without a FetchRequest (default 60 s). */
  idleTimeoutMs?: number;
}

/** How any client reaches the emulated org: the JSON line `npm run emulator` prints. */
export interface EmulatorConnectionInfo {
  loginUrl: string;
  instanceUrl: string;
  clientId: string;
  clientSecret: string;
  organizationId: string;
  pubSubEndpoint: string;
  /** The certificate to trust (SF_EXTRA_CA_FILE). */
  certPath: string;
}

/** The keys of the printed connection line, in the order they are printed. */
export const CONNECTION_INFO_KEYS = [
  'loginUrl',
  'instanceUrl',
  'clientId',
  'clientSecret',
  'organizationId',
  'pubSubEndpoint',
  'certPath',
] as const satisfies readonly (keyof EmulatorConnectionInfo)[];

export interface EmulatorHandle extends EmulatorConnectionInfo {
  org: EmulatedOrg;
  close(): Promise<void>;
}

/** One emulated org: HTTPS REST + OAuth + Bulk 2.0, Pub/Sub gRPC over TLS, and the package's trigger. */
export async function startEmulator(options: EmulatorOptions): Promise<EmulatorHandle> {
  const certificate = await loadOrCreateCertificate(options.certDir);
  const tls = { keyPem: certificate.keyPem, certPem: certificate.certPem };
  const org = new EmulatedOrg(options);
  const uninstallTrigger = installChangeTrigger(org);
  const rest = await startRestServer(org, {
    host: options.host,
    port: options.port ?? 0,
    tls,
    routers: [queryRouter(org), bulkRouter(org)],
  });
  const pubsub = await startPubSubServer(org, {
    host: options.host,
    port: options.pubSubPort ?? 0,
    tls,
    keepaliveMs: options.keepaliveMs,
    idleTimeoutMs: options.idleTimeoutMs,
  });
  return {
    org,
    loginUrl: rest.url,
    instanceUrl: rest.url,
    clientId: org.clientId,
    clientSecret: org.clientSecret,
    organizationId: org.organizationId,
    pubSubEndpoint: pubsub.endpoint,
    certPath: certificate.certPath,
    async close() {
      uninstallTrigger();
      await Promise.all([rest.close(), pubsub.close()]);
    },
  };
}

export function connectionInfo(handle: EmulatorHandle): EmulatorConnectionInfo {
  // The return type only accepts this if the key list covers every field of EmulatorConnectionInfo.
  const info = {} as Record<(typeof CONNECTION_INFO_KEYS)[number], string>;
  for (const key of CONNECTION_INFO_KEYS) info[key] = handle[key];
  return info;
}
