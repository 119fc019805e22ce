import type { ContactFields } from '../../directory/model';
import { e164sOf } from './phones';
import type { SyncPolicy } from './context';

/**
 * Which Salesforce record a directory contact (one caller-ID entry, one person) shows when several records
 * of one org carry the same number or email: a Contact before a Lead before a Person Account — the
 * Contact is the curated record, a Lead is a prospect that may become one — then the older record (the
 * lower record id: Salesforce hands ids out in creation order). Nothing that changes over time decides:
 * ranking by the latest modification let the service's own status writes (which move SystemModstamp and
 * LastModifiedDate) and a colleague's edit swap who a shared office number shows (issue 12 item 6).
 */
export const SOBJECT_PRIORITY: Readonly<Record<string, number>> = { Contact: 0, Lead: 1, Account: 2 };

export interface CandidateRecord {
  sobject: string;
  recordId: string;
  /** SystemModstamp (ISO 8601), null when unknown: shown in the audit, never ranked by. */
  modstamp: string | null;
}

const priorityOf = (sobject: string) => SOBJECT_PRIORITY[sobject] ?? Number.MAX_SAFE_INTEGER;
/** The 15-character id: the 18-character form's last three are a checksum of its case. */
const idOf = (recordId: string) => recordId.slice(0, 15);

/** Negative when `a` ranks before `b`. */
export function compareCandidates(a: CandidateRecord, b: CandidateRecord): number {
  const [x, y] = [idOf(a.recordId), idOf(b.recordId)];
  return priorityOf(a.sobject) - priorityOf(b.sobject) || (x < y ? -1 : x > y ? 1 : 0);
}

export function rankCandidates<T extends CandidateRecord>(records: T[]): T[] {
  return [...records].sort(compareCandidates);
}

const sobjectLabel = (sobject: string) => (sobject === 'Account' ? 'Person Account' : sobject);
const describeRecord = (r: CandidateRecord) => `${sobjectLabel(r.sobject)} ${r.recordId}`;

/** Why the first of the ranked records won over the second, in words for the audit log. */
export function whyFirst(winner: CandidateRecord, runnerUp: CandidateRecord): string {
  if (priorityOf(winner.sobject) !== priorityOf(runnerUp.sobject)) {
    return `${sobjectLabel(winner.sobject)} outranks ${sobjectLabel(runnerUp.sobject)}`;
  }
  return `both ${sobjectLabel(winner.sobject)}, ${winner.recordId} is the older record (lower record id)`;
}

/** The audit text of a candidate choice: every candidate, the winner and why. */
export function describeChoice(ranked: CandidateRecord[]): string {
  const [first, second] = ranked;
  if (!first || !second) return '';
  return `candidates ${ranked.map(describeRecord).join(', ')}: primary ${sobjectLabel(first.sobject)} ${first.recordId} (${whyFirst(first, second)})`;
}

/**
 * The match keys a write gives a contact that it did not carry before — numbers not among its own,
 * an email other than its own (compared as matching compares them) — for the writer to lock first
 * (store/state/matchKeyLocks.ts): another org's new record bringing the same key waits for the write
 * and then joins this contact instead of making a second. `before` is {} for a new contact.
 */
export function addedMatchKeys(
  before: ContactFields,
  change: ContactFields,
): { e164s: string[]; email: string | null } {
  const own = new Set(e164sOf(before.phones ?? []));
  const e164s = change.phones === undefined ? [] : e164sOf(change.phones).filter((n) => !own.has(n));
  const folded = (email: string | null | undefined) => email?.trim().toLowerCase() || null;
  const email = folded(change.email);
  return { e164s, email: email !== null && email !== folded(before.email) ? email : null };
}

/** The keys a record is matched by, per the sync's match-key setting. */
export function matchKeysOf(
  fields: ContactFields,
  matchKeys: SyncPolicy['matchKeys'],
): { e164s: string[]; email: string | null } {
  return {
    e164s: matchKeys === 'email' ? [] : e164sOf(fields.phones ?? []),
    email: matchKeys === 'phone' ? null : (fields.email ?? null),
  };
}

/** A directory contact that carries one of a record's match keys (the store's KeyMatch has this shape). */
export interface MatchedContact {
  contactId: string;
  byPhone: boolean;
  byEmail: boolean;
  updatedAt: string;
}

/** What the rules read of an org's link to a contact (the store's Link has this shape). */
export interface RankedLink {
  contactId: string;
  sobject: string;
  recordId: string;
  sfModstamp: string | null;
  role: string;
}

export interface ContactPick<L extends RankedLink> {
  contactId: string;
  /** How it matched ("phone", "email", "phone and email"). */
  matchedBy: string;
  /** This org's links to the chosen contact (empty when the org has none yet). */
  orgLinks: L[];
}

/**
 * The directory contact an unlinked record should join instead of creating a duplicate, or null, given
 * the contacts its keys matched and this org's links to them. A contact this org does not link yet comes
 * first (after a sync was deleted and re-created, it is most likely the record's own entry; more shared
 * keys, then the latest update, break ties); else the contact whose primary record ranks highest.
 */
export function pickContact<L extends RankedLink>(matched: MatchedContact[], links: L[]): ContactPick<L> | null {
  if (matched.length === 0) return null;
  const linksOf = (contactId: string) => links.filter((l) => l.contactId === contactId);
  const keyCount = (m: MatchedContact) => Number(m.byPhone) + Number(m.byEmail);
  const free = matched
    .filter((m) => linksOf(m.contactId).length === 0)
    .sort(
      (a, b) =>
        keyCount(b) - keyCount(a) ||
        Date.parse(b.updatedAt) - Date.parse(a.updatedAt) ||
        (a.contactId < b.contactId ? -1 : 1),
    );
  let chosen = free[0];
  if (!chosen) {
    const byPrimary = matched.map((m) => ({ match: m, primary: primaryOf(linksOf(m.contactId)) }));
    byPrimary.sort((a, b) => compareCandidates(toCandidate(a.primary), toCandidate(b.primary)));
    chosen = byPrimary[0].match;
  }
  const matchedBy = [chosen.byPhone ? 'phone' : '', chosen.byEmail ? 'email' : ''].filter(Boolean).join(' and ');
  return { contactId: chosen.contactId, matchedBy, orgLinks: linksOf(chosen.contactId) };
}

export function toCandidate(link: RankedLink): CandidateRecord {
  return { sobject: link.sobject, recordId: link.recordId, modstamp: link.sfModstamp };
}

/** The org's primary link among a contact's links; the best ranked one if none is marked (older data). */
export function primaryOf<L extends RankedLink>(orgLinks: L[]): L {
  const marked = orgLinks.find((l) => l.role === 'primary');
  if (marked) return marked;
  const [best] = [...orgLinks].sort((a, b) => compareCandidates(toCandidate(a), toCandidate(b)));
  if (!best) throw new Error('primaryOf needs at least one link');
  return best;
}
