import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { DirectoryPhone, PhoneKind } from '../../directory/model';

type Normalized = { e164: string | null; extension: string | null };

/**
 * Parsing is the costliest step of applying a record (about 0.1 ms a number), and applying one change
 * maps the same numbers several times (the record's values, the link's last ones, the validity rules):
 * the latest answers are kept, the oldest dropped first. Parsing is a pure function of its input.
 */
const PARSED_KEPT = 10_000;
const parsedNumbers = new Map<string, Readonly<Normalized>>();

/**
 * E.164 with the full ("max") metadata: the small bundle calls many impossible numbers valid. A value
 * that is no valid number keeps its raw text and gets no E.164, so it is shown but never matched.
 */
export function normalizePhone(raw: string, defaultCountry: CountryCode): Normalized {
  const key = `${defaultCountry}\u0000${raw}`;
  let answer = parsedNumbers.get(key);
  if (answer === undefined) {
    const parsed = parsePhoneNumberFromString(raw, defaultCountry);
    answer =
      !parsed || !parsed.isValid()
        ? { e164: null, extension: null }
        : { e164: parsed.number, extension: parsed.ext ?? null };
    if (parsedNumbers.size >= PARSED_KEPT) parsedNumbers.delete(parsedNumbers.keys().next().value as string);
    parsedNumbers.set(key, answer);
  }
  return { ...answer };
}

export function toDirectoryPhone(kind: PhoneKind, raw: string, defaultCountry: CountryCode): DirectoryPhone {
  const trimmed = raw.trim();
  return { kind, raw: trimmed, ...normalizePhone(trimmed, defaultCountry) };
}

/** Every E.164 number of a contact, without duplicates: the match keys. */
export function e164sOf(phones: DirectoryPhone[]): string[] {
  return [...new Set(phones.map((p) => p.e164).filter((n): n is string => n !== null))];
}
