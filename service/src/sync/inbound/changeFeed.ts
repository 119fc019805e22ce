import type { Logger } from 'pino';
import type { Database } from '../../store/types';
import { clearReplayId, getReplayId, saveReplayId } from '../../store/state/checkpoints';
import { ChangeEventError, decodeChangeEvent, type RawPubSubEvent } from '../../salesforce/pubsub/changeEvent';
import { ChangeSubscriber, type SubscriberOptions } from '../../salesforce/pubsub/subscriber';
import { changeEventTopic } from '../../salesforce/pubsub/topics';
import { applyChangeEvents, type ApplyResult, type DeliveredEvent } from './applyChange';
import type { OrgSyncSettings } from '../rules/context';
import { replayIdFromBytes, replayIdToBytes } from '../../salesforce/pubsub/replayId';
import { isDatabaseUnavailable } from '../../store/availability';

/** How the subscriber reaches the org's Pub/Sub API (the command channel's subscriber reaches it alike). */
export type PubSubAccess = Pick<SubscriberOptions, 'session' | 'pubSubEndpoint' | 'extraCaPem' | 'logger' | 'backoff'>;

export interface ChangeFeedOptions {
  db: Database;
  orgId: string;
  settings: OrgSyncSettings;
  /** The Salesforce package's namespace: it names the topic and the events' custom fields. */
  namespace: string;
  logger: Logger;
  pubSub: PubSubAccess;
  /** Events requested per flow-control round. */
  batchSize?: number;
  /** The mass-deletion guard held some of the deletes: the runtime pauses for an admin. */
  onHeld: () => Promise<void>;
  /**
   * Changes may have come in no event, the reconcile must find them (why, in words): the stored replay
   * position expired, or the stream starts without one after the initial sync.
   */
  onGap: (reason: string) => void;
  /**
   * Whether the org's initial sync is done. Then a subscription with no stored position is a gap: the
   * service stopped after the initial sync and before it stored a position (the first keepalive), so
   * what changed meanwhile is behind the newest event it starts from. Before it is done, the initial
   * sync itself reads every record.
   */
  initialSyncDone: () => boolean;
}

/**
 * One org's change events, from its Pub/Sub subscription into the directory: subscribed from the stored
 * replay position, decoded, applied in order and counted for the status.
 */
export class ChangeFeed {
  readonly topic: string;
  readonly subscriber: ChangeSubscriber;
  private applied = 0;
  private lastAt: string | null = null;
  private gap = false;

  constructor(private readonly options: ChangeFeedOptions) {
    const { db, orgId } = options;
    this.topic = changeEventTopic(options.namespace);
    this.subscriber = new ChangeSubscriber({
      ...options.pubSub,
      topic: this.topic,
      batchSize: options.batchSize,
      loadReplayId: async () => {
        const bytes = await getReplayId(db, orgId, this.topic);
        if (bytes) return replayIdFromBytes(bytes);
        if (options.initialSyncDone()) this.reconcileWhenLive();
        return null;
      },
      handle: (event) => this.apply([event]).then(() => undefined),
      handleBatch: (events) => this.apply(events).then(() => undefined),
      savePosition: (replayId) => saveReplayId(db, orgId, this.topic, replayIdToBytes(replayId)),
      isOutage: isDatabaseUnavailable,
      onReplayExpired: async () => {
        this.gap = true;
        options.onGap('replay id expired');
        await clearReplayId(db, orgId, this.topic);
      },
    });
  }

  /** Events applied since start. */
  get eventsApplied(): number {
    return this.applied;
  }

  /** When the last burst was applied; null before the first. */
  get lastEventAt(): string | null {
    return this.lastAt;
  }

  /**
   * The stream starts from the newest event with no stored position although the initial sync is done:
   * once the subscription is live (changes from then on come as events), the reconcile finds those made
   * before. Asked once per gap, however many attempts it takes to be live.
   */
  private reconcileWhenLive(): void {
    if (this.gap) return;
    this.gap = true;
    this.options.logger.info('no stored replay position after the initial sync: reconciling once subscribed');
    this.subscriber.once('live', () => this.options.onGap('no stored replay position after the initial sync'));
  }

  /** A gap (an expired replay position, none stored after the initial sync) no reconcile has closed yet. */
  get needsReconcile(): boolean {
    return this.gap;
  }

  /** A reconcile ran to its end: the gap is closed. */
  reconciled(): void {
    this.gap = false;
  }

  /**
   * Decodes and applies a burst of events in one transaction (applyChangeEvents), in order. An unreadable
   * event is recorded and skipped, never retried forever.
   */
  async apply(raws: RawPubSubEvent[]): Promise<Array<ApplyResult | null>> {
    const { db, settings, namespace, logger } = this.options;
    const delivered = raws.map((raw): DeliveredEvent => {
      try {
        return { event: decodeChangeEvent(raw, namespace), replayId: raw.replayId };
      } catch (err) {
        if (!(err instanceof ChangeEventError)) throw err;
        logger.error({ eventId: err.eventId, field: err.field, reason: err.message }, 'change event rejected');
        return { rejected: err.message, replayId: raw.replayId };
      }
    });
    const results = await applyChangeEvents(db, settings, this.topic, delivered);
    if (results.some((r) => r?.outcomes.some((o) => o.outcome === 'held'))) await this.options.onHeld();
    this.applied += raws.length;
    this.lastAt = new Date().toISOString();
    return results;
  }
}
