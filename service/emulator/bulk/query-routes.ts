import express, { type Request, type Response } from 'express';
import { actorOf, apiVersionOf } from '../http/context';
import type { EmulatedOrg } from '../org/org';
import { compileSoql } from '../soql/compile';
import { handle, jobRoutes } from './http';
import { csvSettingsOf, invalidJob, invalidJobState, jsonBody, nextTurn, JobRequestError } from './job-common';
import { DEFAULT_MAX_PAGE_CHARS, bulkJobsOf, type BulkOptions } from './jobs';
import { QueryJob, decodeLocator, encodeLocator } from './query-job';

/** Bulk API 2.0 query jobs: `jobs/query[/:id[/results]]`. */
export function queryJobsRouter(org: EmulatedOrg, options: BulkOptions): express.Router {
  const router = express.Router();
  const jobs = bulkJobsOf(org);
  const maxPageChars = options.maxPageChars ?? DEFAULT_MAX_PAGE_CHARS;

  const jobOf = jobRoutes(router, {
    kind: 'query',
    jobs: jobs.queryJobs,
    undeletable: ({ info }) =>
      info.state === 'InProgress' ? `Job ${info.id} is InProgress and cannot be deleted yet` : undefined,
  });

  router.post(
    '/jobs/query',
    handle((req, res) => {
      const body = jsonBody(req);
      const { operation = 'query', query } = body;
      if (operation !== 'query' && operation !== 'queryAll') {
        throw invalidJob(`operation: expected query or queryAll, got '${String(operation)}'`);
      }
      if (typeof query !== 'string' || query.trim() === '') throw invalidJob('query: a SOQL query is required');
      const settings = csvSettingsOf(body);
      // The SOQL is checked when the job is created: errors come back at once, with their SOQL code.
      const compiled = compileSoql(query, { personAccounts: org.store.personAccounts });
      if (compiled.count) throw invalidJob('Bulk API 2.0 query does not support aggregate functions such as COUNT()');
      if (compiled.offset > 0) throw invalidJob('Bulk API 2.0 query does not support OFFSET');
      const job = new QueryJob(
        jobs.nextJobId(),
        actorOf(res),
        compiled,
        operation,
        apiVersionOf(req),
        settings,
        org.store,
      );
      jobs.queryJobs.set(job.info.id, job);
      res.json({ ...job.info });
      void run(job, jobs.takeQueryFailure(), options.processingDelayMs ?? 0);
    }),
  );

  router.patch(
    '/jobs/query/:id',
    handle((req, res) => {
      const job = jobOf(req);
      const { state } = jsonBody(req);
      if (state !== 'Aborted')
        throw invalidJob(`state: a query job can only be set to Aborted, got '${String(state)}'`);
      if (job.info.state !== 'UploadComplete' && job.info.state !== 'InProgress') {
        throw invalidJobState(`Job ${job.info.id} is ${job.info.state} and can no longer be aborted`);
      }
      job.setState('Aborted');
      res.json(job.info);
    }),
  );

  router.get(
    '/jobs/query/:id/results',
    handle(async (req, res) => {
      const job = jobOf(req);
      if (job.info.state !== 'JobComplete') {
        throw invalidJobState(
          `Results are available once the job is JobComplete; job ${job.info.id} is ${job.info.state}`,
        );
      }
      if (Number(apiVersionOf(req)) !== job.info.apiVersion) {
        throw new JobRequestError(
          409,
          'INVALIDJOB',
          `Get the results with the API version that created the job (v${job.info.apiVersion.toFixed(1)})`,
        );
      }
      const position = locatorParam(req);
      const maxRecords = maxRecordsParam(req) ?? options.defaultMaxRecords ?? Number.MAX_SAFE_INTEGER;
      const page = job.page(position, maxRecords, maxPageChars);
      await jobs.resultsTurn();
      // The client gave up while the page was held.
      if (res.destroyed || !res.socket || res.socket.destroyed) return;
      jobs.resultsServed.push({ jobId: job.info.id, position });
      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=UTF-8');
      res.setHeader('Sforce-NumberOfRecords', String(page.numberOfRecords));
      res.setHeader('Sforce-Locator', page.nextPosition === undefined ? 'null' : encodeLocator(page.nextPosition));
      writeChunks(res, page.chunks);
    }),
  );

  return router;
}

/** UploadComplete → InProgress → JobComplete (or Failed), each step on a later turn of the event loop. */
async function run(job: QueryJob, injectedFailure: string | undefined, delayMs: number): Promise<void> {
  await nextTurn();
  if (!job.is('UploadComplete')) return;
  job.setState('InProgress');
  await nextTurn(delayMs);
  // Aborted meanwhile?
  if (!job.is('InProgress')) return;
  if (injectedFailure !== undefined) {
    job.setState('Failed', injectedFailure);
    return;
  }
  try {
    job.complete();
  } catch (err) {
    job.setState('Failed', err instanceof Error ? err.message : String(err));
  }
}

function locatorParam(req: Request): number {
  const locator = req.query.locator;
  if (locator === undefined || locator === '') return 0;
  const position = typeof locator === 'string' ? decodeLocator(locator) : undefined;
  if (position === undefined)
    throw new JobRequestError(400, 'INVALIDLOCATOR', `locator: '${String(locator)}' is not a locator of this job`);
  return position;
}

function maxRecordsParam(req: Request): number | undefined {
  const raw = req.query.maxRecords;
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new JobRequestError(400, 'INVALIDPARAMETER', `maxRecords: expected a positive integer, got '${String(raw)}'`);
  }
  return value;
}

/** Writes the page's pieces, waiting for the socket to drain between them. */
function writeChunks(res: Response, chunks: string[]): void {
  let index = 0;
  const pump = (): void => {
    while (index < chunks.length) {
      if (!res.write(chunks[index++])) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => {
    index = chunks.length;
  });
  pump();
}
