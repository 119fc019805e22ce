import type { Queryable } from '../store/types';
import { callOfHealthKey } from '../model/calls';
import { countContacts, getContact, listContacts, type ListContactsOptions } from './contacts';
import type { DirectoryContact } from './model';
import { findLinksByContact, type Link } from '../store/state/links';
import {
  countRecordHealth,
  healthOfContact,
  listRecordHealth,
  type HealthCountsByState,
  type HealthState,
  type RecordHealth,
} from '../store/state/recordHealth';

/**
 * What the REST API shows of the directory: each read an HTTP handler makes is one call here, so the
 * handler validates, calls and renders. Reads only; every function answers from one consistent moment of
 * the rows it reads (the statements run on whatever Queryable the caller passes: a pool, or a transaction
 * when a caller needs a snapshot across them).
 */

export interface ContactPage {
  contacts: DirectoryContact[];
  /** All contacts in the directory; left out for a search (a count of matches would scan the table). */
  total: number | undefined;
  /** The cursor of the next page, null on the last. */
  nextCursor: string | null;
}

export async function contactPage(q: Queryable, options: ListContactsOptions): Promise<ContactPage> {
  const contacts = await listContacts(q, options);
  return {
    contacts,
    total: options.search ? undefined : await countContacts(q),
    nextCursor: contacts.length === options.limit ? contacts[contacts.length - 1].id : null,
  };
}

export interface ContactWithLinks extends DirectoryContact {
  links: Array<{ orgId: string; sobject: string; recordId: string }>;
}

/** A contact with the Salesforce records it is linked to, or null when there is no such contact. */
export async function contactWithLinks(q: Queryable, id: string): Promise<ContactWithLinks | null> {
  const contact = await getContact(q, id);
  if (!contact) return null;
  const links = await findLinksByContact(q, id);
  return { ...contact, links: links.map((l) => ({ orgId: l.orgId, sobject: l.sobject, recordId: l.recordId })) };
}

/** One org's view of a contact: in sync, or why not. */
export type ContactSyncState = 'in_sync' | 'excluded' | 'failing';

/** The worst state decides: a failing write over an exclusion, either over in sync. */
export function worstState(entries: ReadonlyArray<{ state: HealthState | ContactSyncState }>): ContactSyncState {
  if (entries.some((e) => e.state === 'failing')) return 'failing';
  if (entries.some((e) => e.state === 'excluded')) return 'excluded';
  return 'in_sync';
}

/** A record health entry as the API shows it (the key names the record or the contact, by side). */
export function healthEntryView(entry: RecordHealth) {
  // A call's Task is keyed by its call: that key is no contact id.
  const callId = callOfHealthKey(entry.key);
  return {
    side: entry.side,
    sobject: entry.sobject,
    recordId: entry.recordId ?? (entry.side === 'salesforce' ? entry.key : null),
    contactId: entry.contactId ?? (entry.side === 'telephony' && !callId ? entry.key : null),
    callId,
    state: entry.state,
    code: entry.code,
    reason: entry.reason,
    retries: entry.attempts,
    nextRetryAt: entry.nextRetryAt,
    ignoredAt: entry.ignoredAt,
    since: entry.since,
    updatedAt: entry.updatedAt,
  };
}

export interface ContactHealth {
  contactId: string;
  state: ContactSyncState;
  orgs: Array<{
    orgId: string;
    state: ContactSyncState;
    records: Array<{ sobject: string; recordId: string }>;
    entries: Array<ReturnType<typeof healthEntryView>>;
  }>;
}

/**
 * A contact's health in each org it is linked in or has entries in (in sync, excluded with the reason,
 * failing with the error, retries and next retry), or null when there is no such contact.
 */
export async function contactHealth(q: Queryable, id: string): Promise<ContactHealth | null> {
  if (!(await getContact(q, id))) return null;
  const [links, entries] = await Promise.all([findLinksByContact(q, id), healthOfContact(q, id)]);
  return contactHealthOf(id, links, entries);
}

/** The rule behind contactHealth, on rows already read. */
export function contactHealthOf(contactId: string, links: Link[], entries: RecordHealth[]): ContactHealth {
  const orgIds = [...new Set([...links.map((l) => l.orgId), ...entries.map((e) => e.orgId)])].sort();
  const orgs = orgIds.map((orgId) => {
    const own = entries.filter((e) => e.orgId === orgId);
    return {
      orgId,
      state: worstState(own),
      records: links.filter((l) => l.orgId === orgId).map((l) => ({ sobject: l.sobject, recordId: l.recordId })),
      entries: own.map(healthEntryView),
    };
  });
  return { contactId, state: worstState(orgs), orgs };
}

export interface OrgHealth {
  orgId: string;
  counts: HealthCountsByState;
  entries: Array<ReturnType<typeof healthEntryView>>;
}

/** An org's excluded and failing records, newest first, with the counts by state. */
export async function orgHealth(
  q: Queryable,
  orgId: string,
  options: { state?: HealthState; limit: number },
): Promise<OrgHealth> {
  const [counts, entries] = await Promise.all([countRecordHealth(q, orgId), listRecordHealth(q, orgId, options)]);
  return { orgId, counts, entries: entries.map(healthEntryView) };
}
