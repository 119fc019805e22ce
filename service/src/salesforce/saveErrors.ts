/** A Salesforce error on one record or one call, with whether trying again later can help. */
export interface SaveErrorInfo {
  code: string;
  message: string;
  fields: string[];
  transient: boolean;
}

/**
 * One record's result of a save call (sObject Collections or a Bulk API job's row): the record id (a
 * create's new one), or why it failed. The write-back worker's RecordWriter (sync/outbound/writeBack.ts)
 * returns these.
 */
export interface SaveOutcome {
  id: string | null;
  success: boolean;
  errors: SaveErrorInfo[];
}

/** Errors that go away by themselves: lock contention, maintenance, limits that reset, expired sessions. */
const TRANSIENT_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'REQUEST_LIMIT_EXCEEDED',
  'INVALID_SESSION_ID',
  'REQUEST_RUNNING_TOO_LONG',
  'QUERY_TIMEOUT',
  'ERROR_HTTP_502',
  'ERROR_HTTP_503',
  'ERROR_HTTP_504',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

interface ErrorLike {
  errorCode?: unknown;
  statusCode?: unknown;
  name?: unknown;
  code?: unknown;
  message?: unknown;
  fields?: unknown;
}

/**
 * Reads the code out of whatever jsforce gives: a per-record `{ statusCode | errorCode, message, fields }`
 * from sObject Collections, or a thrown error (its `errorCode`/`name`, or a socket error's `code`).
 */
export function classifySaveError(err: unknown): SaveErrorInfo {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ErrorLike;
  const candidates = [e.statusCode, e.errorCode, e.code, e.name].filter(
    (v): v is string => typeof v === 'string' && /^[A-Z][A-Z0-9_]+$/.test(v),
  );
  const code = candidates[0] ?? 'UNKNOWN';
  const message = typeof e.message === 'string' && e.message ? e.message : code;
  const fields = Array.isArray(e.fields) ? e.fields.map(String) : [];
  const transient = TRANSIENT_CODES.has(code) || /^(5\d\d|ERROR_HTTP_5\d\d)$/.test(code);
  return { code, message, fields, transient };
}
