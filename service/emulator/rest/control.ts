import { timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { sendSfError } from '../http/context';
import { SOBJECT_NAMES } from '../org/schema';
import { bearerToken } from './auth';
import { sobjectFromUrl } from './params';
import { createRecord, deleteRecord, sendOutcome, undeleteRecord, updateRecord } from './record-writes';
import type { RestContext } from './rest-context';

const faultSettingsSchema = z
  .object({
    errorRate: z.number().min(0).max(1),
    errorKinds: z.array(z.enum(['503', 'REQUEST_LIMIT_EXCEEDED', 'UNABLE_TO_LOCK_ROW', 'timeout'])).min(1),
    failNextRequests: z.number().int().min(0),
  })
  .partial()
  .strict();

const apiUsageSchema = z
  .object({ used: z.number().int().min(0), limit: z.number().int().min(1) })
  .partial()
  .strict();

/**
 * Several UI edits in one request (a benchmark offering 1,000 edits a second): each its own save, or with
 * `oneSave` all in one DML statement, as a list view's mass edit or a data load makes (at most 10,000 rows,
 * Salesforce's limit per transaction).
 */
const uiEditsSchema = z
  .object({
    edits: z
      .array(z.object({ id: z.string().min(1), fields: z.record(z.string(), z.unknown()) }).strict())
      .min(1)
      .max(10_000),
    oneSave: z.boolean().optional(),
  })
  .strict()
  .refine((body) => body.oneSave === true || body.edits.length <= 200, {
    path: ['edits'],
    message: 'at most 200 separate saves per request (oneSave takes up to 10,000)',
  });

/** A zod failure as one sentence naming each bad field. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

function requireControlSecret(ctx: RestContext): RequestHandler {
  return (req, res, next) => {
    const given = Buffer.from(bearerToken(req) ?? '');
    const expected = Buffer.from(ctx.org.clientSecret);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      sendSfError(
        res,
        401,
        'INVALID_SESSION_ID',
        'Emulator control endpoints need Authorization: Bearer <the org client secret>',
      );
      return;
    }
    next();
  };
}

/**
 * Test and demo controls, not part of Salesforce: edits "by a person in the UI" (the admin user, so
 * the emulated triggers publish), fault switches, token expiry, dropped streams and a state summary.
 * Not metered as API calls.
 */
export function controlRouter(ctx: RestContext): Router {
  const { org } = ctx;
  const router = express.Router();
  router.use(requireControlSecret(ctx));

  router.post('/ui/:sobject', (req, res) => {
    const sobject = sobjectFromUrl(req.params.sobject, res);
    if (sobject) sendOutcome(res, createRecord(org, sobject, req.body, org.adminUser));
  });
  router.patch('/ui/:sobject/:id', (req, res) => {
    const sobject = sobjectFromUrl(req.params.sobject, res);
    if (sobject) sendOutcome(res, updateRecord(org, sobject, req.params.id, req.body, org.adminUser));
  });
  // Each edit is a transaction of its own, as if saved by a different person: one trigger run, one event;
  // or one mass edit (oneSave): one DML statement, whose trigger runs publish an event per 200 records.
  router.post('/ui-edits/:sobject', (req, res) => {
    const sobject = sobjectFromUrl(req.params.sobject, res);
    if (!sobject) return;
    const parsed = uiEditsSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      sendSfError(res, 400, 'INVALID_FIELD', `Invalid UI edits: ${describeIssues(parsed.error)}`);
      return;
    }
    if (parsed.data.oneSave) {
      const rows = parsed.data.edits.map(({ id, fields }) => ({ ...fields, Id: id }));
      const saved = org.store.transaction(() => org.store.update(sobject, rows, org.adminUser));
      res.json({
        results: saved.map((r, i) => ({ id: parsed.data.edits[i].id, success: r.success, errors: r.errors })),
      });
      return;
    }
    const results = parsed.data.edits.map(({ id, fields }) => {
      const outcome = org.store.transaction(() => updateRecord(org, sobject, id, fields, org.adminUser));
      if (outcome.kind === 'done') return { id, success: true, errors: [] };
      const errors =
        outcome.kind === 'dml-error'
          ? outcome.result.errors
          : [{ statusCode: 'NOT_FOUND', message: `${sobject} ${id}: ${outcome.kind}`, fields: [] }];
      return { id, success: false, errors };
    });
    res.json({ results });
  });
  router.delete('/ui/:sobject/:id', (req, res) => {
    const sobject = sobjectFromUrl(req.params.sobject, res);
    if (sobject) sendOutcome(res, deleteRecord(org, sobject, req.params.id, org.adminUser));
  });
  router.post('/ui/:sobject/:id/undelete', (req, res) => {
    const sobject = sobjectFromUrl(req.params.sobject, res);
    if (sobject) sendOutcome(res, undeleteRecord(org, sobject, req.params.id, org.adminUser));
  });

  router.put('/faults', (req, res) => {
    const parsed = faultSettingsSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      sendSfError(res, 400, 'INVALID_FIELD', `Invalid fault settings: ${describeIssues(parsed.error)}`);
      return;
    }
    Object.assign(org.faults, parsed.data);
    res.json(org.faults);
  });

  router.put('/api-usage', (req, res) => {
    const parsed = apiUsageSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      sendSfError(res, 400, 'INVALID_FIELD', `Invalid API usage: ${describeIssues(parsed.error)}`);
      return;
    }
    Object.assign(org.apiUsage, parsed.data);
    res.json(org.apiUsage);
  });

  router.post('/expire-tokens', (_req, res) => {
    org.expireAllTokens();
    res.status(204).end();
  });

  router.post('/drop-streams', (_req, res) => {
    org.dropPubSubStreams();
    res.status(204).end();
  });

  router.get('/state', (_req, res) => {
    res.json({
      organizationId: org.organizationId,
      personAccounts: org.store.personAccounts,
      counts: Object.fromEntries(SOBJECT_NAMES.map((name) => [name, org.store.count(name)])),
      apiUsage: org.apiUsage,
      faults: org.faults,
    });
  });

  return router;
}
