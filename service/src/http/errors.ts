import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from 'pino';
import { StoreInputError } from '../store/values';
import { isDatabaseUnavailable } from '../store/availability';

/** An error the API shows as is: HTTP status, a stable code, and the field and record it is about. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field?: string; record?: string } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Zod issue paths as people write them: `phones[1].number`. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}

export function fromZod(error: ZodError, record?: string): ApiError {
  const issue = error.issues[0];
  // An unknown key's issue sits on the object; the key itself is the field the client got wrong.
  const path =
    issue.code === 'unrecognized_keys' && issue.keys.length > 0 ? [...issue.path, issue.keys[0]] : issue.path;
  // An issue about the whole body (nothing to change, nothing given) names the body, so every 400 names a field.
  const field = fieldPath(path) || 'body';
  const message = `${field ? `${field}: ` : ''}${issue.message}${record ? ` (contact ${record})` : ''}`;
  return new ApiError(400, 'invalid_request', message, { field, record });
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};

/** Every failure leaves as `{ error: { code, message, field?, record? } }`; internals are logged, not shown. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof StoreInputError) {
      res
        .status(400)
        .json({ error: { code: 'invalid_request', message: err.message, field: err.field, record: err.recordId } });
      return;
    }
    if (isDatabaseUnavailable(err)) {
      // An outage, not a fault of the request: the client may retry. The store logs the outage once.
      res.status(503).set('Retry-After', '5');
      res.json({ error: { code: 'database_unavailable', message: 'the database is unavailable; try again shortly' } });
      return;
    }
    if (err instanceof ApiError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...err.details } });
      return;
    }
    const status = (err as { status?: unknown; type?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser's errors (malformed JSON, too large) carry a status and a safe message.
      const message =
        (err as { type?: unknown }).type === 'entity.parse.failed'
          ? 'request body is not valid JSON'
          : (err as Error).message;
      res.status(status).json({ error: { code: 'invalid_request', message } });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ error: { code: 'internal', message: 'internal error; see the service log' } });
  };
}
