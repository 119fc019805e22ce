/**
 * Run as its own process (`tsx connectionLossScenario.ts <database url>`) by store/connectionLoss.test.ts:
 * an unhandled 'error' event ends a process, which a test must see from outside. It opens the service's
 * database, holds a transaction open (a checked-out client between queries), runs a long query (a
 * checked-out client waiting on the server), leaves clients idle in the pool, and then ends every one of
 * their backends from a separate connection with pg_terminate_backend. It prints one JSON line with what
 * the service's callers saw and exits 0 only if the process lived and the database answered again.
 */
import pg from 'pg';
import { openDatabase } from '../../src/store/db';
import { isDatabaseUnavailable } from '../../src/store/availability';

const url = process.argv[2];

/** What a failed call showed its caller. */
function seen(err: unknown): { unavailable: boolean; message: string } {
  return { unavailable: isDatabaseUnavailable(err), message: err instanceof Error ? err.message : String(err) };
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const db = await openDatabase({ databaseUrl: url });
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const backends = async () =>
    Number(
      (
        await admin.query<{ n: string }>(
          'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        )
      ).rows[0].n,
    );

  // Three clients in the pool, idle once these return.
  await Promise.all([1, 2, 3].map(() => db.query('SELECT pg_sleep(0.05)')));

  // A transaction that stays open between queries until `release` is called.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let began!: () => void;
  const begun = new Promise<void>((resolve) => (began = resolve));
  const transaction = db
    .transaction(async (tx) => {
      await tx.query('SELECT 1');
      began();
      await gate;
      await tx.query('SELECT 2');
    })
    .then(
      () => ({ unavailable: false, message: 'committed' }),
      (err: unknown) => seen(err),
    );
  await begun;
  // A query the server is running when its backend is ended.
  const longQuery = db.query('SELECT pg_sleep(30)').then(
    () => ({ unavailable: false, message: 'finished' }),
    (err: unknown) => seen(err),
  );
  await until(
    async () =>
      (
        await admin.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query = 'SELECT pg_sleep(30)' AND state = 'active'",
        )
      ).rows.length > 0,
    'the long query to run',
  );

  const before = await backends();
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  await until(async () => (await backends()) === 0, 'the backends to end');
  const long = await longQuery;
  release();
  const tx = await transaction;

  // A fresh query must find (or open) a live connection; several round trips let any pending socket
  // 'end' of the dead clients be handled first, where an unhandled 'error' would end this process.
  const after: Array<{ unavailable: boolean; message: string }> = [];
  for (let i = 0; i < 5; i++) {
    after.push(
      await db.query<{ ok: number }>('SELECT 1 AS ok').then(
        (r) => ({ unavailable: false, message: `ok ${r.rows[0].ok}` }),
        (err: unknown) => seen(err),
      ),
    );
  }
  await admin.end();
  await db.close();
  process.stdout.write(`${JSON.stringify({ lived: true, before, long, tx, after })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
});
