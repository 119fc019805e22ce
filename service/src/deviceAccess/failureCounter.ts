/**
 * Wrong-credential counting per client address, shared by the REST API's bearer token (http/auth.ts) and the
 * devices' access keys (requireAccessKey.ts), so a guesser meets the same limit whichever door it tries.
 * Contract: `blockedFor(client)` before checking a credential (over the limit: answer 429 with Retry-After,
 * even for a right credential, or the 429 would tell a guesser when it hit); `fail(client)` after a wrong one.
 */

/** How many wrong credentials a client may send in a window before it is answered 429 until the window ends. */
export interface AuthThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Clients remembered at most: a flood of addresses cannot grow the map without bound. */
  maxClients?: number;
  now?(): number;
}

/**
 * 10 wrong tokens a minute per client: plenty for a person fixing a typo or a phone retrying, while a token
 * of 24+ random characters stays out of reach (14,400 guesses a day per address).
 */
export const DEFAULT_AUTH_THROTTLE: AuthThrottleOptions = { maxFailures: 10, windowMs: 60_000 };

/** Wrong-credential counts per client in fixed windows; the window restarts when a client reaches the limit. */
export class FailureCounter {
  private readonly clients = new Map<string, { failures: number; until: number }>();
  private readonly now: () => number;
  private readonly maxClients: number;

  constructor(private readonly options: AuthThrottleOptions = DEFAULT_AUTH_THROTTLE) {
    this.now = options.now ?? Date.now;
    this.maxClients = options.maxClients ?? 10_000;
  }

  /** Milliseconds the client must wait, 0 when it may try. */
  blockedFor(client: string): number {
    const entry = this.clients.get(client);
    const now = this.now();
    if (!entry || entry.until <= now) return 0;
    return entry.failures >= this.options.maxFailures ? entry.until - now : 0;
  }

  /** Counts a failure; true when it is the one that blocks the client. */
  fail(client: string): boolean {
    const now = this.now();
    const entry = this.clients.get(client);
    if (!entry || entry.until <= now) {
      this.remember(client, { failures: 1, until: now + this.options.windowMs });
      return this.options.maxFailures <= 1;
    }
    entry.failures += 1;
    if (entry.failures < this.options.maxFailures) return false;
    entry.until = now + this.options.windowMs;
    return true;
  }

  private remember(client: string, entry: { failures: number; until: number }): void {
    this.clients.delete(client);
    if (this.clients.size >= this.maxClients) {
      const now = this.now();
      for (const [key, value] of this.clients) if (value.until <= now) this.clients.delete(key);
      // Still full: forget the oldest, which is the least likely to be blocked right now.
      if (this.clients.size >= this.maxClients) this.clients.delete(this.clients.keys().next().value as string);
    }
    this.clients.set(client, entry);
  }
}
