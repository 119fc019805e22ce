import { Router } from 'express';
import { z } from 'zod';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Database } from '../store/types';
import { countContacts, getContact, listContacts } from '../directory/contacts';
import { findLinksByContact } from '../sync/links';
import { editContactFromTelephony, VersionConflictError } from '../sync/telephonyEdit';
import type { SettingsLookup } from '../sync/context';
import { ApiError, fromZod } from './errors';
import { contactPatchSchema, patchToFields } from './contactInput';

export interface ContactsApiOptions {
  db: Database;
  defaultCountry: CountryCode;
  settingsOf: SettingsLookup;
  /** Called after an edit queued write-backs, so they go out now rather than at the next tick. */
  onWriteBackQueued(orgIds: string[]): void;
}

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    after: z.uuid('must be a contact id (uuid) from a previous page').optional(),
    search: z.string().trim().max(100).optional(),
  })
  .strict();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function contactsApi(options: ContactsApiOptions): Router {
  const { db } = options;
  const router = Router();

  router.get('/contacts', async (req, res) => {
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success) throw fromZod(parsed.error);
    const { limit, after, search } = parsed.data;
    const contacts = await listContacts(db, { limit, after, search });
    res.json({
      contacts,
      total: search ? undefined : await countContacts(db),
      nextCursor: contacts.length === limit ? contacts[contacts.length - 1].id : null,
    });
  });

  router.get('/contacts/:id', async (req, res) => {
    const id = requireContactId(req.params.id);
    const contact = await getContact(db, id);
    if (!contact) throw new ApiError(404, 'not_found', `contact ${id} does not exist`, { record: id });
    const links = await findLinksByContact(db, id);
    res.json({
      ...contact,
      links: links.map((l) => ({ orgId: l.orgId, sobject: l.sobject, recordId: l.recordId })),
    });
  });

  router.patch('/contacts/:id', async (req, res) => {
    const id = requireContactId(req.params.id);
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      throw new ApiError(400, 'invalid_request', `the body must be a JSON object (contact ${id})`, { record: id });
    }
    const parsed = contactPatchSchema.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error, id);
    const { fields, invalidPhone } = patchToFields(parsed.data, options.defaultCountry);
    if (invalidPhone) {
      throw new ApiError(400, 'invalid_request', `${invalidPhone.field}: ${invalidPhone.message} (contact ${id})`, {
        field: invalidPhone.field,
        record: id,
      });
    }
    try {
      const result = await editContactFromTelephony(db, options.settingsOf, id, fields, parsed.data.version);
      if (!result) throw new ApiError(404, 'not_found', `contact ${id} does not exist`, { record: id });
      if (result.queuedWriteBacks > 0) {
        const links = await findLinksByContact(db, id);
        options.onWriteBackQueued([...new Set(links.map((l) => l.orgId))]);
      }
      res.json({ contact: result.contact, queuedWriteBacks: result.queuedWriteBacks });
    } catch (err) {
      if (err instanceof VersionConflictError) {
        throw new ApiError(409, 'version_conflict', err.message, { field: 'version', record: id });
      }
      throw err;
    }
  });

  return router;
}

function requireContactId(id: string | string[] | undefined): string {
  const value = Array.isArray(id) ? id[0] : id ?? '';
  if (!UUID.test(value)) throw new ApiError(404, 'not_found', `contact ${value} does not exist (ids are uuids)`, { record: value });
  return value;
}
