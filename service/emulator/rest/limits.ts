import express, { type Router } from 'express';
import type { EmulatedOrg } from '../org/org';
import type { RestContext } from './rest-context';

interface Limit {
  Max: number;
  Remaining: number;
}

/**
 * Allocations reported by `GET /limits`, sized like an Enterprise org. Only API requests are
 * metered by the emulator; the others report their full allocation.
 */
const STATIC_LIMITS: Record<string, number> = {
  DailyBulkApiBatches: 15_000,
  DailyBulkV2QueryFileStorageMB: 976_562,
  DailyBulkV2QueryJobs: 10_000,
  DailyDeliveredPlatformEvents: 25_000,
  DailyStandardVolumePlatformEvents: 25_000,
  HourlyPublishedPlatformEvents: 250_000,
  HourlyPublishedStandardVolumePlatformEvents: 100_000,
  MonthlyPlatformEventsUsageEntitlement: 750_000,
  ConcurrentAsyncGetReportInstances: 200,
  DataStorageMB: 5_120,
  FileStorageMB: 20_480,
};

export function limitsBody(org: EmulatedOrg): Record<string, Limit> {
  const { used, limit } = org.apiUsage;
  const body: Record<string, Limit> = { DailyApiRequests: { Max: limit, Remaining: Math.max(0, limit - used) } };
  for (const [name, max] of Object.entries(STATIC_LIMITS)) body[name] = { Max: max, Remaining: max };
  return body;
}

export function limitsRouter(ctx: RestContext): Router {
  const router = express.Router();
  router.get('/limits', (_req, res) => {
    res.json(limitsBody(ctx.org));
  });
  return router;
}
