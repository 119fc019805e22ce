import type { DirectoryContact } from '../../directory/model';

/** The synced content of a contact, without ids and timestamps: what audits show and hashes cover. */
export type ContactView = Pick<DirectoryContact, 'firstName' | 'lastName' | 'company' | 'title' | 'email' | 'phones'>;

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
