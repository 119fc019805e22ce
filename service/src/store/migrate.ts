import type { Logger } from '../log';
import { MIGRATIONS, type Migration } from './migrations';
import type { Database, Queryable } from './types';

/**
 * Held for the length of each migration transaction, so instances starting together against one
 * database apply every migration exactly once. The value is arbitrary but fixed ("SWBMIGR" in ASCII).
 */
export const MIGRATION_LOCK_KEY = '23458365343090514';

async function lock(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
}

async function appliedVersions(q: Queryable): Promise<Map<number, string>> {
  const { rows } = await q.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations');
  return new Map(rows.map((r) => [r.version, r.name]));
}

function checkHistory(applied: Map<number, string>, migrations: readonly Migration[], logger?: Logger): void {
  const known = new Map(migrations.map((m) => [m.version, m.name]));
  for (const [version, name] of applied) {
    const expected = known.get(version);
    if (expected === undefined) {
      logger?.warn({ version, name }, 'database has a migration this build does not know (newer build ran here?)');
    } else if (expected !== name) {
      throw new Error(
        `schema_migrations: version ${version} was applied as "${name}" but this build calls it "${expected}"`,
      );
    }
  }
}

/** Applies pending migrations, each in its own transaction; safe to call repeatedly and concurrently. */
export async function migrate(
  db: Database,
  logger?: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<{ applied: string[] }> {
  await db.transaction(async (tx) => {
    await lock(tx);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const before = await appliedVersions(db);
  checkHistory(before, migrations, logger);

  const applied: string[] = [];
  for (const migration of migrations) {
    if (before.has(migration.version)) continue;
    const label = `${String(migration.version).padStart(3, '0')}_${migration.name}`;
    const ran = await db.transaction(async (tx) => {
      await lock(tx);
      // Another instance may have applied it while we waited for the lock.
      const { rows } = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (rows.length > 0) return false;
      try {
        await tx.query(migration.sql);
      } catch (error) {
        throw new Error(`Migration ${label} failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (ran) {
      applied.push(label);
      logger?.info({ migration: label }, 'applied migration');
    }
  }
  return { applied };
}
