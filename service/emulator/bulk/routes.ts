import express from 'express';
import type { EmulatedOrg } from '../org/org';
import { ingestJobsRouter } from './ingest-routes';
import type { BulkOptions } from './jobs';
import { queryJobsRouter } from './query-routes';

export { bulkJobsOf, type BulkJobs, type BulkOptions } from './jobs';

/**
 * Bulk API 2.0 (`jobs/query`, `jobs/ingest`) for one emulated org. Mount on the authenticated
 * `/services/data/vXX.X/` router; job requests are JSON, uploads text/csv.
 */
export function bulkRouter(org: EmulatedOrg, options: BulkOptions = {}): express.Router {
  const router = express.Router();
  // A server-wide JSON parser may already have run; body-parser then leaves the body alone.
  router.use('/jobs', express.json({ type: ['application/json', 'application/*+json'] }));
  router.use(queryJobsRouter(org, options));
  router.use(ingestJobsRouter(org, options));
  return router;
}
