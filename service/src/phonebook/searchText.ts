import type { BookSearch } from '../directory/phoneBookReads';

/**
 * How a phone-book search compares text: pure rules, no I/O.
 *
 * The directory keeps the same keys as generated columns (migration 019: `book_name_lf`, `book_name_fl`,
 * `book_company`, `keypad_*`), computed in SQL with translate() over the very character lists below, so a
 * search typed on a phone and the stored keys are folded alike. test/phonebook/searchKeys.test.ts holds the SQL
 * and this file to the same answers for a set of names; change both or neither (a new migration rewrites the
 * columns).
 *
 * Folding is a character map, not lower() or unaccent: lower() depends on the database's locale (PGlite's C
 * locale lowers ASCII only) and unaccent is an extension PGlite does not load. One map, the same on every backend.
 */

/** Letters folded to one lower-case ASCII letter each: case, accents, and ß→s, æ→a, œ→o (one character each). */
export const FOLD_FROM =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZ' +
  'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØŒÙÚÛÜÝŸ' +
  'àáâãäåæçèéêëìíîïñòóôõöøœùúûüýÿß' +
  'ĄĆČĎĘĚĞİŁŃŇŐŘŚŞŠŤŮŰŹŻŽ' +
  'ąćčďęěğıłńňőřśşšťůűźżž';
export const FOLD_TO =
  'abcdefghijklmnopqrstuvwxyz' +
  'aaaaaaaceeeeiiiinooooooouuuuyy' +
  'aaaaaaaceeeeiiiinooooooouuuuyys' +
  'accdeegilnnorssstuuzzz' +
  'accdeegilnnorssstuuzzz';

/** The phone keypad (ITU E.161): 2=abc … 9=wxyz, over folded letters. */
export const KEYPAD_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
export const KEYPAD_DIGITS = '22233344455566677778889999';

const foldMap = charMap(FOLD_FROM, FOLD_TO);
const keypadMap = charMap(KEYPAD_LETTERS, KEYPAD_DIGITS);

function charMap(from: string, to: string): Map<string, string> {
  const fromChars = [...from];
  const toChars = [...to];
  if (fromChars.length !== toChars.length) throw new Error('searchText: character lists differ in length');
  return new Map(fromChars.map((c, i) => [c, toChars[i] as string]));
}

/** translate(text, FOLD_FROM, FOLD_TO): other characters stay as they are. */
export function foldText(text: string): string {
  let out = '';
  for (const c of text) out += foldMap.get(c) ?? c;
  return out;
}

/** The keypad digits a phone user presses for `text`: "Müller" → "685537"; characters without a key vanish. */
export function keypadDigits(text: string): string {
  let out = '';
  for (const c of foldText(text)) {
    if (c >= '0' && c <= '9') out += c;
    else out += keypadMap.get(c) ?? '';
  }
  return out;
}

/** The name keys as the generated columns hold them (see migration 019). */
export function nameKeys(contact: { firstName: string | null; lastName: string | null; company: string | null }): {
  lastFirst: string;
  firstLast: string;
  company: string;
} {
  const last = contact.lastName ?? '';
  const first = contact.firstName ?? '';
  const company = (contact.company ?? '').trim();
  const lastFirst = `${last} ${first}`.trim() || company;
  const firstLast = `${first} ${last}`.trim() || company;
  return { lastFirst: foldText(lastFirst), firstLast: foldText(firstLast), company: foldText(company) };
}

/** A phone left `#SEARCH` in the URL unreplaced (Yealink without a typed term): it means no search. */
export const UNREPLACED_SEARCH = '#SEARCH';

/**
 * A search as typed on a phone: letters search names and companies; digits alone are both keypad letters and a
 * number; digits with separators (+, spaces, dashes, brackets) are a number. `e164Of` turns a typed number into
 * E.164 with the default country (libphonenumber), or null.
 */
export function bookSearch(typed: string, e164Of: (text: string) => string | null): BookSearch | null {
  const trimmed = typed.trim();
  if (trimmed === '' || trimmed.toUpperCase() === UNREPLACED_SEARCH) return null;
  if (/^[\d\s+().\-/]+$/.test(trimmed) && /\d/.test(trimmed)) {
    const digits = trimmed.replace(/\D/g, '');
    const prefixes = new Set<string>([digits]);
    // 00 is the international prefix almost everywhere outside North America (011 there: libphonenumber knows).
    if (digits.startsWith('00') && digits.length > 2) prefixes.add(digits.slice(2));
    const e164 = e164Of(trimmed);
    if (e164) prefixes.add(e164.slice(1));
    const bare = /^\d+$/.test(trimmed);
    // A bare digit string may also start a name ("3M", "1&1"), so it is text too.
    return { texts: bare ? [digits] : [], keypad: bare ? digits : null, numberPrefixes: [...prefixes] };
  }
  return { texts: textSpellings(foldText(trimmed)), keypad: null, numberPrefixes: [] };
}

/**
 * The folded search, and the same with "ae", "oe" and "ue" read as the umlaut they may spell: an ASCII book
 * shows "Müller" as "Mueller" (model/text.ts asciiText), so typing what the phone shows must find it. Both
 * are tried ("Manuel" still finds Manuel). Keypad digits are not widened: "83" is as often "te" as "ue".
 */
function textSpellings(folded: string): string[] {
  const umlauts = folded.replace(/([aou])e/g, '$1');
  return umlauts === folded ? [folded] : [folded, umlauts];
}
