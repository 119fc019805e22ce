import { underSavepoint } from '../../src/store/savepoint';
import { describeEachBackend, resetDatabase } from '../support/backends';

describeEachBackend('savepoints', (getDb) => {
  beforeEach(() => resetDatabase(getDb()));

  const actions = async () =>
    (await getDb().query<{ action: string }>('SELECT action FROM audit_log ORDER BY id')).rows.map((r) => r.action);
  const note = (q: { query: (text: string, params?: unknown[]) => Promise<unknown> }, action: string) =>
    q.query(`INSERT INTO audit_log (origin, action) VALUES ('system', $1)`, [action]);

  it('keeps the writes of a step that succeeds and returns its result', async () => {
    await getDb().transaction(async (tx) => {
      expect(await underSavepoint(tx, 'step', async () => (await note(tx, 'kept'), 42))).toBe(42);
    });
    expect(await actions()).toEqual(['kept']);
  });

  it('undoes only the failing step: its error is rethrown and the transaction goes on', async () => {
    await getDb().transaction(async (tx) => {
      await note(tx, 'before');
      await expect(
        underSavepoint(tx, 'step', async () => {
          await note(tx, 'undone');
          // A failed statement aborts the transaction until the savepoint is rolled back to.
          await tx.query('SELECT 1 / 0');
        }),
      ).rejects.toThrow(/division by zero/);
      await underSavepoint(tx, 'step', () => note(tx, 'after'));
    });
    expect(await actions()).toEqual(['before', 'after']);
  });
});
