import pg from 'pg';
import pino from 'pino';
import {
  asUnavailable,
  DatabaseUnavailableError,
  failureLevel,
  isDatabaseUnavailable,
} from '../../src/store/availability';
import { openDatabase } from '../../src/store/db';
import { Leadership } from '../../src/store/state/leadership';
import type { Database } from '../../src/store/types';
import { createTemporaryDatabase, postgresUrlFromEnv, type TemporaryDatabase } from '../support/backends';
import { eventually } from '../support/harness';

function serverError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
}

describe('what counts as "database unavailable"', () => {
  it.each([
    ['a terminated backend (57P01)', serverError('57P01', 'terminating connection due to administrator command')],
    ['a server shutting down (57P03)', serverError('57P03', 'the database system is shutting down')],
    ['a connection exception (08006)', serverError('08006', 'connection failure')],
    ['a refused connection', socketError('ECONNREFUSED')],
    ['a reset connection', socketError('ECONNRESET')],
    ['both addresses refused', new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')])],
    ['a socket that ended', new Error('Connection terminated unexpectedly')],
    [
      'a client used after its socket ended',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['an outage wrapped by a caller', new Error('could not load', { cause: socketError('ECONNREFUSED') })],
  ])('%s is an outage', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    const seen = asUnavailable(error);
    expect(seen).toBeInstanceOf(DatabaseUnavailableError);
    // Shown and logged without a stack trace, and without the driver's error as a `cause` loggers expand.
    expect((seen as Error).stack).toBe(`DatabaseUnavailableError: ${(seen as Error).message}`);
    expect((seen as Error).cause).toBeUndefined();
    expect(failureLevel(seen, 'error')).toBe('debug');
  });

  it.each([
    ['a unique violation', serverError('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error', serverError('42601', 'syntax error at or near "SELEC"')],
    ['text Postgres refuses', serverError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'Connection terminated'],
  ])('%s is not', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(asUnavailable(error)).toBe(error);
    expect(failureLevel(error, 'error')).toBe('error');
  });
});

const postgresUrl = postgresUrlFromEnv();

(postgresUrl ? describe : describe.skip)(
  `subscriber election when leading fails half-way (postgres${postgresUrl ? '' : ': set DATABASE_URL to run'})`,
  () => {
    let database: TemporaryDatabase;
    let db: Database;

    beforeAll(async () => {
      database = await createTemporaryDatabase(postgresUrl as string);
      db = await openDatabase({ databaseUrl: database.url });
    });

    afterAll(async () => {
      await db?.close();
      await database?.drop();
    });

    it('gives the lock up, stops what started, and leads on a later round', async () => {
      let attempts = 0;
      const onLeader = jest.fn(() => {
        // The database went away while the subscribers were being started.
        if (++attempts === 1) throw new DatabaseUnavailableError(new Error('Connection terminated unexpectedly'));
      });
      const onFollower = jest.fn();
      const leadership = new Leadership({
        db,
        orgId: 'primary',
        logger: pino({ level: 'silent' }),
        retryMs: 50,
        onLeader,
        onFollower,
      });
      try {
        await leadership.start();
        await eventually(() => onLeader.mock.calls.length >= 2 && leadership.role === 'leader', 'a second try to lead');
        expect(onFollower).toHaveBeenCalledTimes(1);
        // One lock held, by the session that leads now: the failed round's was given up with its connection.
        const { rows } = await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_locks
            WHERE locktype = 'advisory' AND granted
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        expect(Number(rows[0].n)).toBe(1);
      } finally {
        await leadership.stop();
      }
    });
  },
);
