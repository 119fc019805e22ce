import type { Queryable } from '../store/types';
import type { ContactFields, ContactSource } from './model';

/**
 * Set-based writes for loading many contacts at once (the initial sync): one statement per table for a
 * whole page, arrays passed as parameters and spread by `unnest`, instead of several statements per row.
 * Works alike on PostgreSQL and PGlite. Callers check their input (these trust ids and shapes). The same
 * page's links and exclusions go through store/state/links.ts and store/state/recordHealth.ts.
 */

/** A new contact with its id chosen by the caller, so phones and links can refer to it in the same batch. */
export interface NewBulkContact {
  id: string;
  fields: ContactFields;
}

/** Which of a batch's match keys some directory contact already has: E.164 numbers and emails as given. */
export interface TakenKeys {
  e164s: Set<string>;
  emails: Set<string>;
}

/**
 * Which of these numbers and emails some directory contact already has (any source, any org). Emails are
 * compared as the directory indexes them (lower(btrim())), and returned as given.
 */
export async function takenMatchKeys(q: Queryable, e164s: string[], emails: string[]): Promise<TakenKeys> {
  const taken: TakenKeys = { e164s: new Set(), emails: new Set() };
  if (e164s.length > 0) {
    const { rows } = await q.query<{ e164: string }>(
      'SELECT DISTINCT e164 FROM directory_phones WHERE e164 = ANY($1::text[])',
      [e164s],
    );
    for (const row of rows) taken.e164s.add(row.e164);
  }
  if (emails.length > 0) {
    // One index probe per email (LATERAL … LIMIT 1 keeps it a nested loop), in index order: as EXISTS,
    // the planner turned a page's 10,000 emails into a hash join over a scan of the whole directory, a
    // second per page at a million contacts.
    const { rows } = await q.query<{ email: string }>(
      `SELECT e AS email FROM (SELECT e FROM unnest($1::text[]) AS e ORDER BY lower(btrim(e))) AS probe
       CROSS JOIN LATERAL (SELECT 1 FROM directory_contacts c WHERE c.email_lower = lower(btrim(probe.e)) LIMIT 1) AS hit`,
      [emails],
    );
    for (const row of rows) taken.emails.add(row.email);
  }
  return taken;
}

/**
 * Inserts the contacts and all their phones (positions from 0, in list order): two statements. Rows go
 * in the order of the one index whose keys they scatter (email, E.164 number): a page's inserts then
 * meet each index page once, in turn, instead of at random — at a million contacts those indexes
 * outgrow the server's buffer cache, and random order makes every insert evict and re-read pages.
 */
export async function insertContactsBulk(
  q: Queryable,
  contacts: NewBulkContact[],
  source: ContactSource,
): Promise<void> {
  if (contacts.length === 0) return;
  const column = (pick: (f: ContactFields) => string | null | undefined) => contacts.map((c) => pick(c.fields) ?? null);
  await q.query(
    `INSERT INTO directory_contacts (id, first_name, last_name, company, title, email, source)
     SELECT id, first_name, last_name, company, title, email, $7
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       AS t(id, first_name, last_name, company, title, email)
     ORDER BY lower(btrim(email))`,
    [
      contacts.map((c) => c.id),
      column((f) => f.firstName),
      column((f) => f.lastName),
      column((f) => f.company),
      column((f) => f.title),
      column((f) => f.email),
      source,
    ],
  );
  const phones = {
    contactId: [] as string[],
    kind: [] as string[],
    raw: [] as string[],
    e164: [] as (string | null)[],
    extension: [] as (string | null)[],
    position: [] as number[],
  };
  for (const contact of contacts) {
    (contact.fields.phones ?? []).forEach((phone, position) => {
      phones.contactId.push(contact.id);
      phones.kind.push(phone.kind);
      phones.raw.push(phone.raw);
      phones.e164.push(phone.e164);
      phones.extension.push(phone.extension);
      phones.position.push(position);
    });
  }
  if (phones.contactId.length === 0) return;
  await q.query(
    `INSERT INTO directory_phones (contact_id, kind, raw, e164, extension, position)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[]) AS t(contact_id, kind, raw, e164, extension, position)
     ORDER BY e164`,
    [phones.contactId, phones.kind, phones.raw, phones.e164, phones.extension, phones.position],
  );
}
