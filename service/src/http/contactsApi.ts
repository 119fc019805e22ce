import { Router } from 'express';
import { z } from 'zod';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Database } from '../store/types';
import { contactPage, contactWithLinks } from '../directory/views';
import { VersionConflictError } from '../sync/outbound/telephonyEdit';
import type { SettingsLookup } from '../sync/rules/context';
import { ContactChanges } from '../sync/outbound/contactChanges';
import { ApiError, fromZod } from './errors';
import { contactCreateSchema, contactPatchSchema, patchToFields, type ContactPatch } from './contactInput';
import type { ContactFields } from '../directory/model';
import { isUuid } from '../model/ids';
import { unstorableTextReason } from '../model/text';

export interface ContactsApiOptions {
  db: Database;
  defaultCountry: CountryCode;
  settingsOf: SettingsLookup;
  /** The connected orgs: a new contact is offered to each. */
  orgs(): Array<{ id: string }>;
  /** Called after a change queued write-backs, so the workers look now rather than at the next tick. */
  onWriteBackQueued(orgIds: string[]): void;
}

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    after: z.uuid('must be a contact id (uuid) from a previous page').optional(),
    // Checked here (and again in the store) so Postgres never sees a NUL: it would throw, and answer 500.
    search: z
      .string()
      .trim()
      .superRefine((text, ctx) => {
        const reason = unstorableTextReason(text);
        if (reason) ctx.addIssue({ code: 'custom', message: reason });
        else if (text.length > 100) ctx.addIssue({ code: 'custom', message: 'must be at most 100 characters' });
      })
      .optional(),
  })
  .strict();

export function contactsApi(options: ContactsApiOptions): Router {
  const { db } = options;
  const router = Router();
  const changes = new ContactChanges(options);

  router.post('/contacts', async (req, res) => {
    requireObjectBody(req.body);
    const parsed = contactCreateSchema.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const fields = toFields(parsed.data, options.defaultCountry);
    const result = await changes.create(fields);
    res.status(201).json({
      contact: result.contact,
      queuedCreates: result.queuedIn.length,
      excluded: result.excludedIn,
    });
  });

  router.get('/contacts', async (req, res) => {
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await contactPage(db, parsed.data));
  });

  router.get('/contacts/:id', async (req, res) => {
    const id = requireContactId(req.params.id);
    const contact = await contactWithLinks(db, id);
    if (!contact) throw new ApiError(404, 'not_found', `contact ${id} does not exist`, { record: id });
    res.json(contact);
  });

  router.patch('/contacts/:id', async (req, res) => {
    const id = requireContactId(req.params.id);
    requireObjectBody(req.body, id);
    const parsed = contactPatchSchema.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error, id);
    const fields = toFields(parsed.data, options.defaultCountry, id);
    try {
      const result = await changes.edit(id, fields, parsed.data.version);
      if (!result) throw new ApiError(404, 'not_found', `contact ${id} does not exist`, { record: id });
      res.json(result);
    } catch (err) {
      if (err instanceof VersionConflictError) {
        throw new ApiError(409, 'version_conflict', err.message, { field: 'version', record: id });
      }
      throw err;
    }
  });

  router.delete('/contacts/:id', async (req, res) => {
    const id = requireContactId(req.params.id);
    const result = await changes.delete(id);
    if (!result) throw new ApiError(404, 'not_found', `contact ${id} does not exist`, { record: id });
    res.json({ deleted: id, deletingInSalesforce: result.deleting, unlinked: result.unlinked });
  });

  return router;
}

function requireObjectBody(body: unknown, id?: string): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_request', `body: must be a JSON object${id ? ` (contact ${id})` : ''}`, {
      field: 'body',
      record: id,
    });
  }
}

/** Directory fields from validated input; a phone E.164 cannot express is refused, naming it. */
function toFields(input: ContactPatch, defaultCountry: CountryCode, id?: string): ContactFields {
  const { fields, invalidPhone } = patchToFields(input, defaultCountry);
  if (invalidPhone) {
    throw new ApiError(
      400,
      'invalid_request',
      `${invalidPhone.field}: ${invalidPhone.message}${id ? ` (contact ${id})` : ''}`,
      {
        field: invalidPhone.field,
        record: id,
      },
    );
  }
  return fields;
}

function requireContactId(id: string | string[] | undefined): string {
  const value = Array.isArray(id) ? id[0] : (id ?? '');
  if (!isUuid(value))
    throw new ApiError(404, 'not_found', `contact ${value} does not exist (ids are uuids)`, { record: value });
  return value;
}
