import { createHash } from 'node:crypto';

/**
 * Conditional GETs for phone books (phones refresh on a timer; an unchanged book should cost a 304 and two index
 * probes, never a read of the contacts).
 *
 * ETag: a hash of everything the body depends on — the directory's version (directory/changes.ts: changes with
 * every committed insert, update or delete), the feed's id and configuration version, the format, the parsed
 * request (search, paging, view) and the URL the body links back to (which carries the device's key when it came in
 * the query). Same inputs, same bytes.
 *
 * Last-Modified: HTTP dates have one-second resolution and the directory has no trustworthy "last changed" time
 * (rows carry their transaction's start time, which a later commit can undercut), so it is the time this process
 * first served the current ETag for that request, made strictly later than the previous one it served for the same
 * request: two changes within a second still give two dates. It is a fallback for phones that send only
 * If-Modified-Since; If-None-Match, when sent, decides alone (RFC 9110 §13.2.2).
 */

export function feedEtag(parts: unknown[]): string {
  return `"pb-${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 32)}"`;
}

/** Whether an If-None-Match header names `etag` (weak comparison, `*` matches anything). */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

/** Whether If-Modified-Since is at or after `lastModifiedMs` (an unreadable date never matches). */
export function notModifiedSince(header: string | undefined, lastModifiedMs: number): boolean {
  if (header === undefined) return false;
  const since = Date.parse(header);
  return Number.isFinite(since) && lastModifiedMs <= since;
}

/** How many requests' dates are remembered; the oldest are forgotten first (a forgotten one restarts at now). */
const MAX_SLOTS = 10_000;

/** Last-Modified per request, in whole seconds (see above). */
export class LastModifiedClock {
  private readonly slots = new Map<string, { etag: string; atMs: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxSlots = MAX_SLOTS,
  ) {}

  /** The Last-Modified (ms, whole seconds) of `etag` for the request `slot` (everything but the directory's version). */
  lastModified(slot: string, etag: string): number {
    const known = this.slots.get(slot);
    if (known && known.etag === etag) {
      // Refreshed: most recently used last, so the oldest is the one forgotten.
      this.slots.delete(slot);
      this.slots.set(slot, known);
      return known.atMs;
    }
    const second = Math.floor(this.now() / 1000) * 1000;
    const atMs = known ? Math.max(second, known.atMs + 1000) : second;
    this.slots.delete(slot);
    this.slots.set(slot, { etag, atMs });
    if (this.slots.size > this.maxSlots) this.slots.delete(this.slots.keys().next().value as string);
    return atMs;
  }
}
