import type { Connection } from 'jsforce';
import type { SfValue } from '../../model/records';
import { classifySaveError, type SaveErrorInfo } from '../saveErrors';

export type IngestOperation = 'insert' | 'update' | 'delete';

/** What happened to one uploaded row, in the order the rows were given. */
export interface IngestOutcome {
  success: boolean;
  id: string | null;
  error: SaveErrorInfo | null;
}

export interface BulkIngestOptions {
  pollIntervalMs?: number;
  /** Give up waiting after this long; the job may still run, so the caller must not simply send the rows again. */
  timeoutMs?: number;
}

/**
 * The job was handed to Salesforce but its end was never seen (it may still run, or have run): what it
 * wrote is unknown, so its rows must not simply be sent again.
 */
export class BulkIngestJobError extends Error {
  readonly code = 'BULK_JOB_UNCONFIRMED';

  constructor(
    readonly jobId: string,
    message: string,
  ) {
    super(message);
    this.name = 'BulkIngestJobError';
  }
}

/** Bulk API 2.0 sets a field to null with this value; an empty cell leaves the field alone. */
const NULL_CELL = '#N/A';

type ResultRow = Record<string, string>;

const UNPROCESSED = 'BULK_UNPROCESSED';

/**
 * One Bulk API 2.0 ingest job (create, upload CSV, close, poll, read the results), mapped back to the
 * input rows. Results come in no guaranteed order and carry only the uploaded columns, so rows are matched
 * by Id for updates and deletes and by their uploaded cells for inserts; identical insert rows are
 * interchangeable, so they are handed out in turn. A row in no result list (unprocessed) reports a
 * transient error: it was not written and may be sent again.
 */
export async function runBulkIngest(
  conn: Connection,
  sobject: string,
  operation: IngestOperation,
  rows: Array<Record<string, SfValue>>,
  options: BulkIngestOptions = {},
): Promise<IngestOutcome[]> {
  const header = columnsOf(rows, operation);
  const cells = rows.map((row) => header.map((column) => cellOf(row[column], operation)));
  const csv = [header, ...cells].map(csvLine).join('');

  const job = conn.bulk2.createJob({ object: sobject, operation, lineEnding: 'LF', columnDelimiter: 'COMMA' });
  await job.open();
  await job.uploadData(csv);
  try {
    await job.close();
  } catch (err) {
    throw new BulkIngestJobError(
      job.id,
      `Bulk API ${operation} job ${job.id} for ${sobject}: closing it failed (${(err as Error).message}); it may run anyway`,
    );
  }
  const end = await waitForEnd(job, sobject, operation, options);
  const successful = (await job.getSuccessfulResults()) as unknown as ResultRow[];
  const failed = (await job.getFailedResults()) as unknown as ResultRow[];
  const outcomes = matchResults(header, cells, operation, successful, failed);
  if (end.state === 'JobComplete') return outcomes;
  // A failed or aborted job keeps what it wrote; the rows it never reached were not written.
  const reason = `Bulk API job ${job.id} ${end.state === 'Failed' ? 'failed' : 'was aborted'}: ${end.errorMessage ?? 'no reason given'}`;
  return outcomes.map((o) =>
    o.error?.code === UNPROCESSED ? { ...o, error: { ...o.error, code: 'BULK_JOB_FAILED', message: reason } } : o,
  );
}

type IngestJob = ReturnType<Connection['bulk2']['createJob']>;

/** Polls until the job ends. Errors while polling are retried: giving up early would leave the outcome unknown. */
async function waitForEnd(
  job: IngestJob,
  sobject: string,
  operation: IngestOperation,
  options: BulkIngestOptions,
): Promise<{ state: string; errorMessage?: string }> {
  const deadline = Date.now() + (options.timeoutMs ?? 20 * 60_000);
  let lastError = '';
  for (;;) {
    try {
      const info = (await job.check()) as { state: string; errorMessage?: string };
      if (info.state === 'JobComplete' || info.state === 'Failed' || info.state === 'Aborted') return info;
      lastError = `still ${info.state}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() > deadline) {
      throw new BulkIngestJobError(
        job.id,
        `Bulk API ${operation} job ${job.id} for ${sobject} did not finish in time (${lastError}); check it in Setup → Bulk Data Load Jobs`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 1000));
  }
}

/** Maps result rows back to input positions. Exported for unit tests of the matching. */
export function matchResults(
  header: string[],
  cells: string[][],
  operation: IngestOperation,
  successful: ResultRow[],
  failed: ResultRow[],
): IngestOutcome[] {
  const idColumn = header.indexOf('Id');
  const keyOfInput = (row: string[]) => (operation === 'insert' ? row.join('\u0000') : row[idColumn]);
  const keyOfResult = (row: ResultRow) =>
    operation === 'insert' ? header.map((column) => row[column] ?? '').join('\u0000') : (row.Id ?? row.sf__Id ?? '');
  const waiting = new Map<string, number[]>();
  cells.forEach((row, index) => {
    const key = keyOfInput(row);
    const list = waiting.get(key) ?? [];
    list.push(index);
    waiting.set(key, list);
  });
  const outcomes: Array<IngestOutcome | undefined> = new Array(cells.length);
  const settle = (row: ResultRow, outcome: IngestOutcome) => {
    const index = waiting.get(keyOfResult(row))?.shift();
    if (index !== undefined) outcomes[index] = outcome;
  };
  for (const row of successful) settle(row, { success: true, id: row.sf__Id || null, error: null });
  for (const row of failed)
    settle(row, { success: false, id: row.sf__Id || null, error: parseBulkError(row.sf__Error ?? '') });
  return [...outcomes].map(
    (outcome) =>
      outcome ?? {
        success: false,
        id: null,
        error: { code: UNPROCESSED, message: 'the Bulk API job did not process this row', fields: [], transient: true },
      },
  );
}

/** failedResults' sf__Error: `CODE:message:field,field --`. */
export function parseBulkError(text: string): SaveErrorInfo {
  const trimmed = text.replace(/\s*--\s*$/, '');
  const first = trimmed.indexOf(':');
  const last = trimmed.lastIndexOf(':');
  if (first < 0) return classifySaveError({ errorCode: 'UNKNOWN', message: trimmed || 'no reason given' });
  const code = trimmed.slice(0, first);
  const message = last > first ? trimmed.slice(first + 1, last) : trimmed.slice(first + 1);
  const fields =
    last > first
      ? trimmed
          .slice(last + 1)
          .split(',')
          .filter(Boolean)
      : [];
  return classifySaveError({ statusCode: code, message, fields });
}

/** Every field any row carries, Id first; a delete uploads nothing but the Id. */
function columnsOf(rows: Array<Record<string, SfValue>>, operation: IngestOperation): string[] {
  if (operation === 'delete') return ['Id'];
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) names.add(name);
  names.delete('Id');
  const rest = [...names].sort();
  return operation === 'update' ? ['Id', ...rest] : rest;
}

/** null clears the field on update; on insert an empty cell is the same as leaving the field out. */
function cellOf(value: SfValue | undefined, operation: IngestOperation): string {
  if (value === undefined) return '';
  if (value === null) return operation === 'update' ? NULL_CELL : '';
  return String(value);
}

/** RFC 4180, every cell quoted, so commas, quotes and line breaks in values survive. */
function csvLine(cells: string[]): string {
  return `${cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')}\n`;
}
