import type { DirectoryContact } from '../directory/model';
import { entryOf } from './cards';
import { CARDDAV, child, children, clark, type XmlElement } from './xml';

/**
 * addressbook-query filters (RFC 6352 §10.5): prop-filters on FN, N, TEL, EMAIL, ORG, TITLE and UID with
 * text-match (equals, contains, starts-with, ends-with; negate-condition; collations i;unicode-casemap, the default,
 * i;ascii-casemap and i;octet) and is-not-defined; `test` anyof/allof on both levels. A text-match on TEL whose text
 * looks like a number also compares digits only, so "+1 415 555 2671" finds "(415) 555-2671" the way a softphone's
 * caller lookup means it. Pure: no I/O.
 */

export const FILTERABLE = ['FN', 'N', 'TEL', 'EMAIL', 'ORG', 'TITLE', 'UID'] as const;
const COLLATIONS = ['i;unicode-casemap', 'i;ascii-casemap', 'i;octet'] as const;
type Collation = (typeof COLLATIONS)[number];
type MatchType = 'equals' | 'contains' | 'starts-with' | 'ends-with';

interface TextMatch {
  text: string;
  collation: Collation;
  matchType: MatchType;
  negate: boolean;
}
interface PropFilter {
  name: (typeof FILTERABLE)[number];
  allOf: boolean;
  isNotDefined: boolean;
  textMatches: TextMatch[];
}
export interface QueryFilter {
  allOf: boolean;
  props: PropFilter[];
}

/** A filter this server cannot evaluate: the precondition RFC 6352 §10.5 names, and why. */
export class UnsupportedFilterError extends Error {
  constructor(
    readonly precondition: 'supported-filter' | 'supported-collation',
    message: string,
  ) {
    super(message);
  }
}

const c = (local: string) => clark(CARDDAV, local);

export function parseFilter(element: XmlElement | undefined): QueryFilter {
  if (!element) return { allOf: false, props: [] };
  const props = children(element, c('prop-filter')).map((pf): PropFilter => {
    const name = (pf.attrs.name ?? '').toUpperCase();
    const known = FILTERABLE.find((f) => f === name);
    if (!known)
      throw new UnsupportedFilterError(
        'supported-filter',
        `prop-filter on ${name || '(no name)'}: filters work on ${FILTERABLE.join(', ')}`,
      );
    if (child(pf, c('param-filter')))
      throw new UnsupportedFilterError('supported-filter', 'param-filter is not supported');
    return {
      name: known,
      allOf: pf.attrs.test === 'allof',
      isNotDefined: child(pf, c('is-not-defined')) !== undefined,
      textMatches: children(pf, c('text-match')).map((tm) => {
        const collation = (tm.attrs.collation ?? 'i;unicode-casemap') as Collation;
        if (!COLLATIONS.includes(collation)) {
          throw new UnsupportedFilterError(
            'supported-collation',
            `collation ${collation}: use ${COLLATIONS.join(', ')}`,
          );
        }
        const matchType = (tm.attrs['match-type'] ?? 'contains') as MatchType;
        if (!['equals', 'contains', 'starts-with', 'ends-with'].includes(matchType)) {
          throw new UnsupportedFilterError('supported-filter', `match-type ${matchType} is not one RFC 6352 defines`);
        }
        return { text: tm.text, collation, matchType, negate: tm.attrs['negate-condition'] === 'yes' };
      }),
    };
  });
  return { allOf: element.attrs.test === 'allof', props };
}

/** The values a contact has for each filterable property (several for TEL, none when absent). */
function valuesOf(contact: DirectoryContact, uid: string, name: PropFilter['name']): string[] {
  const present = (values: Array<string | null | undefined>) => values.filter((v): v is string => !!v && v !== '');
  switch (name) {
    case 'FN':
      return [entryOf(contact, uid).displayName];
    case 'N':
      return present([contact.lastName, contact.firstName]);
    case 'TEL':
      return contact.phones.flatMap((p) => present([p.raw, p.e164]));
    case 'EMAIL':
      return present([contact.email]);
    case 'ORG':
      return present([contact.company]);
    case 'TITLE':
      return present([contact.title]);
    case 'UID':
      return [uid];
  }
}

function fold(text: string, collation: Collation): string {
  if (collation === 'i;octet') return text;
  if (collation === 'i;ascii-casemap') return text.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
  return text.normalize('NFKD').toLowerCase();
}

function compare(value: string, wanted: string, matchType: MatchType): boolean {
  switch (matchType) {
    case 'equals':
      return value === wanted;
    case 'starts-with':
      return value.startsWith(wanted);
    case 'ends-with':
      return value.endsWith(wanted);
    default:
      return value.includes(wanted);
  }
}

const digits = (text: string) => text.replace(/\D/g, '');
const looksLikeNumber = (text: string) => /^[\d\s+().\-/]+$/.test(text) && digits(text).length >= 3;

function textMatches(values: string[], match: TextMatch, name: PropFilter['name']): boolean {
  const wanted = fold(match.text, match.collation);
  const hit = values.some((value) => {
    if (compare(fold(value, match.collation), wanted, match.matchType)) return true;
    return name === 'TEL' && looksLikeNumber(match.text) && compare(digits(value), digits(match.text), match.matchType);
  });
  return match.negate ? !hit : hit;
}

function propMatches(filter: PropFilter, contact: DirectoryContact, uid: string): boolean {
  const values = valuesOf(contact, uid, filter.name);
  if (filter.isNotDefined) return values.length === 0;
  if (filter.textMatches.length === 0) return values.length > 0;
  if (values.length === 0) return false;
  const results = filter.textMatches.map((m) => textMatches(values, m, filter.name));
  return filter.allOf ? results.every(Boolean) : results.some(Boolean);
}

export function matchesFilter(filter: QueryFilter, contact: DirectoryContact, uid: string): boolean {
  if (filter.props.length === 0) return true;
  const results = filter.props.map((p) => propMatches(p, contact, uid));
  return filter.allOf ? results.every(Boolean) : results.some(Boolean);
}
