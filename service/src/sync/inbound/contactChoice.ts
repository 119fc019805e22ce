import type { Queryable } from '../../store/types';
import type { ContactFields } from '../../directory/model';
import { findContactsByKeys, type KeyMatch } from '../../directory/contacts';
import { findOrgLinksByContacts, type Link } from '../../store/state/links';
import { lockMatchKeys } from '../../store/state/matchKeyLocks';
import { matchKeysOf, pickContact, type ContactPick } from '../rules/matching';
import { e164sOf } from '../rules/phones';
import type { SyncPolicy } from '../rules/context';

export interface ContactChoice extends ContactPick<Link> {
  /** Every matching contact, for the audit when more than one did. */
  matched: KeyMatch[];
}

/**
 * The directory contact an unlinked record should join, or null (the rule: sync/rules/matching.ts
 * pickContact). Two queries, whatever the number of candidates; call inside the transaction that will
 * write the join, so the contacts and links read are the ones it changes. The record's match keys are
 * locked first, until that transaction ends: another stream bringing the same person at the same moment
 * (another org's) waits, then sees this one's contact instead of creating a second.
 */
export async function chooseContact(
  tx: Queryable,
  orgId: string,
  fields: ContactFields,
  matchKeys: SyncPolicy['matchKeys'],
): Promise<ContactChoice | null> {
  await lockMatchKeys(tx, { e164s: e164sOf(fields.phones ?? []), email: fields.email ?? null });
  const matched = await findContactsByKeys(tx, matchKeysOf(fields, matchKeys));
  if (matched.length === 0) return null;
  const links = await findOrgLinksByContacts(
    tx,
    orgId,
    matched.map((m) => m.contactId),
  );
  const pick = pickContact(matched, links);
  return pick && { ...pick, matched };
}
