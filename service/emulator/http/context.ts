import type { Request, Response } from 'express';
import type { Actor } from '../org/store';

/** Set by the REST server's auth middleware on every authenticated request. */
export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw new Error('route mounted outside the authenticated router');
  return actor;
}

/** Salesforce REST error body: an array of { message, errorCode, fields? }. */
export function sendSfError(
  res: Response,
  status: number,
  errorCode: string,
  message: string,
  fields?: string[],
): void {
  res.status(status).json([{ message, errorCode, ...(fields ? { fields } : {}) }]);
}

/** The API version in the URL (`/services/data/v62.0/...`), as a string like "62.0". */
export function apiVersionOf(req: Request): string {
  const match = /\/services\/data\/v(\d+\.\d)/.exec(req.originalUrl);
  return match ? match[1] : '62.0';
}
