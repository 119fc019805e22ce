import type { Queryable } from './types';

/**
 * Runs `fn` under a savepoint of the caller's transaction: released when it succeeds; rolled back to when
 * it throws (the error is rethrown), so the transaction goes on without fn's writes — one bad item of a
 * batch does not undo the others. `name` must be an SQL identifier (it is written into the statements).
 */
export async function underSavepoint<T>(tx: Queryable, name: string, fn: () => Promise<T>): Promise<T> {
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw err;
  }
}
