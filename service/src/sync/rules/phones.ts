import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { DirectoryPhone, PhoneKind } from '../../directory/model';

/**
 * E.164 with the full ("max") metadata: the small bundle calls many impossible numbers valid. A value
 * that is no valid number keeps its raw text and gets no E.164, so it is shown but never matched.
 */
export function normalizePhone(
  raw: string,
  defaultCountry: CountryCode,
): { e164: string | null; extension: string | null } {
  const parsed = parsePhoneNumberFromString(raw, defaultCountry);
  if (!parsed || !parsed.isValid()) return { e164: null, extension: null };
  return { e164: parsed.number, extension: parsed.ext ?? null };
}

export function toDirectoryPhone(kind: PhoneKind, raw: string, defaultCountry: CountryCode): DirectoryPhone {
  const trimmed = raw.trim();
  return { kind, raw: trimmed, ...normalizePhone(trimmed, defaultCountry) };
}

/** Every E.164 number of a contact, without duplicates: the match keys. */
export function e164sOf(phones: DirectoryPhone[]): string[] {
  return [...new Set(phones.map((p) => p.e164).filter((n): n is string => n !== null))];
}
