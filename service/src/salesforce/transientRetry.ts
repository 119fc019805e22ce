import { classifySaveError } from './saveErrors';

/** The waits before a request is sent again after a transient answer: 0.5 s, 1 s, 2 s. */
export const TRANSIENT_RETRY_DELAYS_MS = [500, 1000, 2000];

/**
 * Sends a request again after a transient answer — a 5xx, a lock, a dropped or reset connection
 * (saveErrors.ts decides) — waiting `delaysMs` in turn; any other error, or the last transient one, goes to
 * the caller. For requests that are safe to repeat: reads, and writes whose repetition costs nothing (a
 * second Bulk query job whose first answer was lost is left to expire). Without it, one 503 among the
 * thousands of requests of a large load failed the whole run, which then waited out a growing backoff.
 */
export async function retryTransient<T>(
  request: () => Promise<T>,
  options: { delaysMs?: readonly number[]; signal?: AbortSignal } = {},
): Promise<T> {
  const delays = options.delaysMs ?? TRANSIENT_RETRY_DELAYS_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      const delay = delays[attempt];
      if (delay === undefined || options.signal?.aborted || !classifySaveError(err).transient) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
