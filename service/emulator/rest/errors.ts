import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { sendSfError } from '../http/context';
import type { SfError } from '../org/store';

/** Salesforce's answer for any path, object or record it does not know. */
export function sendNotFound(res: Response): void {
  sendSfError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
}

/** The daily API allocation is used up (or a test injected that fault). */
export function sendRequestLimitExceeded(res: Response): void {
  sendSfError(res, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
}

export const notFoundRoute: RequestHandler = (_req, res) => sendNotFound(res);

/** A DML error from the store, as the single-record REST routes report it. */
export function sendDmlErrors(res: Response, status: number, errors: SfError[]): void {
  res.status(status).json(errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields })));
}

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

/**
 * Last handler: unreadable request bodies get Salesforce's JSON_PARSER_ERROR, anything unexpected an
 * UNKNOWN_EXCEPTION carrying the message, so a broken emulator route shows up in test output.
 */
export const restErrorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const parserError = err as BodyParserError;
  if (parserError.type === 'entity.parse.failed') {
    sendSfError(res, 400, 'JSON_PARSER_ERROR', `Request body is not valid JSON: ${parserError.message ?? ''}`.trim());
    return;
  }
  if (parserError.type === 'entity.too.large') {
    sendSfError(res, 413, 'REQUEST_TOO_LARGE', 'Request body is too large');
    return;
  }
  if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    sendSfError(res, parserError.status, 'INVALID_REQUEST', parserError.message ?? 'Bad request');
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  sendSfError(res, 500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred in the org emulator: ${message}`);
};
