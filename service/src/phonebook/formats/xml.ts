import type { PhoneKind } from '../../directory/model';
import type { PhoneBookEntry, PhoneBookNumber } from './format';

/**
 * What every XML phone-book format shares: escaping, one element, the declaration, and the streaming skeleton.
 *
 * Why hand-written rather than an XML builder (xmlbuilder2's callback API was the candidate): every vendor format
 * here is flat — a root, a few header elements, then one small fixed-order record per contact — so a record is a
 * handful of `<X>escaped</X>` strings. xmlbuilder2's streaming writer pushes text to a callback, which would need a
 * queue to become the async iterable the feed pulls (back-pressure lost in between); it self-closes empty elements
 * unless told otherwise per writer (Snom DECT must never see `<X/>`), and it rejects text with characters XML 1.0
 * forbids instead of cleaning them, so one bad record in Salesforce would break the whole feed. The one thing a
 * builder guarantees — that everything is escaped — is `text()`/`attr()` below, used for every value.
 */

/** XML 1.0 `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. With /u a lone surrogate is one match. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const MARKUP = /[&<>"']/g;
const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Text as XML 1.0 may carry it: control characters (which mean nothing on a phone's screen) are dropped, a lone
 * surrogate and U+FFFE/U+FFFF become U+FFFD, so a stray byte in one record never makes a phone reject the book.
 */
export function xmlSafe(value: string): string {
  return value.replace(NOT_XML_CHAR, (c) => (c.charCodeAt(0) < 0x20 ? '' : '\uFFFD'));
}

/** Escaped for element text and attribute values alike (quotes too, so one function serves both). */
export function text(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return xmlSafe(value).replace(MARKUP, (c) => ENTITY[c] as string);
}

/** `name="escaped"` for an attribute list. */
export function attr(name: string, value: string | number): string {
  return `${name}="${text(String(value))}"`;
}

/** `<name>escaped</name>`, always with an end tag: some phones (Snom M300) reject `<name/>`. */
export function element(name: string, value: string | null | undefined): string {
  return `<${name}>${text(value)}</${name}>`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
export const XML_CONTENT_TYPE = 'text/xml; charset=utf-8';

/**
 * The body of a flat document: `head` first (before any entry is read, so the phone's connection sees bytes at
 * once), one chunk per entry as the entries arrive, then `tail`. `entry` returns '' to leave an entry out.
 */
export async function* streamDocument(
  head: string,
  entries: AsyncIterable<PhoneBookEntry>,
  entry: (entry: PhoneBookEntry, position: number) => string,
  tail: (written: number) => string,
): AsyncIterable<string> {
  yield head;
  let position = 0;
  for await (const each of entries) {
    const chunk = entry(each, position);
    position += 1;
    if (chunk !== '') yield chunk;
  }
  yield tail(position);
}

/**
 * The number as a phone dials it. An extension is not appended: the pause characters that would carry it (`,`,
 * `p`) are understood by some phones and dialled literally by others, so the number alone reaches the switchboard.
 */
export function dialable(phone: PhoneBookNumber): string {
  return phone.number;
}

/** English labels for a phone's kind, for formats that show a free-text label. */
export const KIND_LABEL: Readonly<Record<PhoneKind, string>> = {
  work: 'Work',
  mobile: 'Mobile',
  home: 'Home',
  other: 'Other',
};

/** The first phone of a kind, or undefined. */
export function firstOfKind(phones: readonly PhoneBookNumber[], kind: PhoneKind): PhoneBookNumber | undefined {
  return phones.find((phone) => phone.kind === kind);
}
