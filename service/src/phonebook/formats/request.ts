import { FeedRequestError, type FeedRequest } from './format';

/** A query as the feed hands it to `parseRequest`. */
export type Query = Readonly<Record<string, string | undefined>>;

/**
 * The search term in `name` (`q` unless the vendor names it otherwise), trimmed; empty means no search. Yealink
 * phones substitute `#SEARCH` in the configured URL with what the user typed; a URL fetched without a search
 * still carries the literal placeholder, which means "everything".
 */
export function searchTerm(query: Query, name = 'q'): string | null {
  const value = query[name]?.trim();
  if (value === undefined || value === '' || value === '#SEARCH') return null;
  return value;
}

/** A whole number ≥ `min` in parameter `name`, `fallback` when absent or empty; anything else is a 400 naming it. */
export function wholeNumber(query: Query, name: string, min: number, fallback: number): number {
  const raw = query[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min) {
    throw new FeedRequestError(name, `${name} must be a whole number of at least ${min}, not "${raw.slice(0, 20)}"`);
  }
  return Number(raw);
}

/** Formats that list everything in one answer and search with `q`. */
export function wholeListRequest(query: Query): FeedRequest {
  return { search: searchTerm(query), number: null, first: 0, count: null, view: 'list' };
}
