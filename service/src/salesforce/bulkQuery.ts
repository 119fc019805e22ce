import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { parse } from 'csv-parse';
import type { OrgSession } from './session';

export interface BulkQueryOptions {
  apiVersion: string;
  /** Rows per results page requested from Salesforce (Sforce-Locator paging). */
  maxRecordsPerPage?: number;
  /** Rows handed to the caller at a time. */
  batchSize?: number;
  pollIntervalMs?: number;
  /** Give up waiting for the job to complete after this long. */
  timeoutMs?: number;
}

interface JobInfo {
  id: string;
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  errorMessage?: string;
}

/**
 * A Bulk API 2.0 query, streamed: create the job, wait for it, then follow `Sforce-Locator` page by page,
 * parsing each page's CSV as it arrives and yielding rows in batches, so memory holds one batch, not the
 * result. jsforce's own bulk2 result reader buffers every page and breaks on large results, so only the
 * job calls go through jsforce (which also re-signs-in on an expired session).
 */
export async function* bulkQuery(
  session: OrgSession,
  soql: string,
  options: BulkQueryOptions,
): AsyncGenerator<Array<Record<string, string | null>>> {
  const base = `/services/data/v${options.apiVersion}/jobs/query`;
  const conn = session.conn;
  const job = await conn.request<JobInfo>({
    method: 'POST',
    url: base,
    body: JSON.stringify({ operation: 'query', query: soql, contentType: 'CSV', columnDelimiter: 'COMMA', lineEnding: 'LF' }),
    headers: { 'content-type': 'application/json' },
  });
  await waitForCompletion(session, `${base}/${job.id}`, options);

  const batchSize = options.batchSize ?? 2000;
  let locator: string | null = '';
  while (locator !== null) {
    const params = new URLSearchParams({ maxRecords: String(options.maxRecordsPerPage ?? 50_000) });
    if (locator) params.set('locator', locator);
    const res = await getResultsPage(session, `${base}/${job.id}/results?${params}`);
    const next = res.headers['sforce-locator'];
    locator = typeof next === 'string' && next !== 'null' && next !== '' ? next : null;
    let batch: Array<Record<string, string | null>> = [];
    // Each page starts with its own header row.
    for await (const row of res.pipe(parse({ columns: true, bom: true })) as AsyncIterable<Record<string, string>>) {
      const record: Record<string, string | null> = {};
      for (const [key, value] of Object.entries(row)) record[key] = value === '' ? null : value;
      batch.push(record);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}

async function waitForCompletion(session: OrgSession, url: string, options: BulkQueryOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let delay = options.pollIntervalMs ?? 250;
  for (;;) {
    const info = await session.conn.request<JobInfo>({ method: 'GET', url });
    if (info.state === 'JobComplete') return;
    if (info.state === 'Failed' || info.state === 'Aborted') {
      throw new Error(`Bulk API query job ${info.id} ${info.state.toLowerCase()}: ${info.errorMessage ?? 'no reason given'}`);
    }
    if (Date.now() > deadline) throw new Error(`Bulk API query job ${info.id} did not complete in time (state ${info.state})`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 5000);
  }
}

/** GET one results page with the session's token; one new sign-in when the token has expired. */
async function getResultsPage(session: OrgSession, path: string, retried = false): Promise<IncomingMessage> {
  const info = session.current ?? (await session.signIn());
  const url = new URL(path, info.instanceUrl);
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).get(
      url,
      { headers: { authorization: `Bearer ${info.accessToken}`, accept: 'text/csv' } },
      resolve,
    );
    request.on('error', reject);
  });
  if (res.statusCode === 401 && !retried) {
    res.resume();
    await session.signIn();
    return getResultsPage(session, path, true);
  }
  if (res.statusCode !== 200) {
    const body = await readAll(res);
    throw new Error(`Bulk API results ${url.pathname} answered ${res.statusCode}: ${body.slice(0, 500)}`);
  }
  return res;
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
