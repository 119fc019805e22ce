import { decodeCursor, encodeCursor, type ChangeCursor } from '../directory/changes';
import type { BookName } from './paths';

/**
 * RFC 6578 sync tokens: a URI holding the book and the directory's change cursor (directory/changes.ts), so the
 * token is all the state a sync needs and the server keeps none per client. Tombstones are kept, so every token this
 * server issued stays valid; anything else (another book's token, a mangled one) is no token of ours.
 */
const PREFIX = 'urn:switchboard:carddav-sync:';

export function syncTokenOf(book: BookName, cursor: ChangeCursor): string {
  return `${PREFIX}${book}:${encodeCursor(cursor)}`;
}

/** The cursor a token names for this book, or null when it is not a token this server gave for it. */
export function cursorOfToken(book: BookName, token: string): ChangeCursor | null {
  const prefix = `${PREFIX}${book}:`;
  const trimmed = token.trim();
  if (!trimmed.startsWith(prefix)) return null;
  return decodeCursor(trimmed.slice(prefix.length));
}
