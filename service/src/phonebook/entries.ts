import type { BookContact } from '../directory/phoneBookReads';
import type { PhoneBookEntry } from './formats/format';
import { asciiText, cutToGraphemes } from '../model/text';

/**
 * A directory contact as a phone book shows it: pure rules, no I/O.
 *
 * - Name order: "Müller, Anna" (last-first, the default: phone books are read by surname) or "Anna Müller".
 *   A contact without a name shows its company; one with neither, its first number.
 * - Length cap: the display name is cut to at most `nameMaxLength` characters (grapheme clusters, so an accent
 *   written as a combining mark stays with its letter), without a dangling comma or space.
 * - Transliteration 'ascii' (old Cisco models, phones that show "?" for anything else): every text field in ASCII
 *   by the rule caller ID uses too (model/text.ts asciiText): German umlauts as "ue" ("Müller" → "Mueller"), other
 *   accents dropped ("Łódź" → "Lodz", "ß" → "ss"), other scripts in Latin letters ("Дмитрий" → "Dmitriy").
 * - Every text is one line of printable characters: a control character is invalid even escaped in XML 1.0.
 */
export interface EntryOptions {
  nameOrder: 'first-last' | 'last-first';
  nameMaxLength: number | null;
  transliteration: 'none' | 'ascii';
}

export const DEFAULT_ENTRY_OPTIONS: EntryOptions = {
  nameOrder: 'last-first',
  nameMaxLength: null,
  transliteration: 'none',
};

// eslint-disable-next-line no-control-regex -- matching control characters is the point: XML 1.0 cannot carry them
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function oneLine(text: string | null): string {
  return (text ?? '').replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
}

function ascii(text: string): string {
  return oneLine(asciiText(text));
}

/** The contact as `PhoneBookEntry`, its names ordered, cut and transliterated by the feed's options. */
export function toEntry(contact: BookContact, options: EntryOptions): PhoneBookEntry {
  const text =
    options.transliteration === 'ascii'
      ? (value: string | null) => ascii(oneLine(value))
      : (v: string | null) => oneLine(v);
  const optional = (value: string | null) => {
    const shown = text(value);
    return shown === '' ? null : shown;
  };
  const first = text(contact.firstName);
  const last = text(contact.lastName);
  const company = optional(contact.company);
  const phones = contact.phones.map((p) => ({
    kind: p.kind,
    number: p.e164 ?? oneLine(p.raw),
    extension: p.extension,
  }));
  let displayName: string;
  if (first && last) displayName = options.nameOrder === 'last-first' ? `${last}, ${first}` : `${first} ${last}`;
  else displayName = first || last || company || phones[0]?.number || '';
  return {
    id: contact.id,
    firstName: first,
    lastName: last,
    displayName: cutToGraphemes(displayName, options.nameMaxLength),
    company,
    title: optional(contact.title),
    email: optional(contact.email),
    phones,
    updatedAt: contact.updatedAt,
  };
}
