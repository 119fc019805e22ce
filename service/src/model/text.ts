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
