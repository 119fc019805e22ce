import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ApiError } from './errors';
import { DEFAULT_AUTH_THROTTLE, FailureCounter, type AuthThrottleOptions } from '../deviceAccess/failureCounter';

export { DEFAULT_AUTH_THROTTLE, type AuthThrottleOptions } from '../deviceAccess/failureCounter';

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
