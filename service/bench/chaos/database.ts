import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { privateClusterUnavailable, startPrivateCluster, type PrivateCluster } from '../../test/support/privateCluster';
import { SERVICE_APP_NAME } from './serviceLauncher';

/**
 * The PostgreSQL server the trials' databases live on: DATABASE_URL's, or else a private cluster (initdb in a
 * temporary directory) when this machine has the PostgreSQL binaries. PGlite is not offered: it is embedded
 * in the service's process, so the runner could not read the directory while the service runs, and a
 * SIGKILL trial on it would test the WASM build's file handling rather than the service.
 */
export interface DatabaseServer {
  /** 'DATABASE_URL' or 'private cluster'. */
  kind: string;
  url: string;
  /** A fresh database for one trial and how to drop it. */
  scratch(): Promise<{ url: string; drop(): Promise<void> }>;
  close(): Promise<void>;
}

export async function adminQuery(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** A server on `url`: trial databases are made there and dropped afterwards. */
export function serverAt(
  url: string,
  kind: string,
  onClose: () => Promise<void> = async () => undefined,
): DatabaseServer {
  return {
    kind,
    url,
    async scratch() {
      const name = `sb_chaos_${randomBytes(5).toString('hex')}`;
      await adminQuery(url, `CREATE DATABASE ${name}`);
      const next = new URL(url);
      next.pathname = `/${name}`;
      return {
        url: next.toString(),
        drop: async () => {
          await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      };
    },
    close: onClose,
  };
}

/** A private cluster as a trial server (its own restart is then the trial's to make). */
export async function privateServer(): Promise<{ server: DatabaseServer; cluster: PrivateCluster }> {
  const cluster = await startPrivateCluster();
  return { server: serverAt(cluster.url, 'private cluster', () => cluster.destroy()), cluster };
}

/** DATABASE_URL's server, else a private cluster, else why the trials cannot run here. */
export async function defaultServer(): Promise<DatabaseServer | string> {
  const url = process.env.DATABASE_URL;
  if (url) return serverAt(url, 'DATABASE_URL');
  const reason = privateClusterUnavailable();
  if (reason) return `no PostgreSQL: DATABASE_URL is not set and ${reason}`;
  return (await privateServer()).server;
}

/** Ends every backend the service process holds on `databaseUrl` (pg_terminate_backend); returns how many. */
export async function terminateServiceBackends(databaseUrl: string): Promise<number> {
  const { rows } = await adminQuery(
    databaseUrl,
    `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`,
    [SERVICE_APP_NAME],
  );
  return (rows[0] as { n: number }).n;
}
