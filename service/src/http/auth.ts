import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ApiError } from './errors';

/** How many wrong tokens a client may send in a window before it is answered 429 until the window ends. */
export interface AuthThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Clients remembered at most: a flood of addresses cannot grow the map without bound. */
  maxClients?: number;
  now?(): number;
}

/**
 * 10 wrong tokens a minute per client: plenty for a person fixing a typo or a phone retrying, while a token
 * of 24+ random characters stays out of reach (14,400 guesses a day per address).
 */
export const DEFAULT_AUTH_THROTTLE: AuthThrottleOptions = { maxFailures: 10, windowMs: 60_000 };

/**
 * Bearer-token authentication for the REST API. Tokens are compared as SHA-256 digests in constant time,
 * so neither length nor content leaks through timing. The API takes no cookies, so CSRF cannot ride on it.
 * Wrong tokens are counted per client address (req.ip: the peer, or X-Forwarded-For from a proxy on
 * loopback only, as `trust proxy` says); a client over the limit is answered 429 with Retry-After, even
 * with the right token, or the 429 would tell a guesser when it hit. Other clients are not affected.
 */
export function requireBearerToken(
  expectedToken: string,
  throttle: AuthThrottleOptions = DEFAULT_AUTH_THROTTLE,
  logger?: Logger,
): RequestHandler {
  const expected = createHash('sha256').update(expectedToken).digest();
  const failures = new FailureCounter(throttle);
  return (req, res, next) => {
    const client = clientOf(req);
    const waitMs = failures.blockedFor(client);
    if (waitMs > 0) {
      res.set('Retry-After', String(Math.ceil(waitMs / 1000)));
      next(
        new ApiError(429, 'too_many_requests', 'too many requests with a wrong API token; try again later', {
          field: 'Authorization',
        }),
      );
      return;
    }
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) {
      res.set('WWW-Authenticate', 'Bearer realm="switchboard"');
      next(new ApiError(401, 'unauthenticated', 'send the API token as "Authorization: Bearer <token>"'));
      return;
    }
    const given = createHash('sha256').update(match[1].trim()).digest();
    if (!timingSafeEqual(given, expected)) {
      // The address only, never the token sent: a near miss would be most of the real one.
      if (failures.fail(client)) logger?.warn({ client }, 'wrong API tokens: client throttled');
      res.set('WWW-Authenticate', 'Bearer realm="switchboard", error="invalid_token"');
      next(new ApiError(401, 'unauthenticated', 'the API token is not valid'));
      return;
    }
    next();
  };
}

function clientOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** Wrong-token counts per client in fixed windows; the window restarts when a client reaches the limit. */
class FailureCounter {
  private readonly clients = new Map<string, { failures: number; until: number }>();
  private readonly now: () => number;
  private readonly maxClients: number;

  constructor(private readonly options: AuthThrottleOptions) {
    this.now = options.now ?? Date.now;
    this.maxClients = options.maxClients ?? 10_000;
  }

  /** Milliseconds the client must wait, 0 when it may try. */
  blockedFor(client: string): number {
    const entry = this.clients.get(client);
    const now = this.now();
    if (!entry || entry.until <= now) return 0;
    return entry.failures >= this.options.maxFailures ? entry.until - now : 0;
  }

  /** Counts a failure; true when it is the one that blocks the client. */
  fail(client: string): boolean {
    const now = this.now();
    const entry = this.clients.get(client);
    if (!entry || entry.until <= now) {
      this.remember(client, { failures: 1, until: now + this.options.windowMs });
      return this.options.maxFailures <= 1;
    }
    entry.failures += 1;
    if (entry.failures < this.options.maxFailures) return false;
    entry.until = now + this.options.windowMs;
    return true;
  }

  private remember(client: string, entry: { failures: number; until: number }): void {
    this.clients.delete(client);
    if (this.clients.size >= this.maxClients) {
      const now = this.now();
      for (const [key, value] of this.clients) if (value.until <= now) this.clients.delete(key);
      // Still full: forget the oldest, which is the least likely to be blocked right now.
      if (this.clients.size >= this.maxClients) this.clients.delete(this.clients.keys().next().value as string);
    }
    this.clients.set(client, entry);
  }
}
