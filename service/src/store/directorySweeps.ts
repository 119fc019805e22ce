import type { Queryable } from './types';
import { iso } from './values';

/**
 * Keyset-paged sweeps over the directory for one org, finding what the org has not been sent: the
 * telephony-born contacts it has no record of (after an initial sync), and the primary links whose
 * contact changed with no write-back on its way (a reconcile). Each call reads one page outside any
 * transaction; the caller looks at each row again in a transaction of its own before acting on it.
 */

/**
 * Contacts born in the phone system that the org has no record of: not linked in it, not excluded from
 * it (a telephony record health entry), no create queued, being sent or parked. Ids in order, after
 * `after` (null for the first page), at most `limit`.
 */
export async function telephonyContactsUnknownTo(
  q: Queryable,
  orgId: string,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT c.id FROM directory_contacts c
       WHERE c.source = 'telephony' AND ($2::uuid IS NULL OR c.id > $2::uuid)
         AND NOT EXISTS (SELECT 1 FROM links l WHERE l.contact_id = c.id AND l.org_id = $1)
         AND NOT EXISTS (SELECT 1 FROM record_health h WHERE h.org_id = $1 AND h.side = 'telephony' AND h.key = c.id::text)
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.org_id = $1 AND o.contact_id = c.id AND o.operation = 'create'
                           AND o.state IN ('pending', 'processing', 'failed'))
       ORDER BY c.id LIMIT $3`,
    [orgId, after, limit],
  );
  return rows.map((r) => r.id);
}

/** Where a sweep of changed links stands: after this contact change (keyset on updated_at, contact id). */
export interface ChangedLinksCursor {
  /** updated_at as the server writes it, to the microsecond (or '-infinity'). */
  at: string;
  contactId: string;
}

/** A primary link whose contact changed, as the sweep found it. */
export interface ChangedLink {
  recordId: string;
  contactId: string;
  /** The hash of the directory values the link last saw. */
  telephonyHash: string | null;
  /** When the contact changed (ISO 8601, milliseconds). */
  updatedAt: string;
}

/** One step of a sweep: the links among the contacts it passed that need a look, and where it got to. */
export interface ChangedLinksPage {
  links: ChangedLink[];
  /** Primary links passed over because their contact is still at the version the link saw (migration 026). */
  unchanged: number;
  /** Contacts the step went through (linked in the org or not); fewer than asked: the sweep is at the end. */
  scanned: number;
  /** Where the next step starts (the last contact passed), and when that contact changed; null when none was. */
  scannedTo: (ChangedLinksCursor & { updatedAt: string }) | null;
}

/**
 * The cursor before every contact changed after `from` (ISO 8601), or before every contact when null.
 * It starts after every contact of `from` itself: no id sorts after the largest uuid.
 */
export function changedLinksFrom(from: string | null): ChangedLinksCursor {
  return { at: from ?? '-infinity', contactId: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };
}

/**
 * The next `limit` directory contacts changed after `after`, in the order of the index on (updated_at, id), and
 * among them the org's primary links that need a look: not those whose record has a write-back pending or in
 * flight, or one parked (failed) for this very version of the contact, and not those whose contact is still at
 * the version the link's hash was computed from (passed over here, counted in `unchanged`). The step is bounded by
 * the contacts it passes, not by the links it returns, so a sweep over a million unchanged contacts takes
 * a thousand cheap steps and never reads them.
 */
export async function changedPrimaryLinks(
  q: Queryable,
  orgId: string,
  after: ChangedLinksCursor,
  limit: number,
): Promise<ChangedLinksPage> {
  const { rows } = await q.query<{
    contact_id: string;
    updated_at: Date;
    updated_at_exact: string;
    record_id: string | null;
    telephony_hash: string | null;
    unchanged: boolean;
    queued: boolean;
  }>(
    `WITH scanned AS (
       SELECT c.id, c.updated_at, c.version FROM directory_contacts c
        WHERE (c.updated_at, c.id) > ($2::timestamptz, $3::uuid)
        ORDER BY c.updated_at, c.id LIMIT $4)
     SELECT s.id::text AS contact_id, s.updated_at, s.updated_at::text AS updated_at_exact, l.record_id,
            l.telephony_hash, l.telephony_version IS NOT DISTINCT FROM s.version AS unchanged,
            EXISTS (SELECT 1 FROM outbox o WHERE o.org_id = l.org_id AND o.record_id = l.record_id
              AND (o.state IN ('pending', 'processing') OR (o.state = 'failed' AND o.created_at >= s.updated_at)))
              AS queued
       FROM scanned s LEFT JOIN links l ON l.contact_id = s.id AND l.org_id = $1 AND l.role = 'primary'
      ORDER BY s.updated_at, s.id`,
    [orgId, after.at, after.contactId, limit],
  );
  const page: ChangedLinksPage = {
    links: [],
    unchanged: 0,
    scanned: new Set(rows.map((r) => r.contact_id)).size,
    scannedTo: null,
  };
  for (const r of rows) {
    if (r.record_id !== null && r.unchanged) page.unchanged++;
    else if (r.record_id !== null && !r.queued)
      page.links.push({
        recordId: r.record_id,
        contactId: r.contact_id,
        telephonyHash: r.telephony_hash,
        updatedAt: iso(r.updated_at),
      });
  }
  // The cursor is the server's text, not the JavaScript date (milliseconds): contacts changed in one
  // transaction share one timestamp to the microsecond, and a cursor a fraction of a millisecond behind
  // it fetched the same page forever.
  const last = rows.at(-1);
  if (last) page.scannedTo = { at: last.updated_at_exact, contactId: last.contact_id, updatedAt: iso(last.updated_at) };
  return page;
}
