import type { Response } from 'express';
import { sendSfError } from '../http/context';
import { SoqlError } from './errors';

/** SOQL errors are the client's (400, with their own code); anything else is ours (500). */
export function sendQueryError(res: Response, err: unknown): void {
  if (err instanceof SoqlError) {
    sendSfError(res, 400, err.errorCode, err.message);
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  sendSfError(res, 500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred in the org emulator: ${message}`);
}
