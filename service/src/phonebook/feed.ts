import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { readPhoneBook, type BookQuery, type BookSelection, type NumberLookup } from '../directory/phoneBookReads';
import type { PhoneBookConfig } from '../store/phoneBooks';
import type { Queryable } from '../store/types';
import { DEFAULT_ENTRY_OPTIONS, toEntry, type EntryOptions } from './entries';
import type { FeedRequest, PhoneBookEntry } from './formats/format';
import { bookSearch } from './searchText';

/**
 * What a phone-book request lists: a named feed (`?feed=<name>`, store/phoneBooks.ts) or, without one, every
 * contact with the default options (last-first, no cap, no transliteration, vCard 3.0).
 */
export interface FeedDefinition {
  /** null: the default feed (no `?feed=`). */
  id: string | null;
  /** The title phones show (Yealink, Cisco). */
  title: string;
  /** The configuration's version; 0 for the default feed. */
  version: number;
  /** The format a named feed is served as; null: any. */
  format: string | null;
  selection: BookSelection;
  entryOptions: EntryOptions;
  vcardVersion: '3.0' | '4.0';
}

export const DEFAULT_FEED: FeedDefinition = Object.freeze<FeedDefinition>({
  id: null,
  title: 'Switchboard',
  version: 0,
  format: null,
  selection: { kind: 'all' },
  entryOptions: DEFAULT_ENTRY_OPTIONS,
  vcardVersion: '3.0',
});

export function feedOf(config: PhoneBookConfig): FeedDefinition {
  const value = config.selection.value ?? '';
  const selection: BookSelection =
    config.selection.kind === 'org'
      ? { kind: 'org', orgId: value }
      : config.selection.kind === 'object'
        ? { kind: 'object', sobject: value }
        : config.selection.kind === 'tag'
          ? { kind: 'tag', tag: value }
          : { kind: 'all' };
  return {
    id: config.id,
    title: config.name,
    version: config.version,
    format: config.format,
    selection,
    entryOptions: {
      nameOrder: config.nameOrder,
      nameMaxLength: config.nameMaxLength,
      transliteration: config.transliteration,
    },
    vcardVersion: config.vcardVersion,
  };
}

/** E.164 of a typed number with the default country, or null; partial numbers count (a search types a prefix). */
export function e164With(defaultCountry: CountryCode): (text: string) => string | null {
  return (text) => {
    const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
    return parsed?.number ?? null;
  };
}

function numberLookup(number: string, e164Of: (text: string) => string | null): NumberLookup | null {
  const digits = number.replace(/\D/g, '');
  if (digits === '') return null;
  return { e164: e164Of(number), digits };
}

/** The directory query a request makes of a feed. */
export function bookQueryOf(
  feed: FeedDefinition,
  request: FeedRequest,
  e164Of: (text: string) => string | null,
): BookQuery {
  const number = request.number === null ? null : numberLookup(request.number, e164Of);
  return {
    selection: feed.selection,
    order: feed.entryOptions.nameOrder,
    search: request.search === null ? null : bookSearch(request.search, e164Of),
    // A lookup without a digit finds nobody rather than everybody: stored digits are digits, never "-".
    number: request.number !== null && number === null ? { e164: null, digits: '-' } : number,
  };
}

/** The entries a request lists, streamed from the directory page by page (directory/phoneBookReads.ts). */
export async function* feedEntries(
  q: Queryable,
  feed: FeedDefinition,
  query: BookQuery,
  request: FeedRequest,
  pageSize?: number,
): AsyncGenerator<PhoneBookEntry> {
  for await (const contact of readPhoneBook(q, query, { first: request.first, count: request.count, pageSize })) {
    yield toEntry(contact, feed.entryOptions);
  }
}
