import { openDatabase, preparedStatement } from '../../src/store/db';

const preparedStatementName = (text: string): string => (preparedStatement(text, [0]) as { name: string }).name;
import { describeEachBackend } from '../support/backends';

describeEachBackend(
  'database',
  (getDb, backend) => {
    beforeAll(async () => {
      await getDb().query('CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY, note text)');
    });
    beforeEach(async () => {
      await getDb().query('TRUNCATE t');
    });

    it('reports its kind and runs parameterised queries', async () => {
      expect(getDb().kind).toBe(backend.kind);
      const { rows, rowCount } = await getDb().query<{ sum: number; uuid: string }>(
        'SELECT $1::int + $2::int AS sum, gen_random_uuid()::text AS uuid',
        [2, 3],
      );
      expect(rowCount).toBe(1);
      expect(rows[0]?.sum).toBe(5);
      expect(rows[0]?.uuid).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('prepares a statement with parameters once per connection and runs it again by name', async () => {
      const text = 'SELECT note FROM t WHERE id = $1';
      await getDb().transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (7, 'seven'), (8, 'eight')");
        expect((await tx.query<{ note: string }>(text, [7])).rows).toEqual([{ note: 'seven' }]);
        expect((await tx.query<{ note: string }>(text, [8])).rows).toEqual([{ note: 'eight' }]);
        const { rows } = await tx.query<{ name: string }>(
          `SELECT name FROM pg_prepared_statements WHERE statement = '${text}'`,
        );
        expect(rows).toEqual([{ name: preparedStatementName(text) }]);
      });
      // Without parameters: a simple query, which may hold several statements.
      expect(preparedStatement('SELECT 1; SELECT 2')).toBe('SELECT 1; SELECT 2');
    });

    it('commits a transaction and returns its result', async () => {
      const result = await getDb().transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (1, 'one')");
        await tx.query("INSERT INTO t VALUES (2, 'two')");
        return 'ok';
      });
      expect(result).toBe('ok');
      const { rows } = await getDb().query('SELECT id FROM t ORDER BY id');
      expect(rows).toEqual([{ id: 1 }, { id: 2 }]);
    });

    it('rolls back when the function throws, rethrows, and releases the connection', async () => {
      await expect(
        getDb().transaction(async (tx) => {
          await tx.query("INSERT INTO t VALUES (1, 'one')");
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await expect(
        getDb().transaction(async (tx) => {
          await tx.query("INSERT INTO t VALUES (2, 'two')");
          await tx.query("INSERT INTO t VALUES (2, 'duplicate')");
        }),
      ).rejects.toThrow(/duplicate key/);
      const { rows } = await getDb().query('SELECT count(*)::int AS n FROM t');
      expect(rows[0]).toEqual({ n: 0 });
      // The single PGlite connection would be stuck inside the failed transaction if it leaked.
      const again = await getDb().transaction(async (tx) => (await tx.query('SELECT 1 AS one')).rows);
      expect(again).toEqual([{ one: 1 }]);
    });

    it('keeps working after SQL errors outside a transaction', async () => {
      await getDb().query('INSERT INTO t VALUES ($1, $2)', [1, 'one']);
      for (let i = 0; i < 3; i++) {
        await expect(getDb().query('INSERT INTO t VALUES ($1, $2)', [1, 'again'])).rejects.toThrow(/duplicate key/);
        await expect(getDb().query('SELECT $1::int / 0', [1])).rejects.toThrow(/division by zero/);
      }
      const { rows } = await getDb().query('SELECT note FROM t');
      expect(rows).toEqual([{ note: 'one' }]);
    });

    it('keeps concurrent transactions apart', async () => {
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          getDb()
            .transaction(async (tx) => {
              await tx.query('INSERT INTO t VALUES ($1, $2)', [i, `n${i}`]);
              if (i % 2 === 1) throw new Error(`fail ${i}`);
            })
            .catch(() => undefined),
        ),
      );
      const { rows } = await getDb().query<{ id: number }>('SELECT id FROM t ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual([0, 2, 4]);
    });
  },
  { migrate: false },
);

describe('prepared statements switched off (DATABASE_PREPARED_STATEMENTS=false)', () => {
  it('sends statements with parameters unnamed, as a pooler in transaction mode needs', async () => {
    const db = await openDatabase(
      process.env.DATABASE_URL
        ? { databaseUrl: process.env.DATABASE_URL, preparedStatements: false }
        : { preparedStatements: false },
    );
    try {
      await db.transaction(async (tx) => {
        expect((await tx.query<{ n: number }>('SELECT $1::int + 1 AS n', [41])).rows).toEqual([{ n: 42 }]);
        expect((await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements')).rows).toEqual([
          { n: 0 },
        ]);
      });
      expect((await db.query<{ n: number }>('SELECT $1::int AS n', [7])).rows).toEqual([{ n: 7 }]);
    } finally {
      await db.close();
    }
  });
});

describe('openDatabase errors', () => {
  it('names DATABASE_URL (without the password) when PostgreSQL is unreachable', async () => {
    await expect(openDatabase({ databaseUrl: 'postgres://user:hunter2@127.0.0.1:1/none' })).rejects.toThrow(
      /Cannot connect to DATABASE_URL \(postgres:\/\/user:\*\*\*@127\.0\.0\.1:1\/none\)/,
    );
  });

  it('close() can be called twice', async () => {
    const db = await openDatabase({});
    await db.close();
    await expect(db.close()).resolves.toBeUndefined();
  }, 60_000);
});
