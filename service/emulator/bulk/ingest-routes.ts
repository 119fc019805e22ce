import express from 'express';
import { actorOf, apiVersionOf } from '../http/context';
import type { EmulatedOrg } from '../org/org';
import { resolveSObject } from '../org/schema';
import { handle, jobRoutes, readTextBody } from './http';
import { IngestJob, type IngestOperation } from './ingest-job';
import { csvSettingsOf, invalidJob, invalidJobState, jsonBody } from './job-common';
import { bulkJobsOf, type BulkOptions } from './jobs';

const OPERATIONS: readonly IngestOperation[] = ['insert', 'update', 'upsert', 'delete'];

/** Bulk API 2.0 ingest jobs: `jobs/ingest[/:id[/batches|successfulResults|failedResults|unprocessedrecords]]`. */
export function ingestJobsRouter(org: EmulatedOrg, options: BulkOptions): express.Router {
  const router = express.Router();
  const jobs = bulkJobsOf(org);

  const jobOf = jobRoutes(router, {
    kind: 'ingest',
    jobs: jobs.ingestJobs,
    undeletable: ({ info }) =>
      info.state === 'Open' || info.state === 'InProgress'
        ? `Job ${info.id} is ${info.state}; close or abort it before deleting it`
        : undefined,
  });

  router.post(
    '/jobs/ingest',
    handle((req, res) => {
      const body = jsonBody(req);
      const { object, operation, externalIdFieldName } = body;
      if (typeof object !== 'string' || object === '') throw invalidJob('object: the sObject to load is required');
      const sobject = resolveSObject(object);
      if (!sobject) throw invalidJob(`object: sObject type '${object}' is not supported`);
      if (operation === 'hardDelete')
        throw invalidJob('operation: hardDelete is not supported by the org emulator; use delete');
      if (!OPERATIONS.includes(operation as IngestOperation)) {
        throw invalidJob(`operation: expected one of ${OPERATIONS.join(', ')}, got '${String(operation)}'`);
      }
      if (operation === 'upsert') {
        if (typeof externalIdFieldName !== 'string' || externalIdFieldName === '') {
          throw invalidJob('externalIdFieldName: required for upsert');
        }
        if (externalIdFieldName.toLowerCase() !== 'id') {
          throw invalidJob(`externalIdFieldName: the org emulator upserts on Id only, got '${externalIdFieldName}'`);
        }
      }
      const job = new IngestJob(
        jobs.nextJobId(),
        actorOf(res),
        sobject,
        operation as IngestOperation,
        apiVersionOf(req),
        csvSettingsOf(body),
        operation === 'upsert' ? 'Id' : undefined,
        org.store,
      );
      job.resultOrder = jobs.ingestResultOrder;
      jobs.ingestJobs.set(job.info.id, job);
      res.json(job.info);
    }),
  );

  router.put(
    '/jobs/ingest/:id/batches',
    handle(async (req, res) => {
      const job = jobOf(req);
      if (job.info.state !== 'Open')
        throw invalidJobState(`Job ${job.info.id} is ${job.info.state}: data can only be uploaded while it is Open`);
      const type = req.get('Content-Type') ?? '';
      if (!/^text\/csv\b/i.test(type)) throw invalidJob(`Content-Type: uploads must be text/csv, got '${type}'`);
      job.addUpload(await readTextBody(req));
      res.status(201).end();
    }),
  );

  router.patch(
    '/jobs/ingest/:id',
    handle((req, res) => {
      const job = jobOf(req);
      const { state } = jsonBody(req);
      if (state === 'UploadComplete') {
        if (job.info.state !== 'Open') throw invalidJobState(`Job ${job.info.id} is ${job.info.state}, not Open`);
        job.setState('UploadComplete');
        res.json(job.info);
        job.process(options.processingDelayMs ?? 0).catch((err: unknown) => {
          job.setState('Failed', `Internal error: ${err instanceof Error ? err.message : String(err)}`);
        });
        return;
      }
      if (state === 'Aborted') {
        if (!['Open', 'UploadComplete', 'InProgress'].includes(job.info.state)) {
          throw invalidJobState(`Job ${job.info.id} is ${job.info.state} and can no longer be aborted`);
        }
        job.abort();
        res.json(job.info);
        return;
      }
      throw invalidJob(`state: expected UploadComplete or Aborted, got '${String(state)}'`);
    }),
  );

  const csvResult = (path: string, body: (job: IngestJob) => string): void => {
    router.get(
      `/jobs/ingest/:id/${path}`,
      handle((req, res) => {
        res.type('text/csv; charset=UTF-8').send(body(jobOf(req)));
      }),
    );
  };
  csvResult('successfulResults', (job) => job.successfulResultsCsv());
  csvResult('failedResults', (job) => job.failedResultsCsv());
  csvResult('unprocessedrecords', (job) => job.unprocessedRecordsCsv());

  return router;
}
