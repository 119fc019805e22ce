import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Database } from '../store/types';
import { findAccessKeyByHash, markAccessKeyUsed } from '../store/devices/accessKeys';
import { isDatabaseUnavailable } from '../store/availability';
import { DEFAULT_AUTH_THROTTLE, FailureCounter, type AuthThrottleOptions } from './failureCounter';
import { KeyRateLimiter } from './rateLimit';
import { hashAccessKey, looksLikeAccessKey, sameDigest } from './keys';
import { addressAllowed, DEFAULT_RATE_LIMIT_PER_MINUTE, type AccessKeyOptions, type AccessScope } from './keySettings';
import { keyFromRequest } from './keyFromRequest';
import { AccessKeyCache, DEFAULT_KEY_CACHE_TTL_MS } from './keyCache';

/**
 * Access for devices that cannot send the API's bearer token (issue 14, item 5).
 *
 * Contract for the device rooms (phonebook/, callerId/, carddav/, calls): mount
 * `requireAccessKey({ db, scope, logger, failure })` in front of your routes. The key arrives as `?key=` or
 * as the HTTP Basic password (any user name); on success `res.locals.accessKey` (read it with
 * `accessKeyOf(res)`) holds the key's id, name, scopes and options, and the `key` query parameter is gone
 * from req.url / req.originalUrl / req.query, so nothing downstream can log it. Failures:
 *   401 no key, a wrong or revoked key (with `WWW-Authenticate: Basic realm="switchboard"`, so CardDAV
 *       clients and phones send credentials);
 *   403 a key without this scope, or a client address outside the key's CIDR allow-list;
 *   429 with Retry-After: the client sent too many wrong keys (counted per address, like the bearer token),
 *       or the key used up its requests per minute.
 * `failure: 'json'` answers `{ error: { code, message, field: 'key' } }` as the REST API does; `'empty'`
 * answers with no body at all (a PBX may show any body text as the caller's name) — also for a database
 * outage (503). The key is never logged, not even in part.
 */

/** What a device room learns about the key that let a request in. */
export interface AccessKeyContext {
  id: string;
  name: string;
  scopes: AccessScope[];
  options: AccessKeyOptions;
}

/** The counters every door shares, so a guesser or a busy key meets one limit across phone books, caller ID, … */
export interface DeviceAccessGuards {
  failures: FailureCounter;
  rates: KeyRateLimiter;
  /** When each key's last_used_at was last written (ms), so it is written at most once a minute. */
  lastUsedWritten: Map<string, number>;
  /** Requests a minute for keys created without a limit of their own. */
  defaultRateLimitPerMinute: number;
  /** Keys read recently, by hash (keyCache.ts). */
  keys: AccessKeyCache;
  now(): number;
}

export interface DeviceAccessGuardOptions {
  throttle?: AuthThrottleOptions;
  /** Default DEFAULT_RATE_LIMIT_PER_MINUTE (keySettings.ts). */
  defaultRateLimitPerMinute?: number;
  /** How long a key read from the database is trusted (default 5 s; 0: read every time). */
  keyCacheTtlMs?: number;
  now?(): number;
}

export function createDeviceAccessGuards(options: DeviceAccessGuardOptions = {}): DeviceAccessGuards {
  const now = options.now ?? options.throttle?.now ?? Date.now;
  return {
    failures: new FailureCounter({ ...DEFAULT_AUTH_THROTTLE, ...options.throttle, now }),
    rates: new KeyRateLimiter(now),
    lastUsedWritten: new Map(),
    defaultRateLimitPerMinute: options.defaultRateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    keys: new AccessKeyCache(options.keyCacheTtlMs ?? DEFAULT_KEY_CACHE_TTL_MS, now),
    now,
  };
}

/** One set of guards per database (per service), for the middlewares that are not handed their own. */
const guardsByDatabase = new WeakMap<Database, DeviceAccessGuards>();

function guardsOf(db: Database): DeviceAccessGuards {
  let guards = guardsByDatabase.get(db);
  if (!guards) {
    guards = createDeviceAccessGuards();
    guardsByDatabase.set(db, guards);
  }
  return guards;
}

export interface RequireAccessKeyOptions {
  db: Database;
  /** The door: the key must hold this scope. */
  scope: AccessScope;
  logger: Logger;
  /** 'json': REST-style error bodies; 'empty': every failure answers without a body (caller ID). */
  failure: 'json' | 'empty';
  /** Shared counters (default: one set per `db`); tests pass their own with a clock they move. */
  guards?: DeviceAccessGuards;
}

const LAST_USED_EVERY_MS = 60_000;
const CHALLENGE = 'Basic realm="switchboard", charset="UTF-8"';

export function requireAccessKey(options: RequireAccessKeyOptions): RequestHandler {
  const { db, scope, logger } = options;
  const guards = options.guards ?? guardsOf(db);

  const refuse = (res: Response, status: number, code: string, message: string, retryAfterMs?: number) => {
    if (retryAfterMs !== undefined) res.set('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    if (status === 401) res.set('WWW-Authenticate', CHALLENGE);
    res.set('Cache-Control', 'no-store');
    if (options.failure === 'empty') res.status(status).end();
    else res.status(status).json({ error: { code, message, field: 'key' } });
  };

  const check = async (req: Request, res: Response): Promise<boolean> => {
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const key = keyFromRequest(req);
    const blockedMs = guards.failures.blockedFor(client);
    if (blockedMs > 0) {
      refuse(res, 429, 'too_many_requests', 'too many requests with a wrong access key; try again later', blockedMs);
      return false;
    }
    if (key === undefined) {
      refuse(res, 401, 'unauthenticated', 'send the access key as ?key=<key> or as the HTTP Basic password');
      return false;
    }
    const hash = hashAccessKey(key);
    const found = looksLikeAccessKey(key) ? await lookUp(hash) : undefined;
    if (!found || !sameDigest(found.keyHash, hash) || found.revokedAt !== null) {
      // The address and the door only, never the key sent: a near miss would be most of a real one.
      if (guards.failures.fail(client)) logger.warn({ client, scope }, 'wrong access keys: client throttled');
      refuse(res, 401, 'unauthenticated', 'the access key is not valid');
      return false;
    }
    if (!found.scopes.includes(scope)) {
      refuse(res, 403, 'forbidden', `this access key is not for ${scope}`);
      return false;
    }
    if (!addressAllowed(found.allowedCidrs, client)) {
      logger.info({ accessKeyId: found.id, client, scope }, 'access key used from an address outside its allow-list');
      refuse(res, 403, 'forbidden', 'this access key may not be used from this address');
      return false;
    }
    const limit = found.rateLimitPerMinute ?? guards.defaultRateLimitPerMinute;
    const waitMs = guards.rates.take(found.id, limit);
    if (waitMs > 0) {
      refuse(
        res,
        429,
        'too_many_requests',
        `this access key may make ${limit} requests a minute; try again later`,
        waitMs,
      );
      return false;
    }
    noteUse(found.id);
    const context: AccessKeyContext = {
      id: found.id,
      name: found.name,
      scopes: found.scopes as AccessScope[],
      options: found.options as AccessKeyOptions,
    };
    res.locals.accessKey = context;
    return true;
  };

  const lookUp = async (hash: string) => {
    const cached = guards.keys.get(db, hash);
    if (cached) return cached;
    const found = await findAccessKeyByHash(db, hash);
    if (found && found.revokedAt === null) guards.keys.set(db, hash, found);
    return found;
  };

  /** last_used_at, at most once a minute per key, off the request's path: a lost write costs nothing. */
  const noteUse = (id: string) => {
    const now = guards.now();
    const written = guards.lastUsedWritten.get(id);
    if (written !== undefined && now - written < LAST_USED_EVERY_MS) return;
    guards.lastUsedWritten.set(id, now);
    markAccessKeyUsed(db, id, new Date(now)).catch((err: unknown) => {
      guards.lastUsedWritten.delete(id);
      logger.debug({ accessKeyId: id, err: errorSummary(err) }, 'could not record when an access key was last used');
    });
  };

  return (req, res, next) => {
    check(req, res).then(
      (ok) => {
        if (ok) next();
      },
      (err: unknown) => {
        if (options.failure === 'json') {
          next(err);
          return;
        }
        // A device that shows body text must see none, not even the error handler's JSON.
        if (!isDatabaseUnavailable(err)) logger.error({ err: errorSummary(err), scope }, 'access key check failed');
        res.set('Cache-Control', 'no-store');
        res.status(isDatabaseUnavailable(err) ? 503 : 500).end();
      },
    );
  };
}

/** The key that let this request in; throws when requireAccessKey did not run before (a wiring mistake). */
export function accessKeyOf(res: Response): AccessKeyContext {
  const context = res.locals.accessKey as AccessKeyContext | undefined;
  if (!context) throw new Error('accessKeyOf: requireAccessKey must run before this handler');
  return context;
}

/** The name and message only: a driver error's properties could hold the statement and its parameters. */
function errorSummary(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}
