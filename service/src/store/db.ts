import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { redactUrlPassword, type Logger } from '../log';
import { lockDirectory, type DirectoryLock } from './state/directoryLock';
import { startPgliteServer, type PgliteServer } from './pgliteWorker';
import { asUnavailable, isDatabaseUnavailable, OutageLog } from './availability';
import type { Database, QueryResultLike, Queryable, SessionConnection } from './types';

export interface OpenDatabaseOptions {
  /** Real PostgreSQL when set. */
  databaseUrl?: string;
  /** Embedded PGlite in `<dataDir>/pglite`; undefined (and no databaseUrl) = in-memory PGlite. */
  dataDir?: string;
  logger?: Logger;
  /** Prepare statements with parameters once per connection (default true); see preparedStatement(). */
  preparedStatements?: boolean;
  /** How long opening a connection to PostgreSQL may take, in ms (DATABASE_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
}

/** A host that drops packets would otherwise keep a new connection (and the request waiting on it) for ever. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** How a query reaches pg: prepared by name, or as it is. */
type StatementOf = (text: string, params?: unknown[]) => string | pg.QueryConfig;

const unprepared: StatementOf = (text, params) => (params && params.length > 0 ? { text, values: params } : text);

/** Real Postgres serves many sessions; ten covers the subscriber, outbox worker, syncs and HTTP traffic. */
const POSTGRES_POOL_SIZE = 10;

/** Path of the PGlite data directory inside the service's data directory. */
export function pgliteDirectory(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

/**
 * An error the server reported about the statement (it carries a SQLSTATE): the connection itself is fine.
 * Not the server's own "terminating connection" (57P01…), after which the connection is dead.
 */
function isServerError(error: unknown): boolean {
  return error instanceof pg.DatabaseError && !isDatabaseUnavailable(error);
}

const statementNames = new Map<string, string>();

/**
 * A statement with parameters is prepared once per connection, named by its text, and then only bound
 * and run: parsing and planning were most of the server's time for the per-record statements (an event's
 * ten, a join's), more than running them. Without parameters it goes as a simple query (migrations hold
 * several statements, which a prepared statement cannot).
 */
export function preparedStatement(text: string, params?: unknown[]): string | pg.QueryConfig {
  if (!params || params.length === 0) return text;
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `sb_${createHash('sha1').update(text).digest('base64url')}`;
    statementNames.set(text, name);
  }
  return { name, text, values: params };
}

function clientQueryable(client: pg.PoolClient, statementOf: StatementOf): Queryable {
  return {
    async query<R extends object>(text: string, params?: unknown[]): Promise<QueryResultLike<R>> {
      const result = await client.query<R>(statementOf(text, params));
      return { rows: result.rows, rowCount: result.rowCount };
    },
  };
}

/**
 * Like pool.query, but a connection goes back to the pool after an SQL error (a unique violation, say)
 * instead of being closed: pg-pool closes it on any error, and on PGlite the replacement connection can
 * race the closing one.
 */
function poolQueryable(pool: pg.Pool, statementOf: StatementOf, outages: OutageLog): Queryable {
  return {
    async query<R extends object>(text: string, params?: unknown[]): Promise<QueryResultLike<R>> {
      const client = await connect(pool, outages);
      let broken: Error | undefined;
      try {
        const result = await client.query<R>(statementOf(text, params));
        outages.succeeded();
        return { rows: result.rows, rowCount: result.rowCount };
      } catch (error) {
        if (!isServerError(error)) broken = error instanceof Error ? error : new Error(String(error));
        throw noted(error, outages);
      } finally {
        client.release(broken);
      }
    },
  };
}

/** A connection from the pool; failing to get one is an outage (DatabaseUnavailableError) when it is one. */
async function connect(pool: pg.Pool, outages: OutageLog): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw noted(error, outages);
  }
}

/** `error` as callers should see it: an outage becomes DatabaseUnavailableError, and is logged once. */
function noted(error: unknown, outages: OutageLog): unknown {
  const seen = asUnavailable(error);
  if (seen !== error) outages.failed(seen);
  return seen;
}

async function runTransaction<T>(
  pool: pg.Pool,
  statementOf: StatementOf,
  outages: OutageLog,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const client = await connect(pool, outages);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN').catch((error: unknown) => {
      broken = error instanceof Error ? error : new Error(String(error));
      throw noted(error, outages);
    });
    try {
      const result = await fn(clientQueryable(client, statementOf));
      await client.query('COMMIT');
      outages.succeeded();
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // A connection that cannot roll back must not go back to the pool half inside a transaction.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw noted(error, outages);
    }
  } finally {
    client.release(broken);
  }
}

function createDatabase(
  kind: Database['kind'],
  pool: pg.Pool,
  prepare: boolean,
  outages: OutageLog,
  closeExtra: () => Promise<void>,
): Database {
  const statementOf = prepare ? preparedStatement : unprepared;
  const queryable = poolQueryable(pool, statementOf, outages);
  let closing: Promise<void> | undefined;
  return {
    kind,
    query: queryable.query,
    transaction: (fn) => runTransaction(pool, statementOf, outages, fn),
    close() {
      closing ??= (async () => {
        await pool.end();
        await closeExtra();
      })();
      return closing;
    },
  };
}

/**
 * A client whose connection breaks emits 'error' — while idle (the pool passes it on as its own 'error')
 * and while checked out (a server restart or pg_terminate_backend between or during queries). Unhandled,
 * either ends the process. Every client gets a handler for its whole life: the pool then drops the dead
 * client (on release, as it is no longer queryable), and its user sees the failure from its next query.
 */
function watchPool(pool: pg.Pool, logger: Logger | undefined, kind: Database['kind']): OutageLog {
  const outages = new OutageLog(logger, kind);
  const onError = (error: Error) => {
    if (isDatabaseUnavailable(error)) outages.failed(error);
    else logger?.warn({ err: error, kind }, 'database connection failed');
  };
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return outages;
}

/**
 * pg's Client with a bound on opening its connection (TCP and start-up). Given to the pool as its Client
 * rather than as the pool's own connectionTimeoutMillis, which would also bound the wait for a free pooled
 * connection: under load that wait is no outage, and must not be reported as one.
 */
function clientWithConnectTimeout(connectTimeoutMs: number): typeof pg.Client {
  return class extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super({
        ...(typeof config === 'string' ? { connectionString: config } : config),
        connectionTimeoutMillis: connectTimeoutMs,
      });
    }
  };
}

async function openPostgres(
  databaseUrl: string,
  logger: Logger | undefined,
  prepare: boolean,
  connectTimeoutMs: number,
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: POSTGRES_POOL_SIZE,
    Client: clientWithConnectTimeout(connectTimeoutMs),
  });
  const outages = watchPool(pool, logger, 'postgres');
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`Cannot connect to DATABASE_URL (${redactUrlPassword(databaseUrl)}): ${(error as Error).message}`, {
      cause: error,
    });
  }
  logger?.info({ database: redactUrlPassword(databaseUrl) }, 'connected to PostgreSQL');
  return {
    ...createDatabase('postgres', pool, prepare, outages, async () => undefined),
    openSession: () => openSessionConnection(databaseUrl, connectTimeoutMs),
  };
}

async function openSessionConnection(databaseUrl: string, connectTimeoutMs: number): Promise<SessionConnection> {
  // keepAlive: a half-open connection is noticed (and its session state given up) instead of hanging.
  const client = new pg.Client({
    connectionString: databaseUrl,
    keepAlive: true,
    connectionTimeoutMillis: connectTimeoutMs,
  });
  let closed = false;
  const listeners: Array<(error?: Error) => void> = [];
  const close = (error?: Error) => {
    if (closed) return;
    closed = true;
    for (const listener of listeners) listener(error);
  };
  // Unhandled, a client's 'error' would end the process.
  client.on('error', (error) => close(error));
  client.on('end', () => close());
  await client.connect();
  return {
    async query<R extends object>(text: string, params?: unknown[]): Promise<QueryResultLike<R>> {
      const result = await client.query<R>(text, params);
      return { rows: result.rows, rowCount: result.rowCount };
    },
    onClose: (listener) => {
      if (closed) listener();
      else listeners.push(listener);
    },
    async end() {
      await client.end().catch(() => undefined);
      close();
    },
  };
}

/**
 * PGlite is one backend session (in a worker thread, see pgliteWorker.ts) reached over the Postgres wire
 * protocol, so the rest of the service uses `pg` alike for both backends. A pool of ONE connection keeps
 * transactions from interleaving on that single session.
 */
async function openPglite(
  dataDir: string | undefined,
  logger: Logger | undefined,
  prepare: boolean,
): Promise<Database> {
  let directory: string | undefined;
  let lock: DirectoryLock | undefined;
  if (dataDir !== undefined) {
    directory = path.resolve(pgliteDirectory(dataDir));
    fs.mkdirSync(directory, { recursive: true });
    lock = lockDirectory(path.dirname(directory), directory);
  }
  let server: PgliteServer | undefined;
  let pool: pg.Pool | undefined;
  let outages: OutageLog;
  try {
    server = await startPgliteServer(directory, logger);
    pool = new pg.Pool({ connectionString: `postgres://postgres@${server.address}/postgres`, max: 1 });
    outages = watchPool(pool, logger, 'pglite');
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      throw new Error(`Cannot connect to the embedded PGlite database: ${(error as Error).message}`, { cause: error });
    }
  } catch (error) {
    await pool?.end().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    lock?.release();
    throw error;
  }
  logger?.info({ dataDir: directory ?? 'in memory' }, 'opened embedded PGlite database');
  const started = server;
  return createDatabase('pglite', pool, prepare, outages, async () => {
    try {
      await started.stop();
    } finally {
      lock?.release();
    }
  });
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const prepare = options.preparedStatements ?? true;
  if (options.databaseUrl)
    return openPostgres(
      options.databaseUrl,
      options.logger,
      prepare,
      options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    );
  return openPglite(options.dataDir, options.logger, prepare);
}

/** Whether the database answers (the /healthz probe): throws when it does not. */
export async function pingDatabase(q: Queryable): Promise<void> {
  await q.query('select 1');
}
