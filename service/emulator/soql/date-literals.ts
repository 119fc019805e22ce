const DAY_MS = 86_400_000;

/**
 * The instant range [start, end) a SOQL date literal stands for. The emulated org's time zone is
 * UTC, so days start at 00:00Z. LAST_N_DAYS:n covers today and the n days before it; NEXT_N_DAYS:n
 * starts tomorrow, as the SOQL reference describes.
 */
export function dateLiteralRange(name: string, n: number | undefined, now: Date): { start: number; end: number } {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  switch (name) {
    case 'TODAY':
      return { start: today, end: today + DAY_MS };
    case 'YESTERDAY':
      return { start: today - DAY_MS, end: today };
    case 'TOMORROW':
      return { start: today + DAY_MS, end: today + 2 * DAY_MS };
    case 'LAST_N_DAYS':
      return { start: today - (n ?? 0) * DAY_MS, end: today + DAY_MS };
    case 'NEXT_N_DAYS':
      return { start: today + DAY_MS, end: today + (1 + (n ?? 0)) * DAY_MS };
    default:
      throw new Error(`unknown date literal ${name}`);
  }
}
