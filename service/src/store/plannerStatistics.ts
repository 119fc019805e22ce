import type { Queryable } from './types';

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
