/**
 * Requests per minute per access key, in fixed one-minute windows counted in this process. Fixed windows
 * are enough here: the limit stops a runaway or leaked key, it is not a billing meter, and a burst of up to
 * twice the limit across a window boundary does no harm. Several service instances each count their own
 * share (a load balancer spreads a key's traffic, so the effective limit grows with the instances).
 */
export class KeyRateLimiter {
  private readonly windows = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts one request of the key; 0 when it may pass, otherwise milliseconds until its window ends. */
  take(keyId: string, limit: number): number {
    const now = this.now();
    let window = this.windows.get(keyId);
    if (!window || window.until <= now) {
      if (this.windows.size > 10_000) this.prune(now);
      window = { count: 0, until: now + this.windowMs };
      this.windows.set(keyId, window);
    }
    if (window.count >= limit) return window.until - now;
    window.count += 1;
    return 0;
  }

  private prune(now: number): void {
    for (const [id, window] of this.windows) if (window.until <= now) this.windows.delete(id);
  }
}
