import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Database } from '../store/types';
import { callById, listCallRejects, listCalls, type StoredCall } from '../store/calls';
import { DIRECTIONS, DISPOSITIONS, talkSeconds } from '../calls/callEvent';
import type { CallIntake, CallSource } from '../calls/callIntake';
import { isTimeZone } from '../calls/adapters/asterisk';
import { listOrgs } from '../store/state/orgs';
import { lightningUrl } from '../callerId/callerView';
import { ApiError, fromZod } from './errors';
import { jsonBody } from './jsonBody';

/**
 * Calls over HTTP (issue 15).
 *
 * Intake — `POST /api/v1/calls` (the public report shape), `POST /api/v1/calls/freeswitch` (mod_json_cdr, JSON or
 * its form-encoded `cdr=`), `POST /api/v1/calls/kamailio` (acc_json records), `POST /api/v1/calls/asterisk?tz=`
 * (AMI Cdr event fields, JSON or form-encoded, times in the PBX's zone), `POST /api/v1/calls/3cx` (the 3CX CRM
 * template's ReportCall variables, JSON or form-encoded; `?tz=` for a [DateTime] without a zone) — takes the API
 * token or an access key with the `calls` scope (as `?key=` or the HTTP Basic password, what a PBX can send) and
 * answers 202 with the call's id; a report it refuses is a 400 naming the field and the call, kept for inspection.
 *
 * History — `GET /api/v1/calls`, `GET /api/v1/contacts/:id/calls`, `GET /api/v1/call-rejects` — takes the API
 * token (mounted behind it).
 */
export interface CallsApiOptions {
  db: Database;
  intake: CallIntake;
  /** The API token check (http/auth.ts) and the `calls` access-key check (deviceAccess/). */
  bearer: RequestHandler;
  accessKey: RequestHandler;
}

/** A bearer token when the request carries one, else an access key with the `calls` scope. */
function tokenOrKey(bearer: RequestHandler, accessKey: RequestHandler): RequestHandler {
  return (req, res, next) => (/^Bearer\s/i.test(req.get('authorization') ?? '') ? bearer : accessKey)(req, res, next);
}

/** FreeSWITCH's mod_json_cdr posts the CDR as JSON, or form-encoded as `cdr=<json>` (its `encode` option). */
function cdrOf(body: unknown): unknown {
  const cdr = typeof body === 'object' && body !== null ? (body as { cdr?: unknown }).cdr : undefined;
  if (typeof cdr !== 'string') return body;
  try {
    return JSON.parse(cdr) as unknown;
  } catch {
    throw new ApiError(400, 'invalid_request', 'cdr: is not valid JSON', { field: 'cdr' });
  }
}

export function callsIntakeRouter(options: CallsApiOptions): Router {
  const router = Router();
  const guard = tokenOrKey(options.bearer, options.accessKey);
  const receive =
    (source: CallSource, unwrap: (body: unknown) => unknown = (b) => b): RequestHandler =>
    async (req, res) => {
      const body = unwrap(req.body);
      const tz = req.query.tz;
      if (tz !== undefined && (typeof tz !== 'string' || !isTimeZone(tz))) {
        throw new ApiError(400, 'invalid_request', 'tz: must be an IANA time zone such as Europe/Berlin', {
          field: 'tz',
        });
      }
      const receipt = await options.intake.receive(source, body, tz);
      if ('problem' in receipt) {
        const { field, message, record } = receipt.problem;
        throw new ApiError(400, 'invalid_call', `${field}: ${message}${record ? ` (call ${record})` : ''}`, {
          field,
          record,
        });
      }
      res.status(202).json(receipt);
    };
  const forms = express.urlencoded({ extended: false, limit: '256kb' });
  router.post('/calls', guard, jsonBody('256kb'), receive('api'));
  router.post('/calls/freeswitch', guard, forms, jsonBody('256kb'), receive('freeswitch', cdrOf));
  router.post('/calls/kamailio', guard, jsonBody('256kb'), receive('kamailio'));
  router.post('/calls/asterisk', guard, forms, jsonBody('256kb'), receive('asterisk'));
  router.post('/calls/3cx', guard, forms, jsonBody('256kb'), receive('3cx'));
  return router;
}

const isoTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const listQuery = z
  .object({
    direction: z.enum(DIRECTIONS).optional(),
    disposition: z.enum(DISPOSITIONS).optional(),
    number: z
      .string()
      .regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number (+4930…)')
      .optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z
      .string()
      .regex(/^\d{1,16}_[0-9a-f-]{36}$/, 'is not a cursor this API gave')
      .optional(),
  })
  .strict();

function cursorOf(call: StoredCall): string {
  return `${call.startedAt.getTime()}_${call.id}`;
}

function afterOf(cursor: string | undefined): { startedAt: Date; id: string } | null {
  if (!cursor) return null;
  const [ms, id] = cursor.split('_');
  return { startedAt: new Date(Number(ms)), id: id as string };
}

/** Each connected org's instance URL (null until signed in once), for "Open in Salesforce" links. */
type InstanceUrls = Map<string, string | null>;

async function instanceUrls(db: Database): Promise<InstanceUrls> {
  return new Map((await listOrgs(db)).map((org) => [org.id, org.instanceUrl]));
}

/** A call as the API shows it, with its talk time and links to its records and Tasks in Salesforce. */
function view(call: StoredCall, urls: InstanceUrls) {
  const url = (orgId: string, sobject: string, id: string) => lightningUrl(urls.get(orgId) ?? null, sobject, id);
  return {
    id: call.id,
    callId: call.callId,
    source: call.source,
    direction: call.direction,
    from: call.from,
    to: call.to,
    otherParty: call.otherE164,
    extension: call.extension,
    startedAt: call.startedAt.toISOString(),
    answeredAt: call.answeredAt?.toISOString() ?? null,
    endedAt: call.endedAt?.toISOString() ?? null,
    durationSeconds: talkSeconds(call),
    disposition: call.disposition,
    recordingUrl: call.recordingUrl,
    legs: call.legIds.length,
    contactId: call.contactId,
    records: call.matched.map((record) => ({ ...record, url: url(record.orgId, record.sobject, record.recordId) })),
    /** The Task logging the call, by org id, once Salesforce has made it. */
    tasks: call.tasks,
    taskUrls: Object.fromEntries(Object.entries(call.tasks).map(([orgId, id]) => [orgId, url(orgId, 'Task', id)])),
    receivedAt: call.receivedAt,
  };
}

export function callsHistoryApi(options: { db: Database }): Router {
  const router = Router();
  const page = async (query: unknown, contactId?: string) => {
    const parsed = listQuery.safeParse(query);
    if (!parsed.success) throw fromZod(parsed.error);
    const { limit, cursor, ...filter } = parsed.data;
    const calls = await listCalls(options.db, { ...filter, contactId }, afterOf(cursor), limit);
    const last = calls.length === limit ? calls.at(-1) : undefined;
    const urls = await instanceUrls(options.db);
    return { calls: calls.map((call) => view(call, urls)), nextCursor: last ? cursorOf(last) : null };
  };
  router.get('/calls', async (req, res) => {
    res.json(await page(req.query));
  });
  router.get('/calls/:id', async (req, res) => {
    const id = req.params.id;
    const call = z.uuid().safeParse(id).success ? await callById(options.db, id) : null;
    if (!call) throw new ApiError(404, 'not_found', `no call ${id}`, { record: id });
    res.json(view(call, await instanceUrls(options.db)));
  });
  router.get('/contacts/:id/calls', async (req, res) => {
    const id = req.params.id;
    if (!z.uuid().safeParse(id).success) {
      throw new ApiError(400, 'invalid_request', `id: must be a contact id (UUID)`, { field: 'id', record: id });
    }
    res.json(await page(req.query, id));
  });
  router.get('/call-rejects', async (req, res) => {
    const limit = z.coerce.number().int().min(1).max(1000).default(100).safeParse(req.query.limit);
    if (!limit.success) throw new ApiError(400, 'invalid_request', 'limit: must be 1 to 1000', { field: 'limit' });
    res.json({ rejects: await listCallRejects(options.db, limit.data) });
  });
  return router;
}
