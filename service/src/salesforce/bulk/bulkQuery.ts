import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { parse } from 'csv-parse';
import type { OrgSession } from '../session';
import { retryTransient } from '../transientRetry';

export type BulkRow = Record<string, string | null>;

export interface BulkJobOptions {
  apiVersion: string;
  pollIntervalMs?: number;
  /** Give up waiting for the job to complete after this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface BulkPagesOptions {
  apiVersion: string;
  /** Rows per results page requested from Salesforce (the `maxRecords` parameter). */
  maxRecordsPerPage?: number;
  /** Start at this page (a `Sforce-Locator` from an earlier page); null or '' for the first page. */
  from?: string | null;
  signal?: AbortSignal;
}

export interface BulkQueryOptions extends BulkJobOptions {
  maxRecordsPerPage?: number;
  /** Rows handed to the caller at a time. */
  batchSize?: number;
}

/** One results page, parsed: its rows and the locator of the page after it (null after the last). */
export interface ResultsPage {
  rows: BulkRow[];
  /** The locator this page was fetched with ('' for the first page). */
  locator: string;
  nextLocator: string | null;
}

interface JobInfo {
  id: string;
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  errorMessage?: string;
}

/**
 * The job's results can no longer be read (the job was deleted, its results expired, or the locator is
 * not one of the job's): the caller has to query again.
 */
export class BulkResultsGoneError extends Error {
  constructor(
    readonly jobId: string,
    message: string,
  ) {
    super(message);
    this.name = 'BulkResultsGoneError';
  }
}

const jobsUrl = (apiVersion: string) => `/services/data/v${apiVersion}/jobs/query`;

/** Creates a Bulk API 2.0 query job and waits until its results are ready; returns the job id. */
export async function runQueryJob(session: OrgSession, soql: string, options: BulkJobOptions): Promise<string> {
  const base = jobsUrl(options.apiVersion);
  // Sent again after a transient answer: should the first job exist after all, it is left to expire.
  const job = await retryTransient(
    () =>
      session.conn.request<JobInfo>({
        method: 'POST',
        url: base,
        body: JSON.stringify({
          operation: 'query',
          query: soql,
          contentType: 'CSV',
          columnDelimiter: 'COMMA',
          lineEnding: 'LF',
        }),
        headers: { 'content-type': 'application/json' },
      }),
    { signal: options.signal },
  );
  await waitForCompletion(session, `${base}/${job.id}`, options);
  return job.id;
}

/**
 * A completed job's results, page by page along `Sforce-Locator`, each page parsed as it arrives. Memory
 * holds one page (bounded by maxRecordsPerPage), never the result. jsforce's own bulk2 result reader
 * buffers every page and breaks on large results, so only the job calls go through jsforce (which also
 * re-signs-in on an expired session).
 */
export async function* resultPages(
  session: OrgSession,
  jobId: string,
  options: BulkPagesOptions,
): AsyncGenerator<ResultsPage> {
  let locator: string | null = options.from ?? '';
  while (locator !== null) {
    const params = new URLSearchParams({ maxRecords: String(options.maxRecordsPerPage ?? 50_000) });
    if (locator) params.set('locator', locator);
    const path = `${jobsUrl(options.apiVersion)}/${jobId}/results?${params}`;
    const res = await retryTransient(() => getResultsPage(session, jobId, path, options.signal), {
      signal: options.signal,
    });
    const next = res.headers['sforce-locator'];
    const rows: BulkRow[] = [];
    // Each page starts with its own header row.
    for await (const row of res.pipe(parse({ columns: true, bom: true })) as AsyncIterable<Record<string, string>>) {
      const record: BulkRow = {};
      for (const key in row) record[key] = row[key] === '' ? null : row[key];
      rows.push(record);
    }
    const nextLocator = typeof next === 'string' && next !== 'null' && next !== '' ? next : null;
    yield { rows, locator, nextLocator };
    locator = nextLocator;
  }
}

/** A whole query, streamed in batches of rows (for callers that need no checkpoint). */
export async function* bulkQuery(
  session: OrgSession,
  soql: string,
  options: BulkQueryOptions,
): AsyncGenerator<BulkRow[]> {
  const jobId = await runQueryJob(session, soql, options);
  const batchSize = options.batchSize ?? 2000;
  for await (const page of resultPages(session, jobId, options)) {
    for (let i = 0; i < page.rows.length; i += batchSize) yield page.rows.slice(i, i + batchSize);
  }
}

async function waitForCompletion(session: OrgSession, url: string, options: BulkJobOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let delay = options.pollIntervalMs ?? 250;
  for (;;) {
    options.signal?.throwIfAborted();
    const info = await retryTransient(() => session.conn.request<JobInfo>({ method: 'GET', url }), {
      signal: options.signal,
    });
    if (info.state === 'JobComplete') return;
    if (info.state === 'Failed' || info.state === 'Aborted') {
      throw new Error(
        `Bulk API query job ${info.id} ${info.state.toLowerCase()}: ${info.errorMessage ?? 'no reason given'}`,
      );
    }
    if (Date.now() > deadline)
      throw new Error(`Bulk API query job ${info.id} did not complete in time (state ${info.state})`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 5000);
  }
}

/** GET one results page with the session's token; one new sign-in when the token has expired. */
async function getResultsPage(
  session: OrgSession,
  jobId: string,
  path: string,
  signal: AbortSignal | undefined,
  retried = false,
): Promise<IncomingMessage> {
  const info = session.current ?? (await session.signIn());
  const url = new URL(path, info.instanceUrl);
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).get(
      url,
      { headers: { authorization: `Bearer ${info.accessToken}`, accept: 'text/csv' }, signal },
      resolve,
    );
    request.on('error', reject);
  });
  if (res.statusCode === 401 && !retried) {
    res.resume();
    await session.signIn();
    return getResultsPage(session, jobId, path, signal, true);
  }
  if (res.statusCode !== 200) {
    const body = await readAll(res);
    const message = `Bulk API results ${url.pathname} answered ${res.statusCode}: ${body.slice(0, 500)}`;
    // 404: the job is gone (deleted, or its results expired); 400 INVALIDLOCATOR: the locator is not the job's.
    if (res.statusCode === 404 || (res.statusCode === 400 && body.includes('INVALIDLOCATOR')))
      throw new BulkResultsGoneError(jobId, message);
    // Salesforce's own code when the body names one (a 400 UNABLE_TO_LOCK_ROW is transient, a 400 is not),
    // else the status as a code (ERROR_HTTP_503…), so callers can tell a transient answer from the rest.
    throw Object.assign(new Error(message), { code: errorCodeOf(body) ?? `ERROR_HTTP_${res.statusCode}` });
  }
  return res;
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The `errorCode` of a Salesforce error body (`[{ "errorCode": "…", "message": "…" }]`), or undefined. */
function errorCodeOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    const first = (Array.isArray(parsed) ? parsed[0] : parsed) as { errorCode?: unknown } | undefined;
    return typeof first?.errorCode === 'string' && /^[A-Z][A-Z0-9_]+$/.test(first.errorCode)
      ? first.errorCode
      : undefined;
  } catch {
    return undefined;
  }
}
