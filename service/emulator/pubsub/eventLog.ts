import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { REPLAY_ID_BYTES, decodeReplayId, encodeReplayId } from './replayId';

/** What a publisher hands over: the Avro payload and the schema it was written with. */
export interface ProducedEvent {
  schemaId: string;
  payload: Buffer;
}

export interface StoredEvent {
  topicName: string;
  replay: bigint;
  /** `replay` as the 8-byte big-endian buffer the protocol carries. */
  replayId: Buffer;
  /** id = the EventUuid the platform assigns. */
  event: { id: string; schemaId: string; payload: Buffer };
  publishedAt: number;
}

export type ReplayStart =
  { preset: 'LATEST' } | { preset: 'EARLIEST' } | { preset: 'CUSTOM'; replayId: Uint8Array | undefined };

/** Why a CUSTOM start point was refused; the server maps it to the documented error codes. */
export class ReplayIdError extends Error {
  constructor(
    readonly reason: 'corrupted' | 'validation-failed',
    message: string,
  ) {
    super(message);
    this.name = 'ReplayIdError';
  }
}

interface TopicLog {
  events: StoredEvent[];
  /** The tip before the first event: a valid CUSTOM start point until the topic loses events to retention. */
  baseline: bigint;
  tip: bigint;
  /** Highest replay id dropped by retention, if any. */
  expiredThrough?: bigint;
}

export interface EventLogOptions {
  topics: Iterable<string>;
  retentionMs: number;
  clock?: () => number;
  /** The counter's starting point; replay ids are opaque, so any value works. */
  firstReplayId?: bigint;
}

/**
 * Append-only, per-topic event logs with one replay-id counter. The counter skips a value after
 * every publish call so replay ids are increasing but not contiguous, as on the platform: a client
 * that computes replay ids instead of storing them fails here too.
 */
export class EventLog {
  private readonly topics = new Map<string, TopicLog>();
  private readonly appended = new EventEmitter();
  private readonly retentionMs: number;
  private clock: () => number;
  private lastAssigned: bigint;

  constructor(options: EventLogOptions) {
    this.retentionMs = options.retentionMs;
    this.clock = options.clock ?? Date.now;
    this.lastAssigned = options.firstReplayId ?? 1000n;
    for (const topic of options.topics)
      this.topics.set(topic, { events: [], baseline: this.lastAssigned, tip: this.lastAssigned });
    // Every open Subscribe call listens to its topic; the default limit of 10 would warn at 11.
    this.appended.setMaxListeners(0);
  }

  hasTopic(topicName: string): boolean {
    return this.topics.has(topicName);
  }

  /** Tests move time forward to see retention at work. */
  setClock(clock: () => number): void {
    this.clock = clock;
  }

  now(): number {
    return this.clock();
  }

  private log(topicName: string): TopicLog {
    const log = this.topics.get(topicName);
    if (!log) throw new Error(`unknown topic ${topicName}`);
    return log;
  }

  /** One publish call: the events get consecutive replay ids, then the counter skips one. */
  append(topicName: string, events: ProducedEvent[]): StoredEvent[] {
    const log = this.log(topicName);
    this.purgeExpired(topicName);
    const publishedAt = this.clock();
    const stored = events.map((event): StoredEvent => {
      const replay = ++this.lastAssigned;
      return {
        topicName,
        replay,
        replayId: encodeReplayId(replay),
        event: { id: randomUUID(), schemaId: event.schemaId, payload: event.payload },
        publishedAt,
      };
    });
    if (stored.length === 0) return stored;
    this.lastAssigned++;
    log.events.push(...stored);
    log.tip = stored[stored.length - 1].replay;
    this.appended.emit(topicName, stored);
    return stored;
  }

  /** The newest replay id of the topic (the baseline while it has none). */
  latest(topicName: string): bigint {
    return this.log(topicName).tip;
  }

  /** Retained events, oldest first. */
  retained(topicName: string): readonly StoredEvent[] {
    this.purgeExpired(topicName);
    return this.log(topicName).events;
  }

  /**
   * The position a subscription starts after: LATEST = the tip, EARLIEST = before every retained
   * event, CUSTOM = the given replay id, which must be a retained event's (or the untouched baseline).
   */
  startPosition(topicName: string, start: ReplayStart): bigint {
    const log = this.log(topicName);
    this.purgeExpired(topicName);
    switch (start.preset) {
      case 'LATEST':
        return log.tip;
      case 'EARLIEST':
        return log.events.length > 0 ? log.events[0].replay - 1n : log.tip;
      case 'CUSTOM': {
        if (!start.replayId || start.replayId.length === 0) {
          throw new ReplayIdError('validation-failed', 'The CUSTOM replay preset needs a replay_id.');
        }
        const replay = decodeReplayId(start.replayId);
        if (replay === undefined) {
          throw new ReplayIdError(
            'corrupted',
            `The replay ID is not valid: expected ${REPLAY_ID_BYTES} bytes, got ${start.replayId.length}.`,
          );
        }
        const retained = this.indexOf(log, replay) >= 0;
        const baseline = replay === log.baseline && log.expiredThrough === undefined;
        if (!retained && !baseline) {
          throw new ReplayIdError(
            'corrupted',
            `The replay ID ${replay} is unknown or no longer retained on ${topicName}. Subscribe from EARLIEST or LATEST instead.`,
          );
        }
        return replay;
      }
    }
  }

  /** Up to `max` retained events after `position`, oldest first. */
  readAfter(topicName: string, position: bigint, max: number): StoredEvent[] {
    const log = this.log(topicName);
    this.purgeExpired(topicName);
    if (max <= 0) return [];
    const from = this.firstAfter(log, position);
    return log.events.slice(from, from + max);
  }

  hasEventsAfter(topicName: string, position: bigint): boolean {
    const log = this.log(topicName);
    return this.firstAfter(log, position) < log.events.length;
  }

  onAppend(topicName: string, listener: (events: StoredEvent[]) => void): () => void {
    this.log(topicName);
    this.appended.on(topicName, listener);
    return () => this.appended.off(topicName, listener);
  }

  /** Drops events older than the retention period. */
  purgeExpired(topicName: string): void {
    const log = this.log(topicName);
    const cutoff = this.clock() - this.retentionMs;
    let count = 0;
    while (count < log.events.length && log.events[count].publishedAt < cutoff) count++;
    this.drop(log, count);
  }

  /** Test hook: expires every event of the topic up to and including `replay`, as 72 hours would. */
  expireThrough(topicName: string, replay: bigint | number): number {
    const log = this.log(topicName);
    const count = this.firstAfter(log, BigInt(replay));
    this.drop(log, count);
    return count;
  }

  private drop(log: TopicLog, count: number): void {
    if (count === 0) return;
    log.expiredThrough = log.events[count - 1].replay;
    log.events.splice(0, count);
  }

  /** Index of the first event with replay > position (binary search; replay ids are increasing). */
  private firstAfter(log: TopicLog, position: bigint): number {
    let lo = 0;
    let hi = log.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (log.events[mid].replay <= position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(log: TopicLog, replay: bigint): number {
    const index = this.firstAfter(log, replay - 1n);
    return index < log.events.length && log.events[index].replay === replay ? index : -1;
  }
}
