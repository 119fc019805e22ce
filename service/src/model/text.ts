import { transliterate } from 'transliteration';

/**
 * Text a client sends that no side can keep as given: Postgres refuses U+0000 in text, a lone UTF-16
 * surrogate is no character (UTF-8 has no encoding for it, so it would arrive as U+FFFD, silently changed),
 * and Salesforce would refuse both. The API refuses such text rather than clean it: the client sent it and
 * can fix it, while text read from Salesforce is cleaned (sync/rules/storableText.ts) because nobody waits on it.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why the text cannot be stored as given, or null when it can. */
export function unstorableTextReason(text: string): string | null {
  if (text.includes('\u0000')) return 'contains U+0000 (NUL), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (no character), which cannot be stored';
  return null;
}

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * At most `max` grapheme clusters (an "é" written as e + accent stays whole, so no device shows half a letter),
 * without a dangling separator; the text as it is when `max` is null. Shared by every name a device shows
 * (caller-ID names, phone-book entries) so a length cap means the same everywhere.
 */
export function cutToGraphemes(text: string, max: number | null): string {
  if (max === null) return text;
  const parts = Array.from(GRAPHEMES.segment(text), (s) => s.segment);
  if (parts.length <= max) return text;
  return parts
    .slice(0, max)
    .join('')
    .replace(/[\s,]+$/, '');
}

/**
 * German umlauts as German writes them without the dots (DIN 5007-2: "Müller" → "Mueller"), the spelling
 * people recognise their own name in; every other letter as the transliteration library reads it
 * ("Ø" → "O", "Łódź" → "Lodz", "ß" → "ss", "Дмитрий" → "Dmitriy").
 */
const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue' };

/**
 * Printable ASCII only, for devices that cannot show anything else (old Cisco models, carriers' CNAM):
 * one rule for every name a device shows, so a caller-ID name and the phone book's entry for the same
 * person read the same. What the library cannot spell is left out.
 */
export function asciiText(text: string): string {
  return transliterate(text.normalize('NFC'), { replace: UMLAUTS }).replace(/[^\x20-\x7e]/g, '');
}
