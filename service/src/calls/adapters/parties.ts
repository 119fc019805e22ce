/**
 * Which side of the PBX a party is on, for sources that do not say (a FreeSWITCH leg's direction is the
 * channel's, not the call's; Kamailio and Asterisk records have none): pure rules, no I/O.
 *
 * A party is one of ours when it is an extension — digits only (after a `sip:` scheme and before any `@host`),
 * at most `extensionDigits` long (default 6: longer is a number from outside, shorter than any national number
 * plan's subscriber number). Both ours: internal; the caller ours: outbound; otherwise inbound.
 */
import type { CallDirection } from '../callEvent';

export const DEFAULT_EXTENSION_DIGITS = 6;

/** The user part of a party as PBXs write it: `sip:201@pbx` → `201`. */
export function userOf(party: string): string {
  return party
    .replace(/^sips?:/i, '')
    .replace(/@.*$/, '')
    .trim();
}

export function isExtension(party: string, extensionDigits = DEFAULT_EXTENSION_DIGITS): boolean {
  const user = userOf(party);
  return /^\d+$/.test(user) && user.length <= extensionDigits;
}

export function directionOf(from: string, to: string, extensionDigits = DEFAULT_EXTENSION_DIGITS): CallDirection {
  const fromOurs = isExtension(from, extensionDigits);
  const toOurs = isExtension(to, extensionDigits);
  if (fromOurs && toOurs) return 'internal';
  return fromOurs ? 'outbound' : 'inbound';
}

/** The extension that handled the call on our side: the callee of an inbound call, the caller otherwise. */
export function ourExtension(direction: CallDirection, from: string, to: string): string | null {
  const party = direction === 'inbound' ? to : from;
  return isExtension(party, Number.MAX_SAFE_INTEGER) ? userOf(party) : null;
}

/** Seconds (or microseconds, as FreeSWITCH's *_uepoch) since the epoch as ISO 8601; null for 0 or nothing. */
export function epochToIso(value: unknown, unit: 's' | 'us' = 's'): string | null {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= 0) return null;
  return new Date(unit === 's' ? n * 1000 : n / 1000).toISOString();
}
