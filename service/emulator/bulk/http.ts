import type { NextFunction, Request, Response, Router } from 'express';
import { sendQueryError } from '../soql/send-error';
import {
  invalidJobState,
  JobRequestError,
  jobNotFound,
  sendJobError,
  type BulkJob,
  type JobInfoBase,
} from './job-common';

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

export interface JobRoutesOptions<Job> {
  /** The `jobs/<kind>` path segment. */
  kind: 'ingest' | 'query';
  jobs: Map<string, Job>;
  /** Why the job cannot be deleted in its current state, or undefined when it can. */
  undeletable(job: Job): string | undefined;
}

/**
 * The routes both kinds of job answer alike: list the jobs, read one, delete one. Returns the
 * `:id` lookup (404 NOT_FOUND for an unknown id) for the kind's own routes.
 */
export function jobRoutes<Job extends BulkJob<JobInfoBase>>(
  router: Router,
  options: JobRoutesOptions<Job>,
): (req: Request) => Job {
  const { kind, jobs } = options;
  const jobOf = (req: Request): Job => {
    const job = jobs.get(String(req.params.id));
    if (!job) throw jobNotFound();
    return job;
  };

  router.get(
    `/jobs/${kind}`,
    handle((_req, res) => {
      res.json({ done: true, records: [...jobs.values()].map((job) => job.info), nextRecordsUrl: null });
    }),
  );

  router.get(
    `/jobs/${kind}/:id`,
    handle((req, res) => {
      res.json(jobOf(req).info);
    }),
  );

  router.delete(
    `/jobs/${kind}/:id`,
    handle((req, res) => {
      const job = jobOf(req);
      const refusal = options.undeletable(job);
      if (refusal !== undefined) throw invalidJobState(refusal);
      jobs.delete(job.info.id);
      res.status(204).end();
    }),
  );

  return jobOf;
}
