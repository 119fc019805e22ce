/**
 * Where things are under the mount (`/carddav`): the entry point and address-book home `/carddav/`, the one
 * principal `/carddav/principal/` (whoever holds a CardDAV access key), and the address books `/carddav/<book>/`
 * holding one `<name>.vcf` per contact. Today there is one book, `directory`: every contact. Book names are
 * path segments, so a later per-feed book is `/carddav/<feed>/`; `principal` is never a book name.
 */
export const BOOK_NAMES = ['directory'] as const;
export type BookName = (typeof BOOK_NAMES)[number];

export type Target =
  | { kind: 'home' }
  | { kind: 'principal' }
  | { kind: 'book'; book: BookName }
  | { kind: 'card'; book: BookName; name: string }
  | { kind: 'none' };

export interface Hrefs {
  home: string;
  principal: string;
  book(book: BookName): string;
  card(book: BookName, name: string): string;
}

/** Absolute paths under `mount` (e.g. `/carddav`); card names are percent-encoded. */
export function hrefsAt(mount: string): Hrefs {
  const base = mount.replace(/\/+$/, '');
  return {
    home: `${base}/`,
    principal: `${base}/principal/`,
    book: (book) => `${base}/${book}/`,
    card: (book, name) => `${base}/${book}/${encodeURIComponent(name)}`,
  };
}

/** The resource a path under the mount names (`req.path` inside the router: `/`, `/directory/x.vcf`, …). */
export function targetOf(path: string): Target {
  const segments = path.split('/').filter((s) => s !== '');
  let decoded: string[];
  try {
    decoded = segments.map((s) => decodeURIComponent(s));
  } catch {
    return { kind: 'none' };
  }
  const [first, second, ...rest] = decoded;
  if (first === undefined) return { kind: 'home' };
  if (first === 'principal' && second === undefined) return { kind: 'principal' };
  const book = BOOK_NAMES.find((b) => b === first);
  if (!book || rest.length > 0) return { kind: 'none' };
  if (second === undefined) return { kind: 'book', book };
  if (second.includes('/') || second.length > 255) return { kind: 'none' };
  return { kind: 'card', book, name: second };
}

/** The card name in an href a client sent (multiget): absolute path or full URL, under this book; else null. */
export function cardNameOfHref(href: string, hrefs: Hrefs, book: BookName): string | null {
  let path = href.trim();
  try {
    if (/^[a-z][a-z0-9+.-]*:/i.test(path)) path = new URL(path).pathname;
  } catch {
    return null;
  }
  const prefix = hrefs.book(book);
  if (!path.startsWith(prefix)) return null;
  const rest = path.slice(prefix.length);
  if (rest === '' || rest.includes('/')) return null;
  try {
    return decodeURIComponent(rest);
  } catch {
    return null;
  }
}
