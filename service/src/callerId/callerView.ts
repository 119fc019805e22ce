import type { CallerDetail } from '../directory/callerIdLookup';
import type { DirectoryPhone } from '../directory/model';

/**
 * The JSON answer of a caller-ID lookup (`Accept: application/json` or `?format=json`): pure, no I/O.
 *
 * Contract (other tools and the 3CX template in docs/3cx/ rely on these names; extend, don't rename):
 *   searched  the number or email exactly as the client sent it (3CX compares it with what it asked)
 *   status    found | unknown | invalid (no phone number) | unavailable (the lookup failed or timed out)
 *   number    the E.164 number that matched (null when none did, and for a lookup by email)
 *   name      the display name, formatted per the access key, as the plain-text answer gives it ('' if none)
 *   url       the Lightning URL of the best-ranked linked record, or null
 *   contact   { id, firstName, lastName, company, title, email, phones: [{ kind, raw, e164, extension }] } or null
 *   records   [{ orgId, sobject, id, url }], best first (Contact > Lead > Person Account, then the older record)
 * Every status answers 200: unknown and failed lookups are not errors to a PBX.
 */
export type LookupStatus = 'found' | 'unknown' | 'invalid' | 'unavailable';

export interface CallerRecordView {
  orgId: string;
  sobject: string;
  id: string;
  /** `<instance_url>/lightning/r/<sobject>/<id>/view`; null until the org's instance URL is known. */
  url: string | null;
}

export interface CallerView {
  searched: string;
  status: LookupStatus;
  number: string | null;
  name: string;
  url: string | null;
  contact: {
    id: string;
    firstName: string | null;
    lastName: string | null;
    company: string | null;
    title: string | null;
    email: string | null;
    phones: DirectoryPhone[];
  } | null;
  records: CallerRecordView[];
}

/** The record's page in Lightning Experience on its org; null without an instance URL. */
export function lightningUrl(instanceUrl: string | null, sobject: string, recordId: string): string | null {
  if (!instanceUrl) return null;
  return `${instanceUrl.replace(/\/+$/, '')}/lightning/r/${encodeURIComponent(sobject)}/${encodeURIComponent(recordId)}/view`;
}

/** The answer when nothing is shown: unknown number, no number at all, or a failed lookup. */
export function emptyView(searched: string, status: Exclude<LookupStatus, 'found'>): CallerView {
  return { searched, status, number: null, name: '', url: null, contact: null, records: [] };
}

export function callerView(searched: string, detail: CallerDetail, name: string): CallerView {
  const records = detail.records.map((r) => ({
    orgId: r.orgId,
    sobject: r.sobject,
    id: r.recordId,
    url: lightningUrl(r.instanceUrl, r.sobject, r.recordId),
  }));
  return {
    searched,
    status: 'found',
    number: detail.matched,
    name,
    url: records.find((r) => r.url !== null)?.url ?? null,
    contact: {
      id: detail.id,
      firstName: detail.firstName,
      lastName: detail.lastName,
      company: detail.company,
      title: detail.title,
      email: detail.email,
      phones: detail.phones,
    },
    records,
  };
}
