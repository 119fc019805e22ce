import type { Request, Response } from 'express';
import { sendSfError } from '../http/context';
import type { Actor } from '../org/store';
import {
  dialectOf,
  isColumnDelimiter,
  isLineEnding,
  type ColumnDelimiter,
  type CsvDialect,
  type LineEnding,
} from './csv-format';

/** Job states shared by query and ingest jobs (ingest jobs also start Open). */
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

/** The job info fields query and ingest jobs share; each kind adds its operation, jobType and counters. */
export interface JobInfoBase {
  id: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  concurrencyMode: 'Parallel';
  contentType: 'CSV';
  apiVersion: number;
  lineEnding: CsvSettings['lineEnding'];
  columnDelimiter: CsvSettings['columnDelimiter'];
  numberRecordsProcessed: number;
  retries: number;
  totalProcessingTime: number;
  errorMessage?: string;
}

/** Who created a new job and when; in the info these follow its id, operation and object. */
export function creationFields(
  actor: Actor,
  state: JobState,
): Pick<JobInfoBase, 'createdById' | 'createdDate' | 'systemModstamp' | 'state'> {
  const now = sfTimestamp();
  return { createdById: actor.userId, createdDate: now, systemModstamp: now, state };
}

/** What query and ingest jobs share: their creator, CSV dialect, state changes and failure message. */
export abstract class BulkJob<Info extends JobInfoBase> {
  /** How the job's CSV is written (and, for ingest, read). */
  protected readonly dialect: CsvDialect;

  constructor(
    readonly info: Info,
    readonly actor: Actor,
  ) {
    this.dialect = dialectOf(info.columnDelimiter, info.lineEnding);
  }

  is(state: JobState): boolean {
    return this.info.state === state;
  }

  setState(state: JobState, errorMessage?: string): void {
    this.info.state = state;
    this.info.systemModstamp = sfTimestamp();
    if (errorMessage !== undefined) this.info.errorMessage = errorMessage;
  }
}

/** A client mistake about a job: sent as `[{ errorCode, message }]` with the given status. */
export class JobRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalidJob = (message: string): JobRequestError => new JobRequestError(400, 'INVALIDJOB', message);
export const invalidJobState = (message: string): JobRequestError =>
  new JobRequestError(400, 'INVALIDJOBSTATE', message);
export const jobNotFound = (): JobRequestError =>
  new JobRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');

export function sendJobError(res: Response, err: JobRequestError): void {
  sendSfError(res, err.status, err.errorCode, err.message);
}

/** Salesforce JSON timestamps: `2024-01-01T00:00:00.000+0000`. */
export function sfTimestamp(date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}

/** The JSON body of a job request; names the offending field when it is not an object. */
export function jsonBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body)) {
    return body as Record<string, unknown>;
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      const parsed: unknown = JSON.parse(body.toString());
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // fall through to the error below
    }
  }
  throw new JobRequestError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object describing the job');
}

export interface CsvSettings {
  columnDelimiter: ColumnDelimiter;
  lineEnding: LineEnding;
}

/** Reads and checks contentType, columnDelimiter and lineEnding (defaults CSV, COMMA, LF). */
export function csvSettingsOf(body: Record<string, unknown>): CsvSettings {
  const { contentType, columnDelimiter = 'COMMA', lineEnding = 'LF' } = body;
  if (contentType !== undefined && contentType !== 'CSV') {
    throw invalidJob(`contentType: only CSV is supported, got '${String(contentType)}'`);
  }
  if (!isColumnDelimiter(columnDelimiter)) {
    throw invalidJob(
      `columnDelimiter: expected one of BACKQUOTE, CARET, COMMA, PIPE, SEMICOLON, TAB, got '${String(columnDelimiter)}'`,
    );
  }
  if (!isLineEnding(lineEnding)) throw invalidJob(`lineEnding: expected LF or CRLF, got '${String(lineEnding)}'`);
  return { columnDelimiter, lineEnding };
}

/** Resolves on a later turn of the event loop (after the current response is on its way). */
export const nextTurn = (delayMs = 0): Promise<void> =>
  new Promise((resolve) => (delayMs > 0 ? setTimeout(resolve, delayMs) : setImmediate(resolve)));
