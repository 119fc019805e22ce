import type { NextFunction, Request, Response } from 'express';
import { sendQueryError } from '../soql/send-error';
import { JobRequestError, sendJobError } from './job-common';

/** Wraps a route: job mistakes become their Salesforce error, anything else a 500. */
export function handle(
  route: (req: Request, res: Response) => void | Promise<void>,
): (req: Request, res: Response, next: NextFunction) => Promise<void> {
  return async (req, res) => {
    try {
      await route(req, res);
    } catch (err) {
      if (res.headersSent) {
        res.destroy(err instanceof Error ? err : undefined);
        return;
      }
      if (err instanceof JobRequestError) sendJobError(res, err);
      else sendQueryError(res, err);
    }
  };
}

/** Bulk API 2.0 accepts up to 150 MB of CSV per upload. */
export const MAX_UPLOAD_BYTES = 150 * 1024 * 1024;

/** The request body as text, whether or not a body parser already read it. */
export async function readTextBody(req: Request, limit = MAX_UPLOAD_BYTES): Promise<string> {
  const body: unknown = req.body;
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (req.readableEnded) return '';
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req) {
    const buffer = Buffer.isBuffer(part) ? part : Buffer.from(String(part));
    size += buffer.length;
    if (size > limit) throw new JobRequestError(413, 'EXCEEDED_MAX_SIZE', `The upload exceeds ${limit} bytes`);
    parts.push(buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}
