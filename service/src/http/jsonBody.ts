import express, { type RequestHandler } from 'express';
import { isUuid } from '../model/ids';
import { ApiError } from './errors';

/**
 * express.json, with its refusals (malformed JSON, a number or string where an object belongs, too large,
 * an unknown charset) said as every other 400 is: naming the field (the body) and, on a contact's route,
 * the contact. Parsing runs before any route, so the contact id is read from the path here.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      if (err === undefined || err === null) {
        next();
        return;
      }
      const candidate = /^\/contacts\/([^/]+)/.exec(req.path)?.[1];
      const record = candidate && isUuid(candidate) ? candidate : undefined;
      const { status, type, body } = err as { status?: unknown; type?: unknown; body?: unknown };
      const message =
        type === 'entity.parse.failed'
          ? parsesAsJson(body)
            ? 'must be a JSON object'
            : 'is not valid JSON'
          : type === 'entity.too.large'
            ? `is larger than ${limit}`
            : 'cannot be read (send UTF-8 JSON)';
      next(
        new ApiError(
          typeof status === 'number' && status >= 400 && status < 500 ? status : 400,
          'invalid_request',
          `body: ${message}${record ? ` (contact ${record})` : ''}`,
          { field: 'body', record },
        ),
      );
    });
  };
}

/** Whether the refused body was JSON after all (a number, string or null, which the strict parser refuses). */
function parsesAsJson(body: unknown): boolean {
  if (typeof body !== 'string') return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}
