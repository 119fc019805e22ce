import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Config } from './config';
import type { Database } from './store/types';
import { openDatabase } from './store/db';
import { migrate } from './store/migrate';
import { OrgRuntime } from './sync/orgRuntime';
import { createApp } from './http/app';
import { resolveApiToken } from './apiToken';
import { loadExtraCa, trustExtraCaForHttps } from './salesforce/tls';

export interface StartOptions {
  logger: Logger;
  /** The org is the emulator's demo org: pages and logs say so. */
  demo?: boolean;
  /** Reuse an open database (tests); otherwise one is opened from the config and closed on close(). */
  db?: Database;
  subscriber?: { backoff?: { initialMs: number; maxMs: number } };
  /** Run each org's initial sync when it has never completed one (default true). */
  initialSync?: boolean;
}

export interface RunningService {
  url: string;
  db: Database;
  orgs: OrgRuntime[];
  apiToken: string;
  apiTokenFile?: string;
  close(): Promise<void>;
}

/** Opens storage, migrates, connects every configured org and serves HTTP. */
export async function startService(config: Config, options: StartOptions): Promise<RunningService> {
  const { logger } = options;
  const db = options.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger }));
  const ownsDb = !options.db;
  const { applied } = await migrate(db, logger);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  logger.info({ storage: db.kind }, db.kind === 'pglite' ? 'storage: embedded PGlite database' : 'storage: PostgreSQL');

  const orgs: OrgRuntime[] = [];
  const sf = config.salesforce;
  if (sf) {
    let extraCaPem: string | undefined;
    if (sf.extraCaFile) {
      extraCaPem = loadExtraCa(sf.extraCaFile);
      trustExtraCaForHttps(extraCaPem);
    }
    orgs.push(
      new OrgRuntime({
        db,
        logger,
        defaultCountry: config.defaultCountry as CountryCode,
        writeback: config.writeback,
        subscriber: options.subscriber,
        initialSync: options.initialSync,
        connection: {
          id: 'primary',
          name: sf.orgName,
          loginUrl: sf.loginUrl,
          authFlow: sf.authFlow,
          clientId: sf.clientId,
          clientSecret: sf.clientSecret,
          username: sf.username,
          privateKey: sf.privateKey,
          apiVersion: sf.apiVersion,
          pubSubEndpoint: sf.pubSubEndpoint,
          namespace: sf.namespace,
          extraCaPem,
        },
      }),
    );
  } else {
    logger.warn('no Salesforce org configured (SF_CLIENT_ID unset): the directory is served, nothing syncs');
  }
  for (const org of orgs) await org.start();

  const { token: apiToken, file: apiTokenFile } = resolveApiToken(config.apiToken, config.dataDir);
  const byId = new Map(orgs.map((o) => [o.settings.orgId, o]));
  const app = createApp({
    db,
    logger,
    apiToken,
    demo: options.demo ?? false,
    publicUrl: config.publicUrl,
    defaultCountry: config.defaultCountry as CountryCode,
    settingsOf: (orgId) => byId.get(orgId)?.settings,
    orgs: () => orgs.map((o) => o.status()),
    onWriteBackQueued: (orgIds) => orgIds.forEach((id) => byId.get(id)?.writeBack.kick()),
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url }, 'Switchboard is serving');

  return {
    url,
    db,
    orgs,
    apiToken,
    apiTokenFile,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      for (const org of orgs) await org.stop();
      if (ownsDb) await db.close();
    },
  };
}
