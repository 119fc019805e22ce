import type { Queryable } from '../store/types';
import { getContacts } from '../directory/contacts';
import type { DirectoryContact } from '../directory/model';
import type { CardResource } from '../directory/carddavResources';
import type { PhoneBookEntry } from '../phonebook/formats/format';
import { vcardOf } from '../phonebook/formats/vcard';
import type { VcardVersion } from './properties';

/**
 * A contact as a CardDAV card: the phone books' vCard renderer (phonebook/formats/vcard.ts) on the contact shaped as
 * a phone-book entry, so a card and a `GET /phonebook/vcard` entry are the same text. The card's UID is the one its
 * client gave it (directory/carddavResources.ts), else the contact id: the entry's id is what the renderer writes
 * as UID.
 */
export function entryOf(contact: DirectoryContact, uid: string): PhoneBookEntry {
  const firstName = contact.firstName ?? '';
  const lastName = contact.lastName ?? '';
  const name = [firstName, lastName].filter((part) => part.trim() !== '').join(' ');
  return {
    id: uid,
    firstName,
    lastName,
    displayName: name || contact.company || contact.email || contact.phones[0]?.raw || uid,
    company: contact.company,
    title: contact.title,
    email: contact.email,
    phones: contact.phones.map((p) => ({ kind: p.kind, number: p.e164 ?? p.raw, extension: p.extension })),
    updatedAt: contact.updatedAt,
  };
}

export function renderCard(contact: DirectoryContact, uid: string, version: VcardVersion): string {
  return vcardOf(entryOf(contact, uid), version);
}

/** The vCard text of each existing resource, by contact id (one read for the whole page). */
export async function cardTexts(
  q: Queryable,
  resources: CardResource[],
  version: VcardVersion,
): Promise<Map<string, { contact: DirectoryContact; text: string }>> {
  const existing = resources.filter((r) => r.exists);
  const contacts = await getContacts(
    q,
    existing.map((r) => r.contactId),
  );
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const out = new Map<string, { contact: DirectoryContact; text: string }>();
  for (const resource of existing) {
    const contact = byId.get(resource.contactId);
    // A version read with the resource and a newer contact would pair an old ETag with new text: take the newer
    // version, so the ETag never claims text it does not describe.
    if (contact) {
      resource.version = contact.version;
      resource.updatedAt = contact.updatedAt;
      out.set(resource.contactId, { contact, text: renderCard(contact, resource.uid, version) });
    }
  }
  return out;
}
