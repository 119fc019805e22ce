import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors';

/**
 * Bearer-token authentication for the REST API. Tokens are compared as SHA-256 digests in constant time,
 * so neither length nor content leaks through timing. The API takes no cookies, so CSRF cannot ride on it.
 */
export function requireBearerToken(expectedToken: string): RequestHandler {
  const expected = createHash('sha256').update(expectedToken).digest();
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) {
      res.set('WWW-Authenticate', 'Bearer realm="switchboard"');
      next(new ApiError(401, 'unauthenticated', 'send the API token as "Authorization: Bearer <token>"'));
      return;
    }
    const given = createHash('sha256').update(match[1].trim()).digest();
    if (!timingSafeEqual(given, expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="switchboard", error="invalid_token"');
      next(new ApiError(401, 'unauthenticated', 'the API token is not valid'));
      return;
    }
    next();
  };
}
