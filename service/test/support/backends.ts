/**
 * Runs store tests against every database backend the service supports: embedded PGlite always, real
 * PostgreSQL when DATABASE_URL is set. Each test file gets a private PostgreSQL database
 * (`sb_<random>`, dropped afterwards), so files run in parallel without seeing each other's rows.
 *
 *   describeEachBackend('contacts', (getDb) => {
 *     beforeEach(() => resetDatabase(getDb()));
 *     it('...', async () => { await insertContact(getDb(), ...) });
 *   });
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import type { Database } from '../../src/store/types';

export type BackendKind = Database['kind'];

export interface BackendInfo {
  kind: BackendKind;
  /** postgres only: URL of this suite's private database, for opening a second pool on it. */
  databaseUrl?: string;
}

export interface DescribeEachBackendOptions {
  /** Apply the service's migrations before the tests (default true). */
  migrate?: boolean;
}

/** Opening PGlite (initdb in WebAssembly) takes seconds; hooks get far more than jest's default 5 s. */
export const BACKEND_HOOK_TIMEOUT_MS = 60_000;

export function postgresUrlFromEnv(): string | undefined {
  const url = process.env.DATABASE_URL?.trim();
  return url ? url : undefined;
}

export interface TemporaryDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database next to the one `adminUrl` names; `drop()` removes it even with sessions open. */
export async function createTemporaryDatabase(adminUrl: string): Promise<TemporaryDatabase> {
  const name = `sb_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Empties every service table (not schema_migrations) and restarts the id sequences. */
export async function resetDatabase(db: Database): Promise<void> {
  const { rows } = await db.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'",
  );
  if (rows.length === 0) return;
  await db.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
}

interface Backend {
  kind: BackendKind;
  /** Why the backend is skipped, or undefined when it runs. */
  skipReason?: string;
  open(): Promise<{ db: Database; info: BackendInfo; dispose(): Promise<void> }>;
}

function backends(): Backend[] {
  const postgresUrl = postgresUrlFromEnv();
  return [
    {
      kind: 'pglite',
      async open() {
        const db = await openDatabase({});
        return { db, info: { kind: 'pglite' }, dispose: () => db.close() };
      },
    },
    {
      kind: 'postgres',
      skipReason: postgresUrl ? undefined : 'set DATABASE_URL to run',
      async open() {
        const temporary = await createTemporaryDatabase(postgresUrl as string);
        const db = await openDatabase({ databaseUrl: temporary.url });
        return {
          db,
          info: { kind: 'postgres', databaseUrl: temporary.url },
          async dispose() {
            await db.close();
            await temporary.drop();
          },
        };
      },
    },
  ];
}

/**
 * Declares `describe(name (backend))` once per backend. `getDb()` is valid inside hooks and tests
 * (not while the suite is being declared).
 */
export function describeEachBackend(
  name: string,
  body: (getDb: () => Database, backend: BackendInfo) => void,
  options: DescribeEachBackendOptions = {},
): void {
  for (const backend of backends()) {
    const title = `${name} (${backend.kind}${backend.skipReason ? `: ${backend.skipReason}` : ''})`;
    (backend.skipReason ? describe.skip : describe)(title, () => {
      let db: Database | undefined;
      let dispose: (() => Promise<void>) | undefined;
      const info: BackendInfo = { kind: backend.kind };

      beforeAll(async () => {
        const opened = await backend.open();
        db = opened.db;
        dispose = opened.dispose;
        Object.assign(info, opened.info);
        if (options.migrate !== false) await migrate(db);
      }, BACKEND_HOOK_TIMEOUT_MS);

      afterAll(async () => {
        await dispose?.();
      }, BACKEND_HOOK_TIMEOUT_MS);

      body(() => {
        if (!db) throw new Error('getDb() called before the backend was opened (use it inside hooks and tests)');
        return db;
      }, info);
    });
  }
}
