import type { Queryable } from '../store/types';
import type { DirectoryPhone } from './model';

/**
 * The caller-ID lookup's SQL: the contact a number (or an email, for 3CX) belongs to. A hot path — a PBX
 * waits on it before the phone rings — so each function is ONE statement (prepared once per connection by
 * store/db.ts), one probe of directory_phones_e164_idx (or directory_contacts_email_lower_idx) with the
 * contact and its links joined by their indexes; no write, nothing else.
 *
 * Several contacts may carry the number (a company's main line, a Contact and a Lead of one person in
 * different orgs, a telephony-born entry). The one shown is chosen, in order, by:
 *  1. the caller's numbers in the order given (the likelier reading of an ambiguous input first);
 *  2. the extension: a phone with the asked extension (none asked: a phone without one, the main line);
 *  3. the contact's best Salesforce record: Contact > Lead > Person Account (links.sobject 'Account',
 *     which the sync links only for Person Accounts) — the ranking the sync itself uses
 *     (sync/rules/matching.ts SOBJECT_PRIORITY);
 *  4. contacts linked to Salesforce before contacts without links (telephony-born, not yet in any org):
 *     the CRM record is the curated one;
 *  5. the older record: the lower record id (its 15-character form; Salesforce hands ids out in creation
 *     order), or among contacts without links the one created first — never the latest modification,
 *     which let a colleague's edit or the service's own status write swap who a shared office number
 *     shows (the sync's primary record follows the same rule, issue 12);
 *  6. the contact id, so the same data always answers the same.
 */

/** The best link of a contact: its rank (Contact 0, Lead 1, Person Account 2), then the older record. */
const BEST_LINK = `LEFT JOIN LATERAL (
    SELECT CASE l.sobject WHEN 'Contact' THEN 0 WHEN 'Lead' THEN 1 WHEN 'Account' THEN 2 ELSE 3 END AS rank,
           left(l.record_id, 15) AS record_key
    FROM links l WHERE l.contact_id = c.id
    ORDER BY 1, 2
    LIMIT 1
  ) best ON true`;

const BY_RECORD = 'best.rank ASC NULLS LAST, best.record_key ASC NULLS LAST, c.created_at, c.id';

const NAME_BY_NUMBER = `SELECT c.first_name, c.last_name, c.company, p.e164
  FROM directory_phones p
  JOIN directory_contacts c ON c.id = p.contact_id
  ${BEST_LINK}
  WHERE p.e164 = ANY($1::text[])
  ORDER BY array_position($1::text[], p.e164), (p.extension IS NOT DISTINCT FROM $2::text) DESC, ${BY_RECORD}
  LIMIT 1`;

/** The matched contact with its phones and its links (with each org's instance URL), as JSON columns. */
const DETAIL_OF = (hit: string) => `WITH hit AS (${hit})
  SELECT hit.matched, c.id, c.first_name, c.last_name, c.company, c.title, c.email,
    (SELECT coalesce(json_agg(json_build_object('kind', ph.kind, 'raw', ph.raw, 'e164', ph.e164, 'extension', ph.extension)
              ORDER BY ph.position), '[]'::json)
       FROM directory_phones ph WHERE ph.contact_id = c.id) AS phones,
    (SELECT coalesce(json_agg(json_build_object('orgId', l.org_id, 'sobject', l.sobject, 'recordId', l.record_id,
                                                'instanceUrl', o.instance_url)
              ORDER BY CASE l.sobject WHEN 'Contact' THEN 0 WHEN 'Lead' THEN 1 WHEN 'Account' THEN 2 ELSE 3 END,
                       left(l.record_id, 15), l.org_id, l.record_id), '[]'::json)
       FROM links l JOIN org_connections o ON o.id = l.org_id WHERE l.contact_id = c.id) AS records
  FROM hit JOIN directory_contacts c ON c.id = hit.id`;

const DETAIL_BY_NUMBER = DETAIL_OF(`SELECT c.id, p.e164 AS matched
    FROM directory_phones p
    JOIN directory_contacts c ON c.id = p.contact_id
    ${BEST_LINK}
    WHERE p.e164 = ANY($1::text[])
    ORDER BY array_position($1::text[], p.e164), (p.extension IS NOT DISTINCT FROM $2::text) DESC, ${BY_RECORD}
    LIMIT 1`);

const DETAIL_BY_EMAIL = DETAIL_OF(`SELECT c.id, NULL::text AS matched
    FROM directory_contacts c
    ${BEST_LINK}
    WHERE c.email_lower = lower(btrim($1::text))
    ORDER BY ${BY_RECORD}
    LIMIT 1`);

/** The statements' text, for tests and the bench to EXPLAIN (the plan is part of the contract: one index probe). */
export const CALLER_ID_SQL = {
  nameByNumber: NAME_BY_NUMBER,
  detailByNumber: DETAIL_BY_NUMBER,
  detailByEmail: DETAIL_BY_EMAIL,
};

/** Who a number belongs to, as much as a display name needs. */
export interface CallerNameMatch {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  /** The E.164 number that matched (one of the candidates). */
  e164: string;
}

/** A linked Salesforce record of the matched contact. */
export interface CallerRecord {
  orgId: string;
  sobject: string;
  recordId: string;
  /** The org's instance URL (known after its first login), or null. */
  instanceUrl: string | null;
}

/** The matched contact with everything the JSON answer shows. */
export interface CallerDetail {
  /** The E.164 number that matched; null for a lookup by email. */
  matched: string | null;
  id: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title: string | null;
  email: string | null;
  phones: DirectoryPhone[];
  /** Best first: Contact > Lead > Person Account, then the older record. */
  records: CallerRecord[];
}

interface NameRow {
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  e164: string;
}

interface DetailRow {
  matched: string | null;
  id: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  title: string | null;
  email: string | null;
  phones: DirectoryPhone[];
  records: CallerRecord[];
}

/**
 * The contact one of `e164s` (most likely first) belongs to, chosen as the module comment says; null when
 * none does. `extension` prefers a phone with that extension.
 */
export async function callerNameByNumbers(
  q: Queryable,
  e164s: string[],
  extension: string | null,
): Promise<CallerNameMatch | null> {
  if (e164s.length === 0) return null;
  const { rows } = await q.query<NameRow>(NAME_BY_NUMBER, [e164s, extension]);
  const row = rows[0];
  return row ? { firstName: row.first_name, lastName: row.last_name, company: row.company, e164: row.e164 } : null;
}

function toDetail(row: DetailRow | undefined): CallerDetail | null {
  if (!row) return null;
  return {
    matched: row.matched,
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    company: row.company,
    title: row.title,
    email: row.email,
    phones: row.phones,
    records: row.records,
  };
}

/** Like callerNameByNumbers, with the contact's phones and linked records. */
export async function callerDetailByNumbers(
  q: Queryable,
  e164s: string[],
  extension: string | null,
): Promise<CallerDetail | null> {
  if (e164s.length === 0) return null;
  const { rows } = await q.query<DetailRow>(DETAIL_BY_NUMBER, [e164s, extension]);
  return toDetail(rows[0]);
}

/** The contact with this email (compared as the directory indexes it: trimmed, lower case), or null. */
export async function callerDetailByEmail(q: Queryable, email: string): Promise<CallerDetail | null> {
  const { rows } = await q.query<DetailRow>(DETAIL_BY_EMAIL, [email]);
  return toDetail(rows[0]);
}
