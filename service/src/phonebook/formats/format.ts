import type { PhoneKind } from '../../directory/model';

/**
 * The contract between the phone-book feed (phonebook/feedRoute.ts: auth, selection, search, paging, ETag, streaming
 * from the database) and one format's renderer (this folder: one file per vendor format, pure, no I/O).
 *
 * The feed reads the request's format-specific parameters through `parseRequest`, reads at most `count` entries from
 * offset `first` (all of them when `count` is null) in the feed's name order, shapes each contact into a
 * `PhoneBookEntry` (names ordered, cut and transliterated by the feed's options), and hands them to `render` as an
 * async iterable. `render` yields the body in chunks as entries arrive and never collects the whole list, so a
 * 100,000-contact book streams with flat memory. It must escape everything it writes and produce UTF-8 text only.
 */

/** One number of a contact, already in the form a phone dials. */
export interface PhoneBookNumber {
  kind: PhoneKind;
  /** E.164 (`+4930123456`) when the directory knows it, else the number as typed. */
  number: string;
  extension: string | null;
}

/** One contact as a phone book shows it. */
export interface PhoneBookEntry {
  /** The directory contact id: stable across refreshes (Gigaset entry id, Snom index, vCard UID). */
  id: string;
  firstName: string;
  lastName: string;
  /** The name as the feed's options order and cut it ("Müller, Anna" or "Anna Müller"). */
  displayName: string;
  company: string | null;
  title: string | null;
  email: string | null;
  /** Every phone of the contact, in the directory's order. */
  phones: PhoneBookNumber[];
  /** ISO 8601; vCard REV. */
  updatedAt: string;
}

/** What a request asks for, in the format's own parameter names (Cisco `page`, Gigaset `first`/`count`/`set_first`). */
export interface FeedRequest {
  /** A name, company, keypad-digit or number search; null lists everything. */
  search: string | null;
  /** A reverse lookup by number (Gigaset's incoming-call lookup): matches numbers only. */
  number: string | null;
  /** 0-based offset of the first entry. */
  first: number;
  /** Entries wanted; null: all from `first` on. */
  count: number | null;
  /** A format-specific screen other than the list (Cisco's search input form). */
  view: 'list' | 'search-form';
  /**
   * Values of the format's own parameters that only `render` needs back (Gigaset's list type, Cisco's position
   * inside a contact). Set by `parseRequest`; the feed passes the request on to `context.request` untouched.
   */
  formatParameters?: Readonly<Record<string, string>>;
}

/** What the feed knows when rendering. */
export interface RenderContext {
  /** The feed's display name (Cisco Title, Yealink Title). */
  title: string;
  request: FeedRequest;
  /** Matching entries in all, when the format asked for it (`needsTotal`); otherwise null. */
  total: number | null;
  /**
   * Absolute URL of this feed with the device's key and every parameter the feed itself needs, without the
   * format's paging or search parameters: the renderer adds those for soft keys and next/previous links.
   */
  baseUrl: string;
  /** vCard version asked for (`?version=4.0`); other formats ignore it. */
  vcardVersion: '3.0' | '4.0';
}

/** The public format names (`GET /phonebook/<format>`); other tools and the docs rely on them. */
export const FORMAT_NAMES = [
  'yealink',
  'yealink-menu',
  'cisco',
  'polycom',
  'grandstream',
  'snom',
  'snom-dect',
  'fanvil',
  'gigaset',
  'vcard',
] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export interface PhoneBookFormat {
  readonly name: FormatName;
  /** e.g. `text/xml; charset=utf-8`, `text/vcard; charset=utf-8`. */
  readonly contentType: string;
  /** true when `render` needs `context.total` (Gigaset's `total`): the feed then counts before it streams. */
  readonly needsTotal: boolean;
  /**
   * The request in this format's parameter names; unknown parameters are ignored, never an error. A known
   * parameter with a value it cannot take (`page=abc`) throws `FeedRequestError`: the feed answers 400 naming it.
   */
  parseRequest(query: Readonly<Record<string, string | undefined>>): FeedRequest;
  /** The body, chunk by chunk, as entries arrive. */
  render(entries: AsyncIterable<PhoneBookEntry>, context: RenderContext): AsyncIterable<string>;
}

/** A format's own parameter with a value it cannot take; `field` names the parameter, `message` says why. */
export class FeedRequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FeedRequestError';
  }
}
