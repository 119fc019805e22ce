import { Router } from 'express';
import { z } from 'zod';
import type { Queryable } from '../../store/types';
import {
  createPhoneBook,
  deletePhoneBook,
  getPhoneBook,
  listPhoneBooks,
  NAME_ORDERS,
  TRANSLITERATIONS,
  updatePhoneBook,
  VCARD_VERSIONS,
  type PhoneBookConfig,
  type PhoneBookSettings,
} from '../../store/phoneBooks';
import { FORMAT_NAMES } from '../../phonebook/formats/format';
import { SYNCED_OBJECTS } from '../../model/records';
import { unstorableTextReason } from '../../model/text';
import { isUuid } from '../../model/ids';
import { ApiError, fromZod } from '../errors';

/**
 * The named phone-book feeds: `GET/POST /phone-books`, `GET/PUT/DELETE /phone-books/:id` (behind the API token).
 * A feed is served at `GET /phonebook/<format>?feed=<name>`; each answer carries that `url` (add the device's key).
 *
 * Body: `{ name, format, selection: { kind: 'all' } | { kind: 'org', orgId } | { kind: 'object', object:
 * 'Contact'|'Lead'|'Account' } | { kind: 'tag', tag }, options?: { nameOrder, nameMaxLength, transliteration,
 * vcardVersion } }`. PUT replaces the whole feed (options left out take their defaults).
 */

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'cannot be empty')
    .max(max, `must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const reason = unstorableTextReason(value);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    });

const selectionSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('all') }).strict(),
    z.object({ kind: z.literal('org'), orgId: text(64) }).strict(),
    z
      .object({
        kind: z.literal('object'),
        object: z.enum(SYNCED_OBJECTS, `must be one of ${SYNCED_OBJECTS.join(', ')}`),
      })
      .strict(),
    z.object({ kind: z.literal('tag'), tag: text(64) }).strict(),
  ],
  { error: 'kind must be one of all, org, object, tag' },
);

const optionsSchema = z
  .object({
    nameOrder: z.enum(NAME_ORDERS, `must be one of ${NAME_ORDERS.join(', ')}`).default('last-first'),
    nameMaxLength: z.number().int().min(1).max(1000).nullable().default(null),
    transliteration: z.enum(TRANSLITERATIONS, `must be one of ${TRANSLITERATIONS.join(', ')}`).default('none'),
    vcardVersion: z.enum(VCARD_VERSIONS, `must be one of ${VCARD_VERSIONS.join(', ')}`).default('3.0'),
  })
  .strict();

const phoneBookSchema = z
  .object({
    // The name goes into phones' provisioning URLs (`?feed=`): letters, digits and a few URL-safe marks.
    name: text(64).regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'must be letters, digits, spaces, . _ or -'),
    format: z.enum(FORMAT_NAMES, `must be one of ${FORMAT_NAMES.join(', ')}`),
    selection: selectionSchema,
    options: optionsSchema.default({
      nameOrder: 'last-first',
      nameMaxLength: null,
      transliteration: 'none',
      vcardVersion: '3.0',
    }),
  })
  .strict();

function settingsOf(input: z.infer<typeof phoneBookSchema>): PhoneBookSettings {
  const { selection } = input;
  const value =
    selection.kind === 'org'
      ? selection.orgId
      : selection.kind === 'object'
        ? selection.object
        : selection.kind === 'tag'
          ? selection.tag
          : null;
  return { name: input.name, format: input.format, selection: { kind: selection.kind, value }, ...input.options };
}

/** A feed as the API shows it: the selection in the input's shape, and where phones fetch it. */
function view(config: PhoneBookConfig, publicUrl: string) {
  const { kind, value } = config.selection;
  const selection =
    kind === 'org'
      ? { kind, orgId: value }
      : kind === 'object'
        ? { kind, object: value }
        : kind === 'tag'
          ? { kind, tag: value }
          : { kind };
  return {
    id: config.id,
    name: config.name,
    format: config.format,
    selection,
    options: {
      nameOrder: config.nameOrder,
      nameMaxLength: config.nameMaxLength,
      transliteration: config.transliteration,
      vcardVersion: config.vcardVersion,
    },
    version: config.version,
    url: `${publicUrl.replace(/\/+$/, '')}/phonebook/${config.format}?feed=${encodeURIComponent(config.name)}`,
    createdAt: config.createdAt,
    updatedAt: config.updatedAt,
  };
}

function requireId(id: unknown): string {
  const value = typeof id === 'string' ? id : '';
  if (!isUuid(value)) throw new ApiError(404, 'not_found', `phone book ${value} does not exist (ids are uuids)`);
  return value;
}

function parse(body: unknown, record?: string): PhoneBookSettings {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(
      400,
      'invalid_request',
      `body: must be a JSON object${record ? ` (phone book ${record})` : ''}`,
      {
        field: 'body',
        record,
      },
    );
  }
  const parsed = phoneBookSchema.safeParse(body);
  if (!parsed.success) {
    const error = fromZod(parsed.error);
    throw new ApiError(400, 'invalid_request', `${error.message}${record ? ` (phone book ${record})` : ''}`, {
      field: error.details.field,
      record,
    });
  }
  return settingsOf(parsed.data);
}

export function phoneBooksApi(options: { db: Queryable; publicUrl: string }): Router {
  const { db, publicUrl } = options;
  const router = Router();

  router.get('/phone-books', async (_req, res) => {
    res.json({ phoneBooks: (await listPhoneBooks(db)).map((c) => view(c, publicUrl)) });
  });

  router.post('/phone-books', async (req, res) => {
    const created = await createPhoneBook(db, parse(req.body));
    res.status(201).json(view(created, publicUrl));
  });

  router.get('/phone-books/:id', async (req, res) => {
    const id = requireId(req.params.id);
    const config = await getPhoneBook(db, id);
    if (!config) throw new ApiError(404, 'not_found', `phone book ${id} does not exist`, { record: id });
    res.json(view(config, publicUrl));
  });

  router.put('/phone-books/:id', async (req, res) => {
    const id = requireId(req.params.id);
    const updated = await updatePhoneBook(db, id, parse(req.body, id));
    if (!updated) throw new ApiError(404, 'not_found', `phone book ${id} does not exist`, { record: id });
    res.json(view(updated, publicUrl));
  });

  router.delete('/phone-books/:id', async (req, res) => {
    const id = requireId(req.params.id);
    if (!(await deletePhoneBook(db, id))) {
      throw new ApiError(404, 'not_found', `phone book ${id} does not exist`, { record: id });
    }
    res.json({ deleted: id });
  });

  return router;
}
