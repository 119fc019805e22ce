import { asciiText, cutToGraphemes } from '../model/text';

/**
 * The name a PBX shows for a caller: pure rules, no I/O.
 *
 * Each access key carries its device's options (deviceAccess/ puts them on `res.locals.accessKey.options`):
 * the name order, a length cap (CNAM shows 15 characters, some voicemail stores break above 40, Superfecta
 * cuts at 60) and ASCII transliteration (old phones and carriers' CNAM cannot show "ü"). Whatever the
 * options, the name is one line of printable text: it goes into a SIP From header (Kamailio's
 * uac_replace_from) or a dialplan variable, where a line break or control character would forge headers.
 */
export interface CallerNameOptions {
  /** "Anna Müller" (first-last) or "Müller, Anna" (last-first). */
  nameOrder: 'first-last' | 'last-first';
  /** Most characters (grapheme clusters) shown; null: no cap. */
  maxLength: number | null;
  /** Latin letters and ASCII only ("Müller" → "Mueller", "Дмитрий" → "Dmitriy"). */
  transliterate: boolean;
}

export const DEFAULT_NAME_OPTIONS: CallerNameOptions = {
  nameOrder: 'first-last',
  maxLength: null,
  transliterate: false,
};

export interface NamedContact {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
}

/** Whatever an access key's options hold, read as name options; what is missing or malformed keeps the default. */
export function nameOptionsOf(options: unknown): CallerNameOptions {
  if (typeof options !== 'object' || options === null) return DEFAULT_NAME_OPTIONS;
  const given = options as Record<string, unknown>;
  const maxLength = given.maxLength;
  return {
    nameOrder: given.nameOrder === 'last-first' ? 'last-first' : 'first-last',
    maxLength: typeof maxLength === 'number' && Number.isInteger(maxLength) && maxLength > 0 ? maxLength : null,
    transliterate: given.transliterate === true,
  };
}

/** Control characters (C0, DEL, C1), line and paragraph separators, and bidi overrides an attacker could use to disguise a name. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they must not reach a SIP header
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * One line of text with single spaces, nothing unprintable, and no `"` or `\\`: PBXs paste the name into a
 * SIP quoted display name (`"…" <sip:…>`) or a dialplan string, where either would end or escape it.
 */
function clean(text: string | null): string {
  return (text ?? '').replace(UNPRINTABLE, ' ').replace(/"/g, "'").replace(/\\/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The display name of a contact: first and last name in the key's order; the company when the contact has
 * no name (a switchboard number, a telephony-born entry); empty when it has neither (the PBX then shows the
 * number, as for an unknown caller).
 */
export function callerNameOf(contact: NamedContact, options: CallerNameOptions = DEFAULT_NAME_OPTIONS): string {
  const first = clean(contact.firstName);
  const last = clean(contact.lastName);
  let name: string;
  if (first && last) name = options.nameOrder === 'last-first' ? `${last}, ${first}` : `${first} ${last}`;
  else name = first || last || clean(contact.company);
  if (options.transliterate) name = clean(asciiText(name));
  return cutToGraphemes(name, options.maxLength);
}
