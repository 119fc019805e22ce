import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/store/db';
import type { Database } from '../../src/store/types';

export interface ScratchDatabase {
  db: Database;
  /** 'postgres' (a database of its own on the DATABASE_URL server) or 'pglite' (embedded, on disk). */
  kind: Database['kind'];
  /** Postgres only: the URL of the scratch database. */
  url?: string;
  drop(): Promise<void>;
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Real Postgres when DATABASE_URL is set (a fresh database, dropped afterwards), else PGlite in `dir`. */
export async function scratchDatabase(dir: string): Promise<ScratchDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const db = await openDatabase({ dataDir: join(dir, 'data') });
    return { db, kind: 'pglite', drop: () => db.close() };
  }
  const name = `sb_bench_${randomBytes(5).toString('hex')}`;
  await admin(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString() });
  return {
    db,
    kind: 'postgres',
    url: url.toString(),
    async drop() {
      await db.close();
      await admin(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
