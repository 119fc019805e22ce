import type { Queryable } from '../store/types';

/**
 * What a call's other party is in the directory: the contact (chosen as caller ID chooses, so the history and
 * the name the phone showed agree) and, per org, the Salesforce record the call is logged against.
 *
 * Per org, among every contact carrying the number: Contact > Lead > Person Account (links.sobject 'Account'),
 * then the older record (its 15-character id; Salesforce hands ids out in creation order). Not the most recently
 * modified record: the service's own writes bump LastModifiedDate, which would let a sync swap where a shared
 * office number's calls go (the rule caller ID and the sync's primary record follow, issue 12).
 */
export interface OrgRecordMatch {
  orgId: string;
  sobject: string;
  recordId: string;
  contactId: string;
}

export async function recordsForNumber(q: Queryable, e164: string): Promise<OrgRecordMatch[]> {
  const { rows } = await q.query<{ org_id: string; sobject: string; record_id: string; contact_id: string }>(
    `SELECT DISTINCT ON (l.org_id) l.org_id, l.sobject, l.record_id, c.id::text AS contact_id
       FROM directory_phones p
       JOIN directory_contacts c ON c.id = p.contact_id
       JOIN links l ON l.contact_id = c.id
      WHERE p.e164 = $1
      ORDER BY l.org_id, CASE l.sobject WHEN 'Contact' THEN 0 WHEN 'Lead' THEN 1 WHEN 'Account' THEN 2 ELSE 3 END,
               left(l.record_id, 15), c.id`,
    [e164],
  );
  return rows.map((r) => ({ orgId: r.org_id, sobject: r.sobject, recordId: r.record_id, contactId: r.contact_id }));
}
