import pg from 'pg';
import type { Logger } from '../log';

/**
 * The database could not be reached or dropped the connection (a server restart, a terminated backend,
 * a network failure): nothing is wrong with the request or the data, and the same call succeeds once
 * the database is back. The HTTP API answers it with 503; the background loops wait and retry.
 *
 * Its stack is only its message, and the driver's error is kept as `origin` (not `cause`, which loggers
 * print with its stack): an outage is expected operations, and a stack trace in every log line about it
 * would bury what an operator needs (that the database is down, and why).
 */
export class DatabaseUnavailableError extends Error {
  readonly code = 'database_unavailable';
  declare readonly origin: unknown;

  constructor(origin: unknown) {
    super(`database unavailable: ${causeText(origin)}`);
    this.name = 'DatabaseUnavailableError';
    this.stack = `${this.name}: ${this.message}`;
    Object.defineProperty(this, 'origin', { value: origin, enumerable: false });
  }
}

function causeText(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0) return causeText(cause.errors[0]);
  if (cause instanceof Error) return cause.message || ((cause as { code?: string }).code ?? cause.name);
  return String(cause);
}

/**
 * SQLSTATEs that mean the session is gone or the server is not taking sessions, not that the statement
 * was wrong: class 08 (connection exception), 57P01–57P03 (admin shutdown, crash shutdown, cannot connect
 * now: the server is stopping or starting), 57P05 (idle session timeout).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1235])$/;

/** Socket errors of a server that is down, restarting or unreachable. */
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOENT', // a Unix socket that is not there while the server is down
]);

/** What pg says when its socket ended, or when a client that lost it is used again. */
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|Connection terminated unexpectedly|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|Connection terminated due to connection timeout|timeout expired)$/;

/** Whether `error` (or what caused it) says the database is unavailable rather than that the query failed. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || error === null || typeof error !== 'object') return false;
  if (error instanceof DatabaseUnavailableError) return true;
  const code = (error as { code?: unknown }).code;
  if (error instanceof pg.DatabaseError) return typeof code === 'string' && UNAVAILABLE_SQLSTATE.test(code);
  if (typeof code === 'string' && UNAVAILABLE_ERRNO.has(code)) return true;
  if (error instanceof AggregateError && error.errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  if (error instanceof Error && UNAVAILABLE_MESSAGE.test(error.message)) return true;
  return isDatabaseUnavailable((error as { cause?: unknown }).cause, depth + 1);
}

/** `error` as a DatabaseUnavailableError when it is an outage; other errors as they are. */
export function asUnavailable(error: unknown): unknown {
  return !(error instanceof DatabaseUnavailableError) && isDatabaseUnavailable(error)
    ? new DatabaseUnavailableError(error)
    : error;
}

/**
 * Logs an outage once when it begins and once when it ends, however many calls fail in between (every
 * request and loop would otherwise log each failed attempt, seconds apart, for as long as it lasts).
 */
export class OutageLog {
  private downSince: number | null = null;

  constructor(
    private readonly logger: Logger | undefined,
    private readonly kind: string,
  ) {}

  /** Whether the last call that reached the database (or failed to) found it unavailable. */
  get down(): boolean {
    return this.downSince !== null;
  }

  failed(error: unknown): void {
    if (this.downSince !== null) return;
    this.downSince = Date.now();
    this.logger?.warn(
      { kind: this.kind, reason: causeText(error instanceof DatabaseUnavailableError ? error.origin : error) },
      'database unavailable: requests answer 503 and sync work waits until it is back',
    );
  }

  succeeded(): void {
    if (this.downSince === null) return;
    const downMs = Date.now() - this.downSince;
    this.downSince = null;
    this.logger?.info({ kind: this.kind, downMs }, 'database available again; sync work resumes');
  }
}

/**
 * The level a background loop logs a failed round at: debug for an outage, which the database logs once
 * when it begins and once when it ends (OutageLog), else `level`. Loops retry either way.
 */
export function failureLevel(error: unknown, level: 'warn' | 'error'): 'debug' | 'warn' | 'error' {
  return isDatabaseUnavailable(error) ? 'debug' : level;
}
