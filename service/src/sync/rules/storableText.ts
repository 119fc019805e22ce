import type { SfValue } from '../../model/records';

/**
 * Salesforce text Postgres cannot store, made storable by one rule (README, "Text Postgres cannot store").
 *
 * Salesforce accepts U+0000 in text fields (API writes, imports) and JSON can carry a lone UTF-16
 * surrogate (`"\ud800"`), but Postgres refuses both: U+0000 in text and jsonb, a lone surrogate in jsonb.
 * Refused, one record failed the whole transaction it came in — an event batch, an initial-sync page, a
 * reconcile page — and the same batch was retried for ever. So such text is cleaned before anything is
 * mapped or stored: U+0000 is removed (it has no meaning in a name, number or address and no display;
 * removing it loses nothing a person could see), and a lone surrogate becomes U+FFFD, the replacement
 * character — what any UTF-8 encoder, the Bulk API's CSV among them, already turns it into. Cleaning
 * rather than excluding: excluding would take a person out of the phone book for a character nobody can
 * see. Every other string is valid Unicode that Postgres stores as it is.
 */

/** What cleaning changed in one field (counts only: the values themselves are personal data). */
export interface FieldCleaning {
  field: string;
  nulRemoved: number;
  surrogatesReplaced: number;
}

// A quick test first: almost every value has neither, and then nothing is copied.
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this rule looks for
const SUSPECT = /[\u0000\ud800-\udfff]/;

/** The text with U+0000 removed and lone surrogates replaced by U+FFFD, and how many of each. */
export function storableText(text: string): { text: string; nulRemoved: number; surrogatesReplaced: number } {
  if (!SUSPECT.test(text)) return { text, nulRemoved: 0, surrogatesReplaced: 0 };
  let out = '';
  let nulRemoved = 0;
  let surrogatesReplaced = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0) {
      nulRemoved++;
    } else if (unit >= 0xd800 && unit <= 0xdbff && isLow(text.charCodeAt(i + 1))) {
      out += text[i] + text[i + 1];
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      out += '\ufffd';
      surrogatesReplaced++;
    } else {
      out += text[i];
    }
  }
  return { text: out, nulRemoved, surrogatesReplaced };
}

function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * A record's values made storable: the same object when nothing needed cleaning (the common case), else
 * a cleaned copy and what changed per field.
 */
export function storableValues(values: Record<string, SfValue>): {
  values: Record<string, SfValue>;
  cleaned: FieldCleaning[];
} {
  let copy: Record<string, SfValue> | null = null;
  const cleaned: FieldCleaning[] = [];
  for (const [field, value] of Object.entries(values)) {
    if (typeof value !== 'string') continue;
    const result = storableText(value);
    if (result.text === value) continue;
    copy ??= { ...values };
    copy[field] = result.text;
    cleaned.push({ field, nulRemoved: result.nulRemoved, surrogatesReplaced: result.surrogatesReplaced });
  }
  return { values: copy ?? values, cleaned };
}

/** `LastName: 1 U+0000 removed; Title: 1 lone surrogate replaced by U+FFFD`, for the audit. */
export function describeCleaning(cleaned: FieldCleaning[]): string {
  return cleaned
    .map(({ field, nulRemoved, surrogatesReplaced }) => {
      const parts: string[] = [];
      if (nulRemoved > 0) parts.push(`${nulRemoved} U+0000 removed`);
      if (surrogatesReplaced > 0)
        parts.push(`${surrogatesReplaced} lone surrogate${surrogatesReplaced === 1 ? '' : 's'} replaced by U+FFFD`);
      return `${field}: ${parts.join(', ')}`;
    })
    .join('; ');
}
