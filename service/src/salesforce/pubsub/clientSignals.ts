import type { Logger } from 'pino';

/**
 * What the Pub/Sub client tells a subscriber besides its callbacks: the errors it hands over for an event
 * it could not decode, and its log, which is the only place it says how many events a response holds
 * before it has decoded them. Pure adapters over the client's surface; the subscriber decides what they mean.
 */

interface EventParseErrorLike {
  replayId?: number;
  latestReplayId?: number;
  event: unknown;
}

export function isEventParseError(value: unknown): value is EventParseErrorLike & Error {
  return value instanceof Error && 'latestReplayId' in value && 'event' in value;
}

/**
 * The client's announcement of a response's events, logged before it fetches their schema and decodes
 * them: the one synchronous sign it gives that it holds events it has not handed over. The client's
 * version is pinned; subscriberPosition.test.ts fails if this text changes.
 */
const ANNOUNCED_EVENTS = / - Received (\d+) events, latest replay ID: /;

/**
 * The Pub/Sub client logs at info for every batch; keep its chatter at debug under our logger, and pass
 * on how many events each response announced.
 */
export function clientLogger(logger: Logger, announced: (count: number) => void) {
  const child = logger.child({ component: 'pubsub-client' });
  return {
    debug: (...args: unknown[]) => child.debug(args.map(String).join(' ')),
    info: (...args: unknown[]) => {
      const text = args.map(String).join(' ');
      const match = ANNOUNCED_EVENTS.exec(text);
      if (match) announced(Number(match[1]));
      child.debug(text);
    },
    warn: (...args: unknown[]) => child.warn(args.map(String).join(' ')),
    error: (...args: unknown[]) => child.debug(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')),
  };
}
