import type { RequestHandler } from 'express';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Logger } from 'pino';
import type { Database } from '../../store/types';
import type { SettingsLookup } from '../../sync/rules/context';
import { ContactChanges } from '../../sync/outbound/contactChanges';
import { requireAccessKey, accessKeyOf } from '../../deviceAccess/requireAccessKey';
import { carddavRouter } from '../../carddav/router';
import type { ContactInputCheck } from '../../carddav/vcardInput';
import { contactCreateSchema, contactPatchSchema, patchToFields } from '../contactInput';
import { fieldPath } from '../errors';

/**
 * CardDAV as the service mounts it (`/carddav`): device access keys with scope `carddav` (HTTP Basic, the key as
 * password) in front of every request, and the REST API's own validation and domain calls for writes, so a card
 * saved in a softphone is checked and stored exactly like a POST or PATCH of /api/v1/contacts.
 */
export interface CarddavMountOptions {
  db: Database;
  logger: Logger;
  defaultCountry: CountryCode;
  settingsOf: SettingsLookup;
  orgs(): Array<{ id: string }>;
  onWriteBackQueued(orgIds: string[]): void;
  /** Replaces the access-key check (tests of the protocol alone). */
  authenticate?: RequestHandler;
}

export function carddavMount(options: CarddavMountOptions) {
  const authenticate =
    options.authenticate ??
    requireAccessKey({ db: options.db, scope: 'carddav', logger: options.logger, failure: 'json' });
  return carddavRouter({
    db: options.db,
    authenticate,
    changes: new ContactChanges(options),
    checkContact: apiContactCheck(options.defaultCountry),
    principalName: (res) => (res.locals.accessKey ? accessKeyOf(res).name : 'CardDAV'),
  });
}

/** http/contactInput.ts's schemas and phone rules, as carddav/ asks for them. */
export function apiContactCheck(defaultCountry: CountryCode): ContactInputCheck {
  return (input, mode) => {
    const parsed = (mode === 'create' ? contactCreateSchema : contactPatchSchema).safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = (issue && fieldPath(issue.path)) || 'body';
      return { problem: { field, message: issue?.message ?? 'is not valid' } };
    }
    const { fields, invalidPhone } = patchToFields(parsed.data, defaultCountry);
    if (invalidPhone) return { problem: invalidPhone };
    return { fields };
  };
}
