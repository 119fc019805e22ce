import pino from 'pino';
import { DatabaseUpkeep, PROCESSED_EVENTS_KEPT_MS, WRITTEN_CHANGES_KEPT_MS } from '../../src/runtime/databaseUpkeep';
import { markEventProcessed } from '../../src/store/state/processedEvents';
import { ADVISORY_LOCKS } from '../../src/store/advisoryLocks';
import type { Queryable } from '../../src/store/types';
import type { Database } from '../../src/store/types';
import { describeEachBackend, resetDatabase } from '../support/backends';
import { ORG_ID, seedOrg } from '../support/fixtures';

const logger = pino({ level: 'silent' });

/** Inserts `n` done outbox rows in one transaction whose counts the backend reports as soon as it is idle. */
async function addOutboxRows(db: Database, n: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO outbox (org_id, contact_id, sobject, record_id, operation, payload, payload_hash, state)
       SELECT $1, gen_random_uuid(), 'Contact', '003' || lpad(i::text, 15, '0'), 'update', '{}', 'h', 'done'
         FROM generate_series(1, $2::int) i`,
      [ORG_ID, n],
    );
    await tx.query('SELECT pg_stat_force_next_flush()');
  });
}

interface TableCounts {
  modified: number;
  analyzed: number;
}

async function counts(db: Database, table: string): Promise<TableCounts> {
  const { rows } = await db.query<{ modified: string; analyzed: string }>(
    `SELECT n_mod_since_analyze AS modified, analyze_count + autoanalyze_count AS analyzed
       FROM pg_stat_user_tables WHERE relname = $1`,
    [table],
  );
  return { modified: Number(rows[0]?.modified ?? 0), analyzed: Number(rows[0]?.analyzed ?? 0) };
}

/** Waits for the cumulative statistics to show a condition (they are reported when a backend goes idle). */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await check()).toBe(true);
}

describeEachBackend('the database upkeep', (getDb, backend) => {
  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
    await getDb().query(`ANALYZE`);
  });

  it('analyzes the tables that changed by more than a tenth since their last analysis, and only those', async () => {
    const db = getDb();
    const upkeep = new DatabaseUpkeep({ db, logger });
    const outboxBefore = await counts(db, 'outbox');
    const auditBefore = await counts(db, 'audit_log');
    await addOutboxRows(db, 3_000);
    // A few changes to a small table: below the floor, not worth an analysis.
    await db.query(
      `INSERT INTO audit_log (org_id, origin, action) SELECT $1, 'telephony', 'update' FROM generate_series(1, 20)`,
      [ORG_ID],
    );
    await until(async () => (await counts(db, 'outbox')).modified >= 3_000);

    const { analyzed } = await upkeep.runOnce();

    expect(analyzed).toContain('outbox');
    expect(analyzed).not.toContain('audit_log');
    await until(async () => (await counts(db, 'outbox')).analyzed > outboxBefore.analyzed);
    expect((await counts(db, 'audit_log')).analyzed).toBe(auditBefore.analyzed);
    const { rows } = await db.query<{ reltuples: number }>(`SELECT reltuples FROM pg_class WHERE relname = 'outbox'`);
    expect(rows[0]?.reltuples).toBe(3_000);
    // Nothing changed since: the next look analyzes nothing.
    await until(async () => (await counts(db, 'outbox')).modified === 0);
    expect((await upkeep.runOnce()).analyzed).toEqual([]);
  });

  it('runs by itself once started, and leaves the work to the instance at it', async () => {
    const db = getDb();
    const before = await counts(db, 'outbox');
    if (backend.kind === 'postgres' && db.openSession) {
      // Another instance holds the upkeep's lock: this one leaves the tables alone.
      const other = await db.openSession();
      try {
        await other.query('SELECT pg_advisory_lock($1::int, 0)', [ADVISORY_LOCKS.statisticsUpkeep]);
        await addOutboxRows(db, 1_000);
        await until(async () => (await counts(db, 'outbox')).modified >= 1_000);
        expect((await new DatabaseUpkeep({ db, logger }).runOnce()).analyzed).toEqual([]);
      } finally {
        await other.end();
      }
    } else {
      await addOutboxRows(db, 1_000);
    }
    const upkeep = new DatabaseUpkeep({ db, logger, statisticsEveryMs: 20 });
    upkeep.start();
    try {
      await until(async () => (await counts(db, 'outbox')).analyzed > before.analyzed);
    } finally {
      await upkeep.stop();
    }
  });

  it('prunes event markers past the redelivery window and written changes past a week, hourly, keeping call Tasks', async () => {
    const db = getDb();
    const day = 86_400_000;
    for (const id of ['old-1', 'old-2', 'recent']) await markEventProcessed(db, ORG_ID, id);
    await db.query(
      `UPDATE processed_events SET processed_at = now() - $1 * interval '1 millisecond' WHERE event_id LIKE 'old-%'`,
      [PROCESSED_EVENTS_KEPT_MS + day],
    );
    await db.query(
      `INSERT INTO calls (call_id, source, direction, from_number, to_number, started_at, disposition, leg_ids)
       VALUES ('c-1', 'api', 'inbound', '+12025550100', '201', now(), 'answered', '{c-1}')`,
    );
    await db.query(
      `INSERT INTO outbox (org_id, contact_id, sobject, record_id, operation, payload, payload_hash, state, call_id)
       SELECT $1, gen_random_uuid(), 'Contact', '003' || lpad(i::text, 15, '0'), 'update', '{}', 'h', s.state, NULL
         FROM generate_series(1, 3) i, (VALUES ('done'), ('failed'), ('pending')) s(state)`,
      [ORG_ID],
    );
    await db.query(
      `INSERT INTO outbox (org_id, contact_id, sobject, record_id, operation, payload, payload_hash, state, call_id)
       SELECT $1, NULL, 'Task', '00T000000000001AAA', 'create', '{}', 'h', 'done', id FROM calls`,
      [ORG_ID],
    );
    // Everything but one written change is old; only the old written changes that are not a call's Task go.
    await db.query(
      `UPDATE outbox SET updated_at = now() - $1 * interval '1 millisecond' WHERE record_id <> '003000000000000003'`,
      [WRITTEN_CHANGES_KEPT_MS + day],
    );
    const upkeep = new DatabaseUpkeep({ db, logger });
    const now = Date.now();

    expect((await upkeep.runOnce(now)).pruned).toEqual({ processedEvents: 2, writtenChanges: 2 });
    const { rows } = await db.query<{ state: string; n: number }>(
      `SELECT state || CASE WHEN call_id IS NULL THEN '' ELSE ' call' END AS state, count(*)::int AS n
         FROM outbox GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual([
      { state: 'done', n: 1 },
      { state: 'done call', n: 1 },
      { state: 'failed', n: 3 },
      { state: 'pending', n: 3 },
    ]);
    const markers = await db.query<{ event_id: string }>('SELECT event_id FROM processed_events');
    expect(markers.rows.map((r) => r.event_id)).toEqual(['recent']);
    // Within the hour the next look does not prune; an hour on, it does (nothing left to delete).
    expect((await upkeep.runOnce(now + 60_000)).pruned).toBeUndefined();
    expect((await upkeep.runOnce(now + 3_600_000)).pruned).toEqual({ processedEvents: 0, writtenChanges: 0 });
  });

  if (backend.kind === 'postgres') {
    it('holds up no record while it analyzes: a match takes its keys during an ANALYZE (CI lost 90 s of applies)', async () => {
      const db = getDb();
      await addOutboxRows(db, 3_000);
      await until(async () => (await counts(db, 'outbox')).modified >= 3_000);
      // The upkeep's transaction is held just before its ANALYZE, its own lock taken.
      let reached!: () => void;
      const atAnalyze = new Promise<void>((resolve) => (reached = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const paused = Object.assign(Object.create(db) as Database, {
        transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
          db.transaction((tx) =>
            fn({
              query: (async (text: string, params?: unknown[]) => {
                if (text.startsWith('ANALYZE')) {
                  reached();
                  await gate;
                }
                return tx.query(text, params);
              }) as Queryable['query'],
            }),
          ),
      });
      const round = new DatabaseUpkeep({ db: paused, logger }).runOnce();
      await atAnalyze;
      const other = await db.openSession?.();
      try {
        // What every record's match takes first (store/state/matchKeyLocks.ts lockMatchKeys).
        await other?.query('BEGIN');
        const { rows } = (await other?.query<{ got: boolean }>(
          'SELECT pg_try_advisory_xact_lock_shared($1::int, 0) AS got',
          [ADVISORY_LOCKS.allMatchKeys],
        )) ?? { rows: [] };
        expect(rows[0]?.got).toBe(true);
        await other?.query('ROLLBACK');
      } finally {
        release();
        await other?.end();
      }
      expect((await round).analyzed).toContain('outbox');
    });
  }
});
