import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/metadata.max.json';
import { Metadata } from 'libphonenumber-js/core';

/**
 * The number a PBX asks about, as the directory can match it: pure rules, no I/O.
 *
 * PBXs send the calling number in whatever form their trunk delivered it, and some lose characters on the
 * way: FreeSWITCH's mod_cidlookup strips it to digits (the `+` is gone), Kamailio's http_client does not
 * escape `+` so a form decoder turns it into a space, carriers deliver national numbers, `00…` or `011…`
 * international ones, with separators, extensions (`;ext=12`, `x12`) or as a `tel:`/`sip:` URI. The
 * directory holds E.164 only (libphonenumber-js "max" metadata, valid numbers only), so the lookup turns
 * the input into the E.164 numbers it may mean, most likely first, and asks for all of them in one probe.
 */
export interface CallerNumber {
  /** E.164 numbers the input may mean, most likely first; never empty. */
  candidates: string[];
  /** Digits of an extension the input carried (`;ext=12`, `x12`, `ext. 12`), or null. */
  extension: string | null;
}

/** Longer than any number with an extension and a SIP URI around it: refused before any parsing. */
const MAX_INPUT_LENGTH = 128;
/** E.164 allows 15 digits; an international prefix (`011`) adds 3. */
const MAX_DIGITS = 18;
const MIN_DIGITS = 3;

const URI_SCHEME = /^(?:tel|sips?):/i;
/** An extension at the end: RFC 3966 `;ext=`, or `x`, `ext`, `ext.`, `#` followed by digits. */
const EXTENSION = /(?:;ext=|\s*(?:ext\.?|x|#)\s*)(\d{1,10})$/i;
/** What is left of a number once the extension is off: digits, `+` and the separators people type. */
const NUMBER_TEXT = /^[+\d\s().\-/]+$/;

const numbering = new Metadata(metadata);

/** The trunk prefix national numbers are dialled with in `country` ('0' in most of Europe, '1' in NANP). */
function nationalPrefixOf(country: CountryCode): string | undefined {
  numbering.selectNumberingPlan(country);
  // Metadata's numbering plan has nationalPrefix() at run time; the package's typings leave it out.
  const plan = numbering.numberingPlan as { nationalPrefix?(): string | undefined } | undefined;
  return plan?.nationalPrefix?.() || undefined;
}

/** The valid E.164 number `text` is, read with `country` for national numbers; null when it is none. */
function e164Of(text: string, country: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(text, country);
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** The part of a `tel:` or `sip:` URI that names the number, and its `ext=` parameter when it has one. */
function numberOfUri(input: string): string {
  let rest = input.replace(URI_SCHEME, '');
  const at = rest.indexOf('@');
  if (at >= 0) rest = rest.slice(0, at);
  const [number, ...parameters] = rest.split(';');
  const ext = parameters.find((p) => /^ext=\d{1,10}$/i.test(p));
  return ext ? `${number};${ext}` : number;
}

/**
 * The E.164 numbers `input` may mean, with `defaultCountry` for national numbers; null when it is no
 * phone number at all (text, `anonymous`, too short or too long), which the lookup answers as unknown.
 *
 * Rules, in order:
 * - a leading space before the digits is a `+` a form decoder turned into a space (Kamailio);
 * - a `+` anywhere else is a separator (a form-encoded space);
 * - `+…`: international, nothing else;
 * - `00…`: international (the prefix of most of the world), as well as the default country's own
 *   international prefix (`011` in NANP, which libphonenumber removes);
 * - other digits: the national number and the same digits with a `+` (a PBX that dropped it) are both
 *   asked for. Where national numbers are dialled with a `0` trunk prefix (DE, GB, FR…), digits without it
 *   are an international number first; elsewhere (NANP, where the `1` is optional) national first.
 */
export function callerNumberOf(input: string, defaultCountry: CountryCode): CallerNumber | null {
  if (input.length > MAX_INPUT_LENGTH) return null;
  const plusLost = /^\s+\d/.test(input);
  let text = input.trim();
  if (URI_SCHEME.test(text)) text = numberOfUri(text);
  let extension: string | null = null;
  const ext = EXTENSION.exec(text);
  if (ext) {
    extension = ext[1];
    text = text.slice(0, ext.index);
  }
  if (!NUMBER_TEXT.test(text)) return null;
  const digits = text.replace(/\D/g, '');
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return null;

  const asInternational = () => e164Of(`+${digits}`, defaultCountry);
  const asNational = () => e164Of(digits, defaultCountry);
  let ordered: Array<string | null>;
  if (text.startsWith('+')) ordered = [asInternational()];
  else if (plusLost) ordered = [asInternational(), asNational()];
  else if (digits.startsWith('00')) ordered = [e164Of(`+${digits.slice(2)}`, defaultCountry), asNational()];
  else {
    const prefix = nationalPrefixOf(defaultCountry);
    if (prefix !== undefined && digits.startsWith(prefix)) ordered = [asNational(), asInternational()];
    else if (prefix === '0') ordered = [asInternational(), asNational()];
    else ordered = [asNational(), asInternational()];
  }
  const candidates = [...new Set(ordered.filter((n): n is string => n !== null))];
  return candidates.length > 0 ? { candidates, extension } : null;
}
