import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { CountryCode } from 'libphonenumber-js/max';
import { orgConnectionsOf, type Config, type OrgConnectionConfig } from './config';
import type { Database } from './store/types';
import { openDatabase } from './store/db';
import { migrate } from './store/migrate';
import { OrgRuntime, type OrgRuntimeOptions } from './runtime/orgRuntime';
import { createApp } from './http/app';
import { resolveApiToken } from './apiToken';
import { loadExtraCa, trustExtraCaForHttps } from './salesforce/tls';
import { LdapMirror, type LdapMirrorOptions } from './ldapMirror/mirror';
import { DatabaseUpkeep } from './runtime/databaseUpkeep';

export interface StartOptions {
  logger: Logger;
  /** The org is the emulator's demo org: pages and logs say so. */
  demo?: boolean;
  /** Reuse an open database (tests); otherwise one is opened from the config and closed on close(). */
  db?: Database;
  subscriber?: { backoff?: { initialMs: number; maxMs: number } };
  /** Run each org's initial sync when it has never completed one (default true). */
  initialSync?: boolean;
  /** Records per page of the initial sync (default 10,000; tests use small pages). */
  initialSyncPageSize?: number;
  /** How often an instance that does not run an org's subscribers tries to take them over (default 5 s). */
  electionRetryMs?: number;
  /** Status reporting to each org (flush interval, heartbeat); tests flush explicitly instead. */
  status?: OrgRuntimeOptions['status'];
  /** How often the database's upkeep looks for tables that changed (default 10 s; it prunes hourly). */
  statisticsEveryMs?: number;
  /** LDAP mirror tuning (tests poll and retry faster); the connection comes from config.ldap. */
  ldapMirror?: Pick<LdapMirrorOptions, 'batchSize' | 'pollMs' | 'backoff'>;
}

export interface RunningService {
  url: string;
  db: Database;
  orgs: OrgRuntime[];
  /** Present when LDAP_URL is set. */
  ldapMirror?: LdapMirror;
  apiToken: string;
  apiTokenFile?: string;
  close(): Promise<void>;
}

/** Opens storage, migrates, connects every configured org and serves HTTP. */
export async function startService(config: Config, options: StartOptions): Promise<RunningService> {
  const { logger } = options;
  const db =
    options.db ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      logger,
      preparedStatements: config.preparedStatements,
      connectTimeoutMs: config.databaseConnectTimeoutMs,
    }));
  const ownsDb = !options.db;
  const { applied } = await migrate(db, logger);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  logger.info({ storage: db.kind }, db.kind === 'pglite' ? 'storage: embedded PGlite database' : 'storage: PostgreSQL');

  const orgs = orgConnectionsOf(config).map((org) => orgRuntime(org, config, options, db));
  if (orgs.length === 0) {
    logger.warn(
      'no Salesforce org configured (neither SF_CLIENT_ID nor SF_ORG_<ID>_CLIENT_ID set): the directory is served, nothing syncs',
    );
  }
  for (const org of orgs) await org.start();
  // Off unless configured; it never fails the start: an unreachable LDAP server is retried in the background.
  const ldapMirror = config.ldap
    ? new LdapMirror({ db, logger, settings: config.ldap, ...options.ldapMirror })
    : undefined;
  if (ldapMirror) {
    await ldapMirror.start();
    logger.info({ ldapUrl: config.ldap?.url, baseDn: config.ldap?.baseDn }, 'LDAP mirror on');
  }

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
    commandDesk: (orgId) => byId.get(orgId)?.commandDesk,
    ldapMirror,
    calls: config.calls,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url }, 'Switchboard is serving');
  const upkeep = new DatabaseUpkeep({ db, logger, statisticsEveryMs: options.statisticsEveryMs });
  upkeep.start();

  return {
    url,
    db,
    orgs,
    ldapMirror,
    apiToken,
    apiTokenFile,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      for (const org of orgs) await org.stop();
      await ldapMirror?.stop();
      await upkeep.stop();
      if (ownsDb) await db.close();
    },
  };
}

function orgRuntime(org: OrgConnectionConfig, config: Config, options: StartOptions, db: Database): OrgRuntime {
  let extraCaPem: string | undefined;
  if (org.extraCaFile) {
    extraCaPem = loadExtraCa(org.extraCaFile);
    trustExtraCaForHttps(extraCaPem);
  }
  return new OrgRuntime({
    db,
    logger: options.logger,
    defaultCountry: config.defaultCountry as CountryCode,
    writeback: config.writeback,
    subscriber: options.subscriber,
    initialSync: options.initialSync,
    initialSyncPageSize: options.initialSyncPageSize,
    electionRetryMs: options.electionRetryMs,
    status: options.status,
    userExtensionField: config.calls?.userExtensionField,
    connection: {
      id: org.id,
      name: org.orgName,
      loginUrl: org.loginUrl,
      authFlow: org.authFlow,
      clientId: org.clientId,
      clientSecret: org.clientSecret,
      username: org.username,
      privateKey: org.privateKey,
      apiVersion: org.apiVersion,
      pubSubEndpoint: org.pubSubEndpoint,
      namespace: org.namespace,
      extraCaPem,
    },
  });
}
