/**
 * Salesforce answered but the database went away before the outcome was recorded (the chaos trials'
 * cluster restart): that is an outage, not a bad write. Nothing is parked as failing, no error with a
 * stack is logged per record, and the round fails so the rows stay claimed for a worker to take back.
 */
import pino from 'pino';
import { Writable } from 'node:stream';
import { WriteBackSettler } from '../../../src/sync/outbound/writeBackSettle';
import { DatabaseUnavailableError } from '../../../src/store/availability';
import type { Database, Queryable } from '../../../src/store/types';
import type { OrgSyncSettings } from '../../../src/sync/rules/context';
import type { PendingWrite } from '../../../src/sync/outbound/writeBackPlan';

function capturingLogger(): { logger: pino.Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

/** A database whose connection broke: every statement of the settle transaction fails as an outage. */
function brokenDatabase(statements: string[]): Database {
  const tx: Queryable = {
    query: async (sql: string) => {
      statements.push(sql.trim().split(/\s+/)[0] ?? '');
      throw new DatabaseUnavailableError(new Error('Connection terminated unexpectedly'));
    },
  } as unknown as Queryable;
  return { transaction: async <T>(fn: (q: Queryable) => Promise<T>) => fn(tx) } as unknown as Database;
}

const write: PendingWrite = {
  operation: 'update',
  sobject: 'Contact',
  recordId: '003000000000001AAA',
  contactId: '00000000-0000-4000-8000-000000000001',
  payload: { Title: 'Phone title' },
  items: [],
};

it('a settle cut off by a database outage while the worker stops fails the round without parking the write or logging an error', async () => {
  const { logger, lines } = capturingLogger();
  const statements: string[] = [];
  const settler = new WriteBackSettler({
    db: brokenDatabase(statements),
    orgId: 'primary',
    settings: {} as OrgSyncSettings,
    logger,
    maxAttempts: 8,
    // The worker is stopping: the settle does not wait for the database to come back.
    stopped: () => true,
  });
  const tally = { written: 0, retried: 0, failed: 0 };
  await expect(
    settler.settle([write], () => ({ id: write.recordId, success: true, errors: [] }), tally),
  ).rejects.toThrow(DatabaseUnavailableError);
  expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  // Only the savepoint was tried: no attempt to record the write as failing.
  expect(statements).toEqual(['SAVEPOINT']);
  expect(tally).toEqual({ written: 0, retried: 0, failed: 0 });
});
