import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../store/types';
import { AUDIT_ORIGINS, auditPage } from '../store/audit';
import { fromZod } from './errors';
import { unstorableTextReason } from '../model/text';

const isoTime = z
  .string()
  .datetime({ offset: true })
  .transform((s) => new Date(s));

/** Filter text Postgres can compare: a NUL or a lone surrogate would make it throw, and answer 500. */
const filterText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .superRefine((text, ctx) => {
      const reason = unstorableTextReason(text);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    });

const auditQuery = z
  .object({
    contactId: z.string().uuid().optional(),
    orgId: filterText(64).optional(),
    origin: z.enum(AUDIT_ORIGINS).optional(),
    action: filterText(100).optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: filterText(200).optional(),
  })
  .strict();

/**
 * The audit log (conflict losers, deletes, commands, …): `GET /audit?contactId=&orgId=&origin=&action=&from=&to=&limit=&cursor=`,
 * newest first; `nextCursor` (null on the last page) is passed as `cursor` for the next page.
 */
export function auditApi(options: { db: Database }): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    const parsed = auditQuery.safeParse(req.query);
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await auditPage(options.db, parsed.data));
  });
  return router;
}
