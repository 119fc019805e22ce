import { randomUUID } from 'node:crypto';
import { claimOutboxBatch } from '../../../src/store/outbox/outbox';
import type { Database, Queryable } from '../../../src/store/types';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import { ORG_ID, seedOrg } from '../../support/fixtures';

/** Rows in the outbox: all done when the planner's statistics are taken, then half of them queued again. */
const ROWS = 2_000;

/**
 * The work a claim does with a backlog the planner's statistics have not caught up with — what a burst of calls
 * or a mass import leaves for a minute, until autovacuum analyzes the outbox (and for ever on PGlite, which has
 * no autovacuum). The outbox rows a claim reads are counted inside its own transaction
 * (pg_stat_get_xact_tuples_returned of the table and its indexes: that transaction's counts, exact and independent of the machine's
 * speed). The claim used to be one statement whose NOT EXISTS over "older rows in the way" was planned, with
 * such statistics, as a nested loop reading the whole backlog once per due row (2,000 s of ms a claim in the
 * calls bench); it must read the outbox a bounded number of times per row instead.
 */
describeEachBackend('claiming from a backlog the planner does not know about', (getDb) => {
  beforeAll(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
    // This file's database is its own and dropped afterwards.
    if (getDb().kind === 'postgres') await getDb().query('ALTER TABLE outbox SET (autovacuum_enabled = false)');
    await getDb().query(
      `INSERT INTO outbox (org_id, contact_id, sobject, record_id, operation, payload, payload_hash, state)
       SELECT $1, gen_random_uuid(), 'Contact', '003' || lpad(i::text, 15, '0'), 'update', '{"Title":"x"}', 'h', 'done'
         FROM generate_series(1, $2::int) i`,
      [ORG_ID, ROWS],
    );
    await getDb().query('ANALYZE outbox');
  });

  it('reads the outbox a bounded number of times per row and still holds back rows behind one in flight', async () => {
    const db = getDb();
    // Half the rows due again, one in 50 in flight under a live lease; every tenth due row shares its contact with
    // the in-flight row just before it (id − 1 when that one is in flight), so it must wait.
    await db.query(
      `UPDATE outbox SET state = 'pending', next_attempt_at = now() - interval '1 second' WHERE id % 2 = 0`,
    );
    await db.query(
      `UPDATE outbox SET state = 'processing', lease_until = now() + interval '10 minutes' WHERE id % 50 = 1`,
    );
    await db.query(
      `UPDATE outbox o SET contact_id = p.contact_id FROM outbox p
        WHERE p.id = o.id - 1 AND p.state = 'processing' AND o.state = 'pending' AND o.id % 10 = 2`,
    );
    const { rows: expected } = await db.query<{ id: string }>(
      `SELECT o.id::text AS id FROM outbox o
        WHERE o.state = 'pending' AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.id = o.id - 1 AND p.state = 'processing'
          AND p.contact_id = o.contact_id)
        ORDER BY o.id LIMIT 200`,
    );
    const heldBack = await db.query<{ id: string }>(
      `SELECT o.id::text AS id FROM outbox o JOIN outbox p ON p.id = o.id - 1 AND p.contact_id = o.contact_id
        WHERE o.state = 'pending' AND p.state = 'processing'`,
    );
    expect(heldBack.rows.length).toBeGreaterThan(5);

    const read: number[] = [];
    const claimed = await claimOutboxBatch(counting(db, read), {
      orgId: ORG_ID,
      limit: 200,
      leaseMs: 60_000,
      claimant: randomUUID(),
    });

    expect(claimed.map((i) => i.id)).toEqual(expected.map((r) => r.id));
    const claimedIds = new Set(claimed.map((i) => i.id));
    expect(heldBack.rows.filter((r) => claimedIds.has(r.id) && Number(r.id) < Number(expected.at(-1)?.id))).toEqual([]);
    // Reading each row of the outbox a few times (a page of due rows, the rows in their way, the update) is a few
    // thousand; one pass over the backlog per due row would be about a million.
    expect(read).toHaveLength(1);
    expect(read[0]).toBeLessThan(10 * ROWS);
  });
});

/** `db` whose transactions report, before they commit, how many outbox rows and index entries they read. */
function counting(db: Database, read: number[]): Database {
  // The xact counters of a backend also hold what its earlier transactions read until they are flushed (at most
  // once a second): the difference across the transaction is its own.
  const readSoFar = async (tx: Queryable): Promise<number> => {
    const { rows } = await tx.query<{ n: string }>(
      `SELECT pg_stat_get_xact_tuples_returned('outbox'::regclass)
            + (SELECT sum(pg_stat_get_xact_tuples_returned(indexrelid)) FROM pg_index WHERE indrelid = 'outbox'::regclass)
              AS n`,
    );
    return Number(rows[0]?.n);
  };
  return Object.assign(Object.create(db) as Database, {
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      db.transaction(async (tx) => {
        const before = await readSoFar(tx);
        const result = await fn(tx);
        read.push((await readSoFar(tx)) - before);
        return result;
      }),
  });
}
