import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../store/types';
import { contactHealth, orgHealth } from '../directory/views';
import { isUuid } from '../model/ids';
import { ApiError, fromZod } from './errors';

export interface HealthApiOptions {
  db: Database;
  /** The connected orgs' ids (the service's own, as in /status). */
  orgIds(): string[];
}

const orgHealthQuery = z
  .object({
    state: z.enum(['excluded', 'failing']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/**
 * Per-record health: `GET /contacts/:id/health` (each org the contact is linked in or has entries in:
 * in sync, excluded with the reason, failing with the error, retries and next retry) and
 * `GET /orgs/:orgId/health?state=&limit=` (an org's excluded and failing records, newest first).
 */
export function healthApi(options: HealthApiOptions): Router {
  const { db } = options;
  const router = Router();

  router.get('/contacts/:id/health', async (req, res) => {
    const id = req.params.id;
    const health = isUuid(id) ? await contactHealth(db, id) : null;
    if (!health) throw new ApiError(404, 'not_found', `contact ${id} does not exist`, { record: id });
    res.json(health);
  });

  router.get('/orgs/:orgId/health', async (req, res) => {
    const orgId = req.params.orgId;
    if (!options.orgIds().includes(orgId))
      throw new ApiError(404, 'not_found', `org ${orgId} is not connected to this service`, { record: orgId });
    const parsed = orgHealthQuery.safeParse(req.query);
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await orgHealth(db, orgId, parsed.data));
  });

  return router;
}
