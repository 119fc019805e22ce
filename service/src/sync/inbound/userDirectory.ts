import type { CountryCode } from 'libphonenumber-js/max';
import type { Database } from '../../store/types';
import type { ContactFields, DirectoryPhone } from '../../directory/model';
import { deleteContact, insertContact, updateContact } from '../../directory/contacts';
import { recordAudit } from '../../store/audit';
import type { OrgConnection } from '../../salesforce/session';
import { queryActiveStandardUsers, type UserRow } from '../../salesforce/queries/users';
import {
  forgetInternalUser,
  knownInternalUsers,
  saveInternalUser,
  updateInternalUserHash,
} from '../../store/state/internalUsers';
import { toDirectoryPhone } from '../rules/phones';
import { stableHash } from '../rules/hash';
import { storableText } from '../rules/storableText';

export interface UserPullResult {
  /** Active standard users with something to dial (a phone or an extension). */
  users: number;
  added: number;
  updated: number;
  removed: number;
}

// Cleaned by the storable-text rule first: one user's U+0000 would otherwise fail the whole pull.
const text = (value: string | null | undefined): string | null => {
  const clean = value ? storableText(value).text.trim() : '';
  return clean !== '' ? clean : null;
};

/** A user as a directory entry; null when there is nothing to dial. The extension rides on the work phone. */
export function userToContact(user: UserRow, defaultCountry: CountryCode): ContactFields | null {
  const phones: DirectoryPhone[] = [];
  const extension = text(user.extension);
  const work = text(user.Phone);
  if (work) {
    const phone = toDirectoryPhone('work', work, defaultCountry);
    phones.push({ ...phone, extension: phone.extension ?? extension });
  } else if (extension) {
    phones.push({ kind: 'work', raw: extension, e164: null, extension });
  }
  const mobile = text(user.MobilePhone);
  if (mobile) phones.push(toDirectoryPhone('mobile', mobile, defaultCountry));
  if (phones.length === 0) return null;
  return {
    firstName: text(user.FirstName),
    lastName: text(user.LastName),
    company: null,
    title: text(user.Title),
    email: text(user.Email),
    phones,
  };
}

/**
 * Mirrors the org's active standard users into the directory as internal extensions (source 'internal'):
 * new users are added, changed ones updated, and those gone (deactivated, removed, no longer dialable)
 * leave the directory, all in one transaction. The integration user the service signs in as is no person
 * and is left out. These contacts are never linked to a Salesforce record, so they never write back.
 */
export async function pullUsersIntoDirectory(
  db: Database,
  conn: OrgConnection,
  orgId: string,
  defaultCountry: CountryCode,
  integrationUserId: string | null,
  extensionField?: string,
): Promise<UserPullResult> {
  const users = await queryActiveStandardUsers(conn, extensionField);
  const wanted = new Map<string, ContactFields>();
  for (const user of users) {
    if (integrationUserId && user.Id.slice(0, 15) === integrationUserId.slice(0, 15)) continue;
    const fields = userToContact(user, defaultCountry);
    if (fields) wanted.set(user.Id, fields);
  }
  return db.transaction(async (tx) => {
    const known = await knownInternalUsers(tx, orgId);
    const outcome: UserPullResult = { users: wanted.size, added: 0, updated: 0, removed: 0 };
    for (const [userId, fields] of wanted) {
      const hash = stableHash(fields);
      const existing = known.get(userId);
      if (existing && existing.hash === hash) continue;
      if (existing && (await updateContact(tx, existing.contactId, fields))) {
        await updateInternalUserHash(tx, orgId, userId, hash);
        outcome.updated++;
        continue;
      }
      // New, or its directory entry was deleted by hand: (re)create it.
      const contact = await insertContact(tx, fields, 'internal');
      await saveInternalUser(tx, orgId, userId, { contactId: contact.id, hash });
      outcome.added++;
    }
    for (const [userId, { contactId }] of known) {
      if (wanted.has(userId)) continue;
      await deleteContact(tx, contactId);
      await forgetInternalUser(tx, orgId, userId);
      outcome.removed++;
    }
    await recordAudit(tx, {
      orgId,
      contactId: null,
      recordId: null,
      origin: 'salesforce',
      action: 'internal-extensions',
      rule: `${outcome.users} active standard users: ${outcome.added} added, ${outcome.updated} updated, ${outcome.removed} removed`,
      before: null,
      after: outcome,
    });
    return outcome;
  });
}
