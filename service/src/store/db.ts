import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../log';
import { startPgliteServer } from './pgliteWorker';
import type { Database, QueryResultLike, Queryable } from './types';

export interface OpenDatabaseOptions {
  /** Real PostgreSQL when set. */
  databaseUrl?: string;
  /** Embedded PGlite in `<dataDir>/pglite`; undefined (and no databaseUrl) = in-memory PGlite. */
  dataDir?: string;
  logger?: Logger;
}

/** Real Postgres serves many sessions; ten covers the subscriber, outbox worker, syncs and HTTP traffic. */
const POSTGRES_POOL_SIZE = 10;

/** Path of the PGlite data directory inside the service's data directory. */
export function pgliteDirectory(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

function wrapQueryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R extends object>(text: string, params?: unknown[]): Promise<QueryResultLike<R>> {
      const result = await client.query<R>(text, params);
      return { rows: result.rows, rowCount: result.rowCount };
    },
  };
}

async function runTransaction<T>(pool: pg.Pool, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const result = await fn(wrapQueryable(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // A connection that cannot roll back must not go back to the pool half inside a transaction.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

function createDatabase(kind: Database['kind'], pool: pg.Pool, closeExtra: () => Promise<void>): Database {
  const queryable = wrapQueryable(pool);
  let closing: Promise<void> | undefined;
  return {
    kind,
    query: queryable.query,
    transaction: (fn) => runTransaction(pool, fn),
    close() {
      closing ??= (async () => {
        await pool.end();
        await closeExtra();
      })();
      return closing;
    },
  };
}

function watchPool(pool: pg.Pool, logger: Logger | undefined, kind: Database['kind']): void {
  // An idle client losing its connection emits 'error' on the pool; unhandled, that would end the process.
  pool.on('error', (error) => logger?.warn({ err: error, kind }, 'idle database connection failed'));
}

async function openPostgres(databaseUrl: string, logger: Logger | undefined): Promise<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POSTGRES_POOL_SIZE });
  watchPool(pool, logger, 'postgres');
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`Cannot connect to DATABASE_URL (${redactUrl(databaseUrl)}): ${(error as Error).message}`, { cause: error });
  }
  logger?.info({ database: redactUrl(databaseUrl) }, 'connected to PostgreSQL');
  return createDatabase('postgres', pool, async () => undefined);
}

/**
 * PGlite is one backend session (in a worker thread, see pgliteWorker.ts) reached over the Postgres wire
 * protocol, so the rest of the service uses `pg` alike for both backends. A pool of ONE connection keeps
 * transactions from interleaving on that single session.
 */
async function openPglite(dataDir: string | undefined, logger: Logger | undefined): Promise<Database> {
  let directory: string | undefined;
  if (dataDir !== undefined) {
    directory = path.resolve(pgliteDirectory(dataDir));
    fs.mkdirSync(directory, { recursive: true });
  }
  const server = await startPgliteServer(directory, logger);
  const pool = new pg.Pool({ connectionString: `postgres://postgres@${server.address}/postgres`, max: 1 });
  watchPool(pool, logger, 'pglite');
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    await server.stop().catch(() => undefined);
    throw new Error(`Cannot connect to the embedded PGlite database: ${(error as Error).message}`, { cause: error });
  }
  logger?.info({ dataDir: directory ?? 'in memory' }, 'opened embedded PGlite database');
  return createDatabase('pglite', pool, () => server.stop());
}

export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.logger);
  return openPglite(options.dataDir, options.logger);
}
