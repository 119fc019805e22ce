import type { Queryable } from '../store/types';
import type { DirectoryPhone } from './model';

/**
 * The SQL of the phone-book feeds (phonebook/): which contacts a feed lists, in its name order, read in pages.
 *
 * Contract for phonebook/: `readPhoneBook` is an async iterable of contacts with every phone (in the directory's
 * order), read `pageSize` contacts per query on the order's key + id (keyset: each page is an index range scan,
 * however deep into the book) and the phones of each page in one more query. It never holds a connection between
 * pages (PGlite has one) and holds at most two pages in memory: the one being handed out and the next, already
 * asked for. Pages are separate statements, not one snapshot: a contact changed while a book streams may be
 * listed in its old or new place (the next refresh, on a new ETag, sets it right).
 *
 * The keys (book_name_lf/_fl, book_company, keypad_*, raw_digits, e164_digits) are migration 019's generated
 * columns, `COLLATE "C"`: a prefix search is the range [prefix, prefix + U+10FFFF) on a plain btree index.
 */

export type BookSelection =
  | { kind: 'all' }
  | { kind: 'org'; orgId: string }
  /** Contacts linked to a record of this object in any org: Contact, Lead, or Account (Person Accounts). */
  | { kind: 'object'; sobject: string }
  | { kind: 'tag'; tag: string };

export type BookOrder = 'last-first' | 'first-last';

/** A search as the keys hold it (phonebook/searchText.ts builds it from what a phone sent). */
export interface BookSearch {
  /** Folded texts, any of which may start "last first", "first last" or the company. */
  texts: string[];
  /** Keypad digits: the start of a name's or company's keypad digits. */
  keypad: string | null;
  /** Digit strings a number of the contact starts with (as typed, or in E.164 without the +). */
  numberPrefixes: string[];
}

/** A reverse lookup: contacts having exactly this number. */
export interface NumberLookup {
  e164: string | null;
  /** The number's digits as typed (matched against the digits of numbers stored as typed). */
  digits: string;
}

export interface BookQuery {
  selection: BookSelection;
  order: BookOrder;
  search: BookSearch | null;
  number: NumberLookup | null;
}

export interface BookContact {
  id: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title: string | null;
  email: string | null;
  updatedAt: string;
  phones: DirectoryPhone[];
}

export interface ReadPhoneBookOptions {
  /** 0-based offset of the first contact. */
  first?: number;
  /** Contacts wanted; undefined or null: all from `first` on. */
  count?: number | null;
  /** Contacts per query (default 500). */
  pageSize?: number;
}

export const DEFAULT_BOOK_PAGE_SIZE = 500;

/** Above every character, so [p, p + TOP) holds exactly the strings starting with p (byte order, COLLATE "C"). */
const TOP = '\u{10FFFF}';

const ORDER_KEY: Record<BookOrder, string> = { 'last-first': 'book_name_lf', 'first-last': 'book_name_fl' };

/**
 * How a search is asked. 'ranges': a UNION of indexed ranges, one per key, then the page in order — work grows with
 * the number of matches, so it suits the first page (most searches find a handful). 'filter': the page's walk down
 * the order index keeps the rows that match — work grows with the rows walked, so once a search has filled a page
 * (it matches many), the following pages take this way: a whole stream then walks the book once, instead of
 * gathering every match again for every page.
 */
type SearchWay = 'ranges' | 'filter';

/** The WHERE conditions of a query and its parameters; column names come only from the constants above. */
function conditions(query: BookQuery, params: unknown[], way: SearchWay = 'ranges'): string[] {
  const where: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const { selection } = query;
  if (selection.kind === 'org') {
    where.push(`EXISTS (SELECT 1 FROM links l WHERE l.contact_id = c.id AND l.org_id = ${param(selection.orgId)})`);
  } else if (selection.kind === 'object') {
    where.push(`EXISTS (SELECT 1 FROM links l WHERE l.contact_id = c.id AND l.sobject = ${param(selection.sobject)})`);
  } else if (selection.kind === 'tag') {
    where.push(`c.tags @> ARRAY[${param(selection.tag)}::text]`);
  }
  const search = query.search;
  if (search) {
    const inRange = (column: string, prefix: string) =>
      `${column} >= ${param(prefix)}::text COLLATE "C" AND ${column} < ${param(prefix + TOP)}::text COLLATE "C"`;
    const contactKeys: Array<[string, string]> = [];
    for (const text of search.texts) for (const column of TEXT_KEYS) contactKeys.push([column, text]);
    if (search.keypad) for (const column of KEYPAD_KEYS) contactKeys.push([column, search.keypad]);
    const phoneKeys: Array<[string, string]> = [];
    for (const prefix of search.numberPrefixes.filter((p) => p !== '')) {
      phoneKeys.push(['raw_digits', prefix], ['e164_digits', prefix]);
    }
    if (contactKeys.length + phoneKeys.length === 0) where.push('false');
    else if (way === 'ranges') {
      // One indexed range per key; a UNION of ids, not an OR across tables (an OR would scan every contact).
      const parts = [
        ...contactKeys.map(([column, prefix]) => `SELECT id FROM directory_contacts WHERE ${inRange(column, prefix)}`),
        ...phoneKeys.map(
          ([column, prefix]) => `SELECT contact_id FROM directory_phones WHERE ${inRange(column, prefix)}`,
        ),
      ];
      where.push(`c.id IN (${parts.join(' UNION ')})`);
    } else {
      const alternatives = contactKeys.map(([column, prefix]) => `(${inRange(`c.${column}`, prefix)})`);
      if (phoneKeys.length > 0) {
        const numbers = phoneKeys.map(([column, prefix]) => `(${inRange(`p.${column}`, prefix)})`).join(' OR ');
        alternatives.push(`EXISTS (SELECT 1 FROM directory_phones p WHERE p.contact_id = c.id AND (${numbers}))`);
      }
      where.push(`(${alternatives.join(' OR ')})`);
    }
  }
  const number = query.number;
  if (number) {
    where.push(
      `c.id IN (SELECT contact_id FROM directory_phones WHERE e164 = ${param(number.e164)}::text
                UNION SELECT contact_id FROM directory_phones WHERE raw_digits = ${param(number.digits)}::text COLLATE "C")`,
    );
  }
  return where;
}

const TEXT_KEYS = ['book_name_lf', 'book_name_fl', 'book_company'];
const KEYPAD_KEYS = ['keypad_lf', 'keypad_fl', 'keypad_company'];

/** How many contacts the query lists in all (Gigaset's `total`). */
export async function countPhoneBook(q: Queryable, query: BookQuery): Promise<number> {
  const params: unknown[] = [];
  const where = conditions(query, params);
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM directory_contacts c ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
    params,
  );
  return rows[0]?.n ?? 0;
}

interface Cursor {
  key: string;
  id: string;
}

/** One contact of a page as the statement sends it: [id, first, last, company, title, email, updated, key, phones]. */
type PageTuple = [
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string,
  string,
  /** [kind, raw, e164, extension] per phone, in position order. */
  Array<[DirectoryPhone['kind'], string, string | null, string | null]>,
];

interface Page {
  contacts: BookContact[];
  /** Where the next page starts; null when this page was the last. */
  next: Cursor | null;
}

/**
 * One statement per page: the contacts in order, each with its phones (one index probe per contact), sent as ONE
 * JSON value. Parsing 500 rows of nine typed columns cost the driver about 15 µs a row (1.5 s of CPU for 100,000
 * contacts, more than everything else the feed does); one JSON.parse of the page is a fraction of that.
 */
async function fetchPage(
  q: Queryable,
  query: BookQuery,
  after: Cursor | null,
  offset: number,
  limit: number,
  way: SearchWay,
): Promise<Page> {
  const key = ORDER_KEY[query.order];
  const params: unknown[] = [];
  const where = conditions(query, params, way);
  if (after) {
    params.push(after.key, after.id);
    where.push(`(c.${key}, c.id) > ($${params.length - 1}::text COLLATE "C", $${params.length}::uuid)`);
  }
  params.push(limit, offset);
  const { rows } = await q.query<{ page: string }>(
    `SELECT coalesce(json_agg(json_build_array(c.id, c.first_name, c.last_name, c.company, c.title, c.email,
         -- As JavaScript's toISOString writes it, so no date is parsed per contact.
         to_char(c.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), c.sort_key,
         (SELECT coalesce(json_agg(json_build_array(p.kind, p.raw, p.e164, p.extension) ORDER BY p.position), '[]')
          FROM directory_phones p WHERE p.contact_id = c.id)) ORDER BY c.sort_key, c.id), '[]')::text AS page
     FROM (
       SELECT c.id, c.first_name, c.last_name, c.company, c.title, c.email, c.updated_at, c.${key} AS sort_key
       FROM directory_contacts c
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY c.${key}, c.id
       LIMIT $${params.length - 1} OFFSET $${params.length}
     ) c`,
    params,
  );
  // ::text: the driver hands the JSON over unparsed, and it is parsed once here.
  const tuples = JSON.parse(rows[0]?.page ?? '[]') as PageTuple[];
  const last = tuples[tuples.length - 1];
  return {
    contacts: tuples.map(([id, firstName, lastName, company, title, email, updatedAt, , phones]) => ({
      id,
      firstName,
      lastName,
      company,
      title,
      email,
      updatedAt,
      phones: phones.map(([kind, raw, e164, extension]) => ({ kind, raw, e164, extension })),
    })),
    next: tuples.length === limit && last ? { key: last[7], id: last[0] } : null,
  };
}

/**
 * The contacts of a book from `first` on (at most `count`), in the order's name order, page by page. The next page
 * is asked for as soon as a page arrives, so the database works while the caller renders and writes.
 */
export async function* readPhoneBook(
  q: Queryable,
  query: BookQuery,
  options: ReadPhoneBookOptions = {},
): AsyncGenerator<BookContact> {
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_BOOK_PAGE_SIZE));
  let remaining = options.count === undefined || options.count === null ? Infinity : Math.max(0, options.count);
  if (remaining === 0) return;
  const sizeOf = (left: number) => Math.min(pageSize, left);
  let pending: Promise<Page> | null = fetchPage(
    q,
    query,
    null,
    Math.max(0, options.first ?? 0),
    sizeOf(remaining),
    'ranges',
  );
  while (pending) {
    const page: Page = await pending;
    remaining -= page.contacts.length;
    // A search that filled a page matches many: the rest walks the order index (see SearchWay).
    pending = page.next && remaining > 0 ? fetchPage(q, query, page.next, 0, sizeOf(remaining), 'filter') : null;
    // A caller that stops early (return/throw) leaves the prefetched page unread: it must not become unhandled.
    pending?.catch(() => undefined);
    for (const contact of page.contacts) yield contact;
  }
}
