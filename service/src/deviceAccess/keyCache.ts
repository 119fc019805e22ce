import type { Database } from '../store/types';
import type { AccessKeyMatch } from '../store/devices/accessKeys';

/**
 * Keys found recently, by hash, so a PBX looking up every call or a phone paging through a book costs one
 * key read per few seconds instead of one per request (caller ID is a hot path: one probe on the number is
 * its budget). Only keys that exist are kept; a wrong key always goes to the database (and is throttled).
 *
 * A rotation or revocation made in this process (deviceAccess/accessKeys.ts) calls noteAccessKeysChanged,
 * and every cache over that database drops what it holds at once; one made by another instance sharing
 * the database takes effect here within the TTL (default 5 s).
 */

const changeCounts = new WeakMap<Database, { version: number }>();

function changesOf(db: Database): { version: number } {
  let counter = changeCounts.get(db);
  if (!counter) {
    counter = { version: 0 };
    changeCounts.set(db, counter);
  }
  return counter;
}

/** Called after a key of `db` was rotated or revoked: cached keys of that database are read again. */
export function noteAccessKeysChanged(db: Database): void {
  changesOf(db).version += 1;
}

export const DEFAULT_KEY_CACHE_TTL_MS = 5_000;

export class AccessKeyCache {
  private readonly entries = new Map<string, { match: AccessKeyMatch; until: number; version: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = 1_000,
  ) {}

  get(db: Database, hash: string): AccessKeyMatch | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.until <= this.now() || entry.version !== changesOf(db).version) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.match;
  }

  set(db: Database, hash: string, match: AccessKeyMatch): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(hash, { match, until: this.now() + this.ttlMs, version: changesOf(db).version });
  }
}
