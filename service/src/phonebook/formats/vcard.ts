import type { PhoneKind } from '../../directory/model';
import type { PhoneBookEntry, PhoneBookFormat, PhoneBookNumber } from './format';
import { wholeListRequest } from './request';
import { xmlSafe } from './xml';

/**
 * vCard address book: 3.0 (RFC 2426) by default, the version every phone and Debian's khard/vobject read;
 * 4.0 (RFC 6350) when the feed asks for it. One card per contact, streamed card by card. Also the card
 * builder CardDAV serves (carddav/cards.ts calls `vcardOf`), so a card reads the same everywhere.
 *
 * Lines end in CRLF and are folded at 75 octets (RFC 6350 3.2, RFC 2425 5.8.1) without splitting a UTF-8
 * sequence; text values escape backslash, comma, semicolon and newlines; control characters are dropped.
 */
export type VcardVersion = '3.0' | '4.0';

const CRLF = '\r\n';
const FOLD_OCTETS = 75;

/** A TEXT value (RFC 6350 3.4, RFC 2426 4): `\` `,` `;` and line breaks escaped, control characters dropped. */
export function escapeText(value: string): string {
  return xmlSafe(value)
    .replace(/\t/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/;/g, '\\;')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** The inverse of `escapeText` for one value (a component of N or ORG, or a whole FN). */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/**
 * A content line folded at 75 octets: CRLF and one space before each continuation, which then carries 74 octets
 * of the line. A line is cut only between code points, so a multi-byte character is never split.
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= FOLD_OCTETS) return line + CRLF;
  let out = '';
  let current = '';
  let octets = 0;
  let limit = FOLD_OCTETS;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      out += current + CRLF + ' ';
      current = '';
      octets = 0;
      limit = FOLD_OCTETS - 1; // the leading space counts
    }
    current += char;
    octets += size;
  }
  return out + current + CRLF;
}

/** Folded lines joined back (RFC 6350 3.2): a CRLF (or LF) followed by one space or tab is removed. */
export function unfold(text: string): string[] {
  return text
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .filter((line) => line !== '');
}

const TYPES_3: Readonly<Record<PhoneKind, string>> = {
  work: 'WORK,VOICE',
  mobile: 'CELL',
  home: 'HOME,VOICE',
  other: 'VOICE',
};
const TYPES_4: Readonly<Record<PhoneKind, string>> = {
  work: '"voice,work"',
  mobile: 'cell',
  home: '"voice,home"',
  other: 'voice',
};

/** A number that is a valid RFC 3966 global number (E.164 as the directory keeps it). */
const GLOBAL_NUMBER = /^\+\d{1,15}$/;

function telLine(phone: PhoneBookNumber, version: VcardVersion): string {
  if (version === '3.0') {
    const value = phone.extension === null ? phone.number : `${phone.number} x${phone.extension}`;
    return `TEL;TYPE=${TYPES_3[phone.kind]}:${escapeText(value)}`;
  }
  if (GLOBAL_NUMBER.test(phone.number)) {
    const extension = phone.extension !== null && /^\d+$/.test(phone.extension) ? `;ext=${phone.extension}` : '';
    return `TEL;VALUE=uri;TYPE=${TYPES_4[phone.kind]}:tel:${phone.number}${extension}`;
  }
  // A number as typed ("(415) 555-2671 ext 3") is no tel: URI; vCard 4 keeps such a number as free text.
  const value = phone.extension === null ? phone.number : `${phone.number} x${phone.extension}`;
  return `TEL;VALUE=text;TYPE=${TYPES_4[phone.kind]}:${escapeText(value)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** REV: 3.0 takes ISO 8601 as is; 4.0 wants the basic form `20260301T102030Z`. */
function revision(updatedAt: string, version: VcardVersion): string {
  const at = new Date(updatedAt);
  if (Number.isNaN(at.getTime())) return '';
  const iso = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return version === '3.0' ? iso : iso.replace(/[-:]/g, '');
}

/** One contact as a vCard, CRLF line ends, folded; what the phone-book feed streams and CardDAV serves. */
export function vcardOf(entry: PhoneBookEntry, version: VcardVersion): string {
  const formatted =
    entry.displayName.trim() || [entry.firstName, entry.lastName].join(' ').trim() || entry.company || '';
  const lines = [
    'BEGIN:VCARD',
    `VERSION:${version}`,
    version === '4.0' ? 'KIND:individual' : null,
    `UID:${version === '4.0' && UUID.test(entry.id) ? `urn:uuid:${entry.id}` : escapeText(entry.id)}`,
    `FN:${escapeText(formatted)}`,
    `N:${escapeText(entry.lastName)};${escapeText(entry.firstName)};;;`,
    entry.company ? `ORG:${escapeText(entry.company)}` : null,
    entry.title ? `TITLE:${escapeText(entry.title)}` : null,
    entry.email ? `EMAIL;TYPE=${version === '3.0' ? 'INTERNET,WORK' : 'work'}:${escapeText(entry.email)}` : null,
    ...entry.phones.map((phone) => telLine(phone, version)),
    revision(entry.updatedAt, version) === '' ? null : `REV:${revision(entry.updatedAt, version)}`,
    'END:VCARD',
  ];
  return lines
    .filter((line): line is string => line !== null)
    .map(foldLine)
    .join('');
}

export const vcard: PhoneBookFormat = {
  name: 'vcard',
  contentType: 'text/vcard; charset=utf-8',
  needsTotal: false,
  parseRequest: wholeListRequest,
  async *render(entries, context) {
    for await (const entry of entries) yield vcardOf(entry, context.vcardVersion);
  },
};
