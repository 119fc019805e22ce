import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Database } from '../../store/types';
import { getAccessKey, listAccessKeys, type AccessKeyRecord } from '../../store/devices/accessKeys';
import { createAccessKey, revokeAccessKey, rotateAccessKey } from '../../deviceAccess/accessKeys';
import {
  ACCESS_SCOPES,
  accessKeyOptionsSchema,
  cidrSchema,
  MAX_ALLOWED_CIDRS,
  MAX_RATE_LIMIT_PER_MINUTE,
} from '../../deviceAccess/keySettings';
import { isUuid } from '../../model/ids';
import { unstorableTextReason } from '../../model/text';
import { ApiError, fromZod } from '../errors';

/**
 * Access keys for devices, behind the bearer token (issue 14, items 5 and 6):
 *   POST   /access-keys             { name, scope, allowedCidrs?, rateLimitPerMinute?, options? } → 201, key shown once
 *   GET    /access-keys             every key (revoked ones too), never a key or its hash
 *   POST   /access-keys/:id/rotate  a new key shown once; the old one stops working (404 unknown, 409 revoked)
 *   DELETE /access-keys/:id         revokes: 204 (again: 204), 404 unknown
 * Keys leave the service only in the 201/200 body of create and rotate; they are never logged.
 */

const createBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(100, 'must be at most 100 characters')
      .superRefine((text, ctx) => {
        const reason = unstorableTextReason(text);
        if (reason) ctx.addIssue({ code: 'custom', message: reason });
      }),
    scope: z
      .array(z.enum(ACCESS_SCOPES, { message: `must be one of ${ACCESS_SCOPES.join(', ')}` }))
      .min(1, `must name at least one of ${ACCESS_SCOPES.join(', ')}`),
    allowedCidrs: z.array(cidrSchema).max(MAX_ALLOWED_CIDRS).optional(),
    rateLimitPerMinute: z.number().int().min(1).max(MAX_RATE_LIMIT_PER_MINUTE).nullable().optional(),
    options: accessKeyOptionsSchema.optional(),
  })
  .strict();

export function accessKeysApi(options: { db: Database; logger: Logger }): Router {
  const { db, logger } = options;
  const router = Router();

  router.post('/access-keys', async (req, res) => {
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      throw new ApiError(400, 'invalid_request', 'body: must be a JSON object', { field: 'body' });
    }
    const parsed = createBody.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const { name, scope, allowedCidrs, rateLimitPerMinute, options: keyOptions } = parsed.data;
    const { record, key } = await createAccessKey(db, {
      name,
      scopes: scope,
      allowedCidrs,
      rateLimitPerMinute,
      options: keyOptions,
    });
    logger.info({ accessKeyId: record.id, name: record.name, scope: record.scopes }, 'access key created');
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json({ ...shown(record), key });
  });

  router.get('/access-keys', async (_req, res) => {
    res.json({ accessKeys: (await listAccessKeys(db)).map(shown) });
  });

  router.post('/access-keys/:id/rotate', async (req, res) => {
    const id = keyId(req);
    const rotated = await rotateAccessKey(db, id);
    if (!rotated) {
      const existing = await getAccessKey(db, id);
      if (existing) throw new ApiError(409, 'revoked', `access key ${id} is revoked; create a new one`, { record: id });
      throw unknownKey(id);
    }
    logger.info({ accessKeyId: id, name: rotated.record.name }, 'access key rotated');
    res.set('Cache-Control', 'no-store').json({ ...shown(rotated.record), key: rotated.key });
  });

  router.delete('/access-keys/:id', async (req, res) => {
    const id = keyId(req);
    const outcome = await revokeAccessKey(db, id);
    if (outcome === 'unknown') throw unknownKey(id);
    if (outcome === 'revoked') logger.info({ accessKeyId: id }, 'access key revoked');
    res.status(204).end();
  });

  return router;
}

/** What the API shows of a key: its settings, in the request's words (`scope`), never the key or hash. */
function shown(record: AccessKeyRecord) {
  return {
    id: record.id,
    name: record.name,
    scope: record.scopes,
    allowedCidrs: record.allowedCidrs,
    rateLimitPerMinute: record.rateLimitPerMinute,
    options: record.options,
    createdAt: record.createdAt,
    rotatedAt: record.rotatedAt,
    lastUsedAt: record.lastUsedAt,
    revokedAt: record.revokedAt,
  };
}

function keyId(req: Request): string {
  const raw = req.params.id;
  const id = Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? '');
  if (!isUuid(id)) throw unknownKey(id);
  return id;
}

function unknownKey(id: string): ApiError {
  return new ApiError(404, 'not_found', `access key ${id} does not exist`, { record: id });
}
