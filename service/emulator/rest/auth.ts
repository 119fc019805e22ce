import type { Request, RequestHandler } from 'express';
import { sendSfError } from '../http/context';
import type { EmulatedOrg } from '../org/org';
import { sendRequestLimitExceeded } from './errors';

/** The token in `Authorization: Bearer <token>` (Salesforce also takes the older `OAuth <token>`). */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1] : undefined;
}

/** Admits requests with a live access token and records who makes them (see `actorOf`). */
export function requireSession(org: EmulatedOrg): RequestHandler {
  return (req, res, next) => {
    const token = bearerToken(req);
    const actor = token ? org.verifyToken(token) : undefined;
    if (!actor) {
      sendSfError(res, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
      return;
    }
    res.locals.actor = actor;
    next();
  };
}

/**
 * Counts the request against the daily allocation and reports usage in `Sforce-Limit-Info`, which
 * jsforce turns into `conn.limitInfo.apiUsage`. Past the allocation, requests are refused.
 */
export function meterApiCalls(org: EmulatedOrg): RequestHandler {
  return (_req, res, next) => {
    org.countApiCall();
    const { used, limit } = org.apiUsage;
    res.setHeader('Sforce-Limit-Info', `api-usage=${used}/${limit}`);
    if (used > limit) {
      sendRequestLimitExceeded(res);
      return;
    }
    next();
  };
}
