import { EventEmitter } from 'node:events';
import PubSubApiClient from 'salesforce-pubsub-api-client';
import type { Logger } from 'pino';
import type { RawPubSubEvent } from './changeEvent';
import type { OrgSession } from '../session';
import { withExtraGrpcCa } from '../tls';
import { classifyPubSubError, type PubSubFailure } from './pubsubErrors';
import { clientLogger, isEventParseError } from './clientSignals';

export type SubscriberState = 'idle' | 'connecting' | 'subscribed' | 'waiting' | 'stopped';

export interface SubscriberOptions {
  session: OrgSession;
  topic: string;
  pubSubEndpoint: string;
  extraCaPem?: string;
  logger: Logger;
  /** The last replay id whose effects are committed, or null to start from the newest event. */
  loadReplayId(): Promise<number | null>;
  /** Applies one event and stores its replay id in the same transaction. Throwing means "not applied". */
  handle(event: RawPubSubEvent): Promise<void>;
  /**
   * Stores a position the server reported (a keepalive's latest replay id) where loadReplayId finds it.
   * Called only when every event received before the report has been applied, never concurrently with
   * handle or handleBatch; a failure only logs (the next report tries again). Without it, a stream that
   * has applied no event yet starts from the newest event again and misses what changed meanwhile.
   */
  savePosition?(replayId: number): Promise<void>;
  /**
   * Applies several queued events, in order, in one transaction with the last one's replay id (all or
   * none). When given, the events already received are applied by up to maxEventsPerApply at a time.
   */
  handleBatch?(events: RawPubSubEvent[]): Promise<void>;
  /** Most events one handleBatch call takes (default 25). */
  maxEventsPerApply?: number;
  /** The stored replay id is past retention: forget it and reconcile, then the subscriber starts fresh. */
  onReplayExpired(): Promise<void>;
  /** Events requested per flow-control round (Pub/Sub caps a request at 100). */
  batchSize?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** How long to stay away when the org's event delivery allocation is used up. */
  limitPauseMs?: number;
  /**
   * Whether a failure of loadReplayId, handle, handleBatch or savePosition means the service's database
   * is unreachable (the caller knows its store's errors; this room imports none of them). An outage is
   * logged once when it begins and once when the database answers again, its retries at debug.
   */
  isOutage?(err: unknown): boolean;
}

type CallbackType = 'event' | 'lastEvent' | 'error' | 'end' | 'grpcStatus' | 'grpcKeepAlive';

/**
 * Keeps one Pub/Sub subscription alive for one org and topic. The client library neither reconnects nor
 * refreshes tokens, and it reuses an old stream (and old callback) when asked to subscribe twice, so every
 * attempt gets a new client. Events are applied strictly one after another; more are requested only when
 * the previous batch is applied (real back-pressure); events already received may be applied several
 * per transaction (handleBatch). After any failure the subscriber resumes from the
 * replay id stored with the last committed event, so delivery is at-least-once and the handler's
 * idempotency makes the effect exactly-once.
 */
export class ChangeSubscriber extends EventEmitter {
  private stateValue: SubscriberState = 'idle';
  private client: PubSubApiClient | undefined;
  private clientGeneration = 0;
  private readonly retired = new Map<number, PubSubApiClient>();
  private attempt = 0;
  private generation = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private queue: RawPubSubEvent[] = [];
  private draining: Promise<void> = Promise.resolve();
  private batchDone = false;
  private lastError: string | null = null;
  private confirmed = false;
  /** A generation whose queued events were dropped unapplied: no position it reports may be stored. */
  private brokenGeneration = -1;
  /** The position stored last (loaded, applied or reported), to spare writing the same one again. */
  private storedPosition: number | null = null;
  /**
   * Events the current client has announced (a response's count, before it decodes them) and handed over
   * (or rejected as undecodable). While they differ, events the server sent before a keepalive may still
   * reach us after it: see keepPosition.
   */
  private announced = 0;
  private handedOver = 0;
  /** When the database became unreachable, as seen by this subscriber; null while it answers. */
  private outageSince: number | null = null;
  private readonly batchSize: number;
  private readonly backoff: { initialMs: number; maxMs: number };

  constructor(private readonly options: SubscriberOptions) {
    super();
    this.batchSize = Math.min(100, Math.max(1, options.batchSize ?? 100));
    this.backoff = options.backoff ?? { initialMs: 1000, maxMs: 60_000 };
  }

  get state(): SubscriberState {
    return this.stateValue;
  }

  get error(): string | null {
    return this.lastError;
  }

  /**
   * True once the server has answered the current subscription (an event batch or a keepalive): from then
   * on, changes are certain to reach it. Before, a LATEST subscription may still be taking its position.
   */
  get live(): boolean {
    return this.stateValue === 'subscribed' && this.confirmed;
  }

  start(): void {
    if (this.stateValue !== 'idle' && this.stateValue !== 'stopped') return;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.setState('stopped');
    this.generation++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retireClient();
    await this.draining;
  }

  private setState(state: SubscriberState): void {
    this.stateValue = state;
    this.emit('state', state);
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.confirmed = false;
    // What a stopped stream left unapplied comes again from the stored position.
    this.queue = [];
    this.announced = 0;
    this.handedOver = 0;
    this.setState('connecting');
    const { session, topic, logger } = this.options;
    try {
      const info = session.current ?? (await session.signIn());
      const client = new PubSubApiClient(
        {
          authType: 'user-supplied',
          accessToken: info.accessToken,
          instanceUrl: info.instanceUrl,
          organizationId: info.organizationId,
          pubSubEndpoint: this.options.pubSubEndpoint,
        },
        clientLogger(logger, (count) => {
          if (generation === this.generation) this.announced += count;
        }),
      );
      await withExtraGrpcCa(this.options.extraCaPem, () => client.connect());
      if (generation !== this.generation) {
        client.close();
        return;
      }
      this.client = client;
      const replayId = await this.options.loadReplayId();
      this.databaseAnswered();
      this.storedPosition = replayId;
      this.clientGeneration = generation;
      const callback = (info: unknown, type: string, data?: unknown) =>
        this.onCallback(generation, type as CallbackType, data, info);
      this.batchDone = false;
      if (replayId === null) client.subscribe(topic, callback, this.batchSize);
      else client.subscribeFromReplayId(topic, callback, this.batchSize, replayId);
      this.setState('subscribed');
      logger.info(
        { topic, replayId },
        replayId === null ? 'subscribed from the newest event' : 'resubscribed after the stored replay id',
      );
    } catch (err) {
      this.fail(generation, err);
    }
  }

  private onCallback(generation: number, type: CallbackType, data: unknown, info?: unknown): void {
    if (generation !== this.generation) {
      if (type === 'end' || type === 'error') this.closeRetired(generation);
      return;
    }
    if (!this.confirmed && (type === 'event' || type === 'grpcKeepAlive')) {
      this.confirmed = true;
      this.emit('live');
    }
    switch (type) {
      case 'event':
        this.handedOver++;
        this.queue.push(data as RawPubSubEvent);
        this.drain(generation);
        return;
      case 'lastEvent':
        this.batchDone = true;
        this.drain(generation);
        return;
      case 'grpcKeepAlive':
        this.attempt = 0;
        this.emit('keepalive');
        this.keepPosition(generation, (info as { lastReplayId?: unknown } | undefined)?.lastReplayId);
        return;
      case 'error':
        if (isEventParseError(data)) {
          this.handedOver++;
          this.options.logger.error(
            { err: data, replayId: data.replayId },
            'a change event could not be decoded; skipped',
          );
          this.emit('rejected', data);
          return;
        }
        this.fail(generation, data, true);
        return;
      case 'end':
        this.fail(generation, new Error('the Pub/Sub stream ended'), true);
        return;
      case 'grpcStatus':
        return;
    }
  }

  /** Applies queued events in order; asks for the next batch once the current one is applied. */
  private drain(generation: number): void {
    this.draining = this.draining.then(async () => {
      while (this.queue.length > 0 && generation === this.generation) {
        const { handleBatch, maxEventsPerApply } = this.options;
        const events = handleBatch ? this.queue.slice(0, maxEventsPerApply ?? 25) : this.queue.slice(0, 1);
        try {
          if (handleBatch && events.length > 1) await handleBatch(events);
          else await this.options.handle(events[0]);
          this.queue.splice(0, events.length);
          this.storedPosition = events[events.length - 1].replayId;
          this.attempt = 0;
          this.databaseAnswered();
          for (const event of events) this.emit('applied', event);
        } catch (err) {
          this.queue = [];
          this.fail(generation, err);
          return;
        }
      }
      if (this.batchDone && this.queue.length === 0 && generation === this.generation && this.client) {
        this.batchDone = false;
        try {
          this.client.requestAdditionalEvents(this.options.topic, this.batchSize);
        } catch (err) {
          this.fail(generation, err);
        }
      }
    });
  }

  /**
   * Keeps the position a keepalive reported, so a stream that has applied no event yet (or none for a
   * while) resumes there after a restart or pause instead of at the newest event, which would skip every
   * change made meanwhile. It queues behind the events received before it and is stored only once they
   * are applied: the report may name a replay id past them. Still stored after stop() (which waits for
   * it), as the stream's events up to it are applied; not after a failure dropped queued events.
   *
   * The client hands over a response's events only after fetching their schema (once per client, so after
   * every reconnect), but a keepalive at once: a keepalive may overtake events the server sent before it,
   * and name their replay id. Its position is therefore kept only when every event the client announced
   * has been handed over; otherwise a later keepalive will be.
   */
  private keepPosition(generation: number, replayId: unknown): void {
    const { savePosition, logger } = this.options;
    if (!savePosition || typeof replayId !== 'number' || replayId === this.storedPosition) return;
    if (this.announced !== this.handedOver) {
      logger.debug(
        { replayId, decoding: this.announced - this.handedOver },
        'keepalive ahead of events still being decoded: its position is not stored',
      );
      return;
    }
    this.draining = this.draining.then(async () => {
      if (generation === this.brokenGeneration || this.queue.length > 0 || replayId === this.storedPosition) return;
      try {
        await savePosition(replayId);
        this.storedPosition = replayId;
      } catch (err) {
        if (this.isOutage(err)) logger.debug({ err, replayId }, 'replay position not stored: database unavailable');
        else
          logger.warn({ err, replayId }, 'could not store the replay position the server reported; the next one will');
      }
    });
  }

  private fail(generation: number, err: unknown, streamDead = false): void {
    if (generation !== this.generation || this.stateValue === 'stopped') return;
    this.brokenGeneration = generation;
    this.generation++;
    this.queue = [];
    // A stream that errored or ended is dead and its client can close; one we leave for a handler
    // error is still open and must keep its listeners until the server ends it.
    if (streamDead) this.closeClient();
    else this.retireClient();
    const failure = classifyPubSubError(err);
    this.lastError = failure.message;
    this.emit('failure', failure);
    void this.recover(failure, this.isOutage(err));
  }

  private isOutage(err: unknown): boolean {
    return this.options.isOutage?.(err) ?? false;
  }

  /** The database answered a call: ends an outage this subscriber logged. */
  private databaseAnswered(): void {
    if (this.outageSince === null) return;
    const downMs = Date.now() - this.outageSince;
    this.outageSince = null;
    this.options.logger.info(
      { topic: this.options.topic, downMs },
      'database available again: the Pub/Sub subscription resumes',
    );
  }

  private async recover(failure: PubSubFailure, outage: boolean): Promise<void> {
    const { logger } = this.options;
    await this.draining;
    if (this.stateValue === 'stopped') return;
    try {
      if (failure.kind === 'replay-expired') {
        logger.warn(
          { reason: failure.message },
          'stored replay id is past retention: reconciling, then subscribing from the newest event',
        );
        await this.options.onReplayExpired();
      }
      if (failure.kind === 'auth') await this.options.session.signIn();
    } catch (err) {
      logger.error({ err }, 'recovery step failed; will retry');
    }
    const delay = this.delayFor(failure);
    if (!outage) {
      logger.warn(
        { kind: failure.kind, reason: failure.message, retryInMs: delay },
        'Pub/Sub subscription interrupted',
      );
    } else if (this.outageSince === null) {
      this.outageSince = Date.now();
      logger.warn(
        { topic: this.options.topic, reason: failure.message },
        'database unavailable: the Pub/Sub subscription waits for it and resumes from the stored position',
      );
    } else {
      logger.debug({ reason: failure.message, retryInMs: delay }, 'Pub/Sub subscription still waits for the database');
    }
    this.setState('waiting');
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref?.();
  }

  private delayFor(failure: PubSubFailure): number {
    if (failure.kind === 'allocation-exhausted') return this.options.limitPauseMs ?? 15 * 60_000;
    if (failure.kind === 'replay-expired') return 0;
    const exp = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.attempt);
    this.attempt++;
    const base = failure.kind === 'topic-missing' ? Math.max(exp, this.backoff.maxMs) : exp;
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private closeClient(client = this.client): void {
    if (client === this.client) this.client = undefined;
    if (!client) return;
    try {
      client.close();
    } catch (err) {
      this.options.logger.debug({ err }, 'closing the Pub/Sub client failed');
    }
  }

  /**
   * The client's close() strips the listeners from a stream it does not cancel, so a later drop of that
   * stream would be an unhandled 'error' and crash the process. A client whose stream may still be open
   * is therefore retired instead: its events are ignored (they are not checkpointed, so they come again
   * to the next subscription), and it is closed once its stream ends.
   */
  private retireClient(): void {
    if (!this.client) return;
    this.retired.set(this.clientGeneration, this.client);
    this.client = undefined;
  }

  private closeRetired(generation: number): void {
    const client = this.retired.get(generation);
    if (!client) return;
    this.retired.delete(generation);
    this.closeClient(client);
  }
}
