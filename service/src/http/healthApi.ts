import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../store/types';
import { getContact } from '../directory/contacts';
import { findLinksByContact } from '../store/state/links';
import { countRecordHealth, healthOfContact, listRecordHealth, type RecordHealth } from '../store/state/recordHealth';
import { isUuid } from '../store/values';
import { ApiError, fromZod } from './errors';

export interface HealthApiOptions {
  db: Database;
  /** The connected orgs' ids (the service's own, as in /status). */
  orgIds(): string[];
}

/** One org's view of a contact: in sync, or why not (the worst entry decides: failing over excluded). */
type ContactOrgState = 'in_sync' | 'excluded' | 'failing';

const orgHealthQuery = z
  .object({
    state: z.enum(['excluded', 'failing']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

function entryView(entry: RecordHealth) {
  return {
    side: entry.side,
    sobject: entry.sobject,
    recordId: entry.recordId ?? (entry.side === 'salesforce' ? entry.key : null),
    contactId: entry.contactId ?? (entry.side === 'telephony' ? entry.key : null),
    state: entry.state,
    code: entry.code,
    reason: entry.reason,
    retries: entry.attempts,
    nextRetryAt: entry.nextRetryAt,
    ignoredAt: entry.ignoredAt,
    since: entry.since,
    updatedAt: entry.updatedAt,
  };
}

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
    if (!isUuid(id) || !(await getContact(db, id)))
      throw new ApiError(404, 'not_found', `contact ${id} does not exist`, { record: id });
    const [links, entries] = await Promise.all([findLinksByContact(db, id), healthOfContact(db, id)]);
    const orgIds = [...new Set([...links.map((l) => l.orgId), ...entries.map((e) => e.orgId)])].sort();
    const orgs = orgIds.map((orgId) => {
      const own = entries.filter((e) => e.orgId === orgId);
      const state: ContactOrgState = own.some((e) => e.state === 'failing')
        ? 'failing'
        : own.length > 0
          ? 'excluded'
          : 'in_sync';
      return {
        orgId,
        state,
        records: links.filter((l) => l.orgId === orgId).map((l) => ({ sobject: l.sobject, recordId: l.recordId })),
        entries: own.map(entryView),
      };
    });
    res.json({
      contactId: id,
      state: orgs.some((o) => o.state === 'failing')
        ? 'failing'
        : orgs.some((o) => o.state === 'excluded')
          ? 'excluded'
          : 'in_sync',
      orgs,
    });
  });

  router.get('/orgs/:orgId/health', async (req, res) => {
    const orgId = req.params.orgId;
    if (!options.orgIds().includes(orgId))
      throw new ApiError(404, 'not_found', `org ${orgId} is not connected to this service`, { record: orgId });
    const parsed = orgHealthQuery.safeParse(req.query);
    if (!parsed.success) throw fromZod(parsed.error);
    const { state, limit } = parsed.data;
    const [counts, entries] = await Promise.all([
      countRecordHealth(db, orgId),
      listRecordHealth(db, orgId, { state, limit }),
    ]);
    res.json({ orgId, counts, entries: entries.map(entryView) });
  });

  return router;
}
