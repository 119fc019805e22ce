import type { Database, Queryable } from './types';
import { ADVISORY_LOCKS } from './advisoryLocks';

/** The tables a bulk load grows; the per-record rules and the status queries join them. */
const LOADED_TABLES = ['directory_contacts', 'directory_phones', 'links', 'record_health'];

/**
 * Refreshes the planner's statistics of the tables a load writes. Autovacuum analyzes at most once a
 * minute per table, after 10 % of it changed: a load that grows the tables from nothing to a million
 * rows in less time leaves the planner believing they are empty, and it then picks nested loops over
 * whole tables (a count of the links took minutes at 100,000 rows). ANALYZE samples a fixed number of
 * rows, so it costs a fraction of a second whatever the size.
 */
export async function refreshLoadedTableStatistics(q: Queryable): Promise<void> {
  await q.query(`ANALYZE ${LOADED_TABLES.join(', ')}`);
}

/** Whether the load should refresh the statistics after this many pages: when the tables doubled (1, 2, 4, 8, … pages). */
export function statisticsDueAfterPage(pages: number): boolean {
  return pages > 0 && (pages & (pages - 1)) === 0;
}

/**
 * A table's statistics are stale once this many rows changed since they were taken, plus STALE_SHARE of its
 * rows: autovacuum's own rule (50 rows + 10 %) with a higher floor, so small tables are not analyzed for a
 * handful of changes.
 */
const STALE_FLOOR = 500;
const STALE_SHARE = 0.1;

/** The advisory lock that lets one instance at a time refresh the statistics. */
const UPKEEP_LOCK = ADVISORY_LOCKS.statisticsUpkeep;

/**
 * How long ANALYZE may wait for a table's lock (autovacuum, or another instance's ANALYZE, holds one that
 * conflicts): it then gives up until the next look instead of queueing behind them.
 */
const ANALYZE_LOCK_TIMEOUT = '2s';

/**
 * Refreshes the statistics of this schema's tables that changed by more than the stale share since they were
 * last analyzed, and returns their names (empty when none was, or another instance is at it). Why the
 * service does this beside autovacuum: autovacuum looks at a table at most once a minute and only when a
 * worker is free, and an outbox, a health table or the record statuses change state in bursts within that
 * minute, leaving plans built for "nearly every row is done" (the claim and status queries were quadratic
 * under them); PGlite, what `npm start` runs on, has no autovacuum at all, so its tables were never analyzed
 * after a load's own ANALYZE. The counts come from the cumulative statistics, which every backend reports
 * when it goes idle (PGlite's one backend included).
 */
export async function refreshStaleStatistics(db: Database): Promise<string[]> {
  return db.transaction(async (tx) => {
    const { rows: lock } = await tx.query<{ held: boolean }>('SELECT pg_try_advisory_xact_lock($1::int, 0) AS held', [
      UPKEEP_LOCK,
    ]);
    if (!lock[0]?.held) return [];
    const { rows } = await tx.query<{ relname: string }>(
      `SELECT relname FROM pg_stat_user_tables
        WHERE schemaname = current_schema() AND n_mod_since_analyze >= $1::float8 + $2::float8 * n_live_tup
        ORDER BY relname`,
      [STALE_FLOOR, STALE_SHARE],
    );
    const tables = rows.map((r) => r.relname);
    if (tables.length === 0) return tables;
    await tx.query(`SET LOCAL lock_timeout = '${ANALYZE_LOCK_TIMEOUT}'`);
    // Names from the catalog, quoted as identifiers: a name with a double quote in it is doubled, not trusted.
    await tx.query(`ANALYZE ${tables.map((t) => `"${t.replace(/"/g, '""')}"`).join(', ')}`);
    return tables;
  });
}
