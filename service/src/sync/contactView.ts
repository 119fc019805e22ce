import type { DirectoryContact, DirectoryPhone } from '../directory/model';

/** The synced content of a contact, without ids and timestamps: what audits show and hashes cover. */
export interface ContactView {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title: string | null;
  email: string | null;
  phones: DirectoryPhone[];
}

export function contactView(contact: DirectoryContact): ContactView {
  return {
    firstName: contact.firstName,
    lastName: contact.lastName,
    company: contact.company,
    title: contact.title,
    email: contact.email,
    phones: contact.phones.map(({ kind, raw, e164, extension }) => ({ kind, raw, e164, extension })),
  };
}
