import type { Logger } from 'pino';
import type { Database } from '../../store/types';
import { clearReplayId, getReplayId, saveReplayId } from '../../store/state/checkpoints';
import { ChangeEventError, decodeChangeEvent, type RawPubSubEvent } from '../../salesforce/pubsub/changeEvent';
import { ChangeSubscriber, type SubscriberOptions } from '../../salesforce/pubsub/subscriber';
import { changeEventTopic } from '../../salesforce/pubsub/topics';
import { applyChangeEvents, type ApplyResult, type DeliveredEvent } from './applyChange';
import type { OrgSyncSettings } from '../rules/context';
import { replayIdFromBytes, replayIdToBytes } from '../../salesforce/pubsub/replayId';

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
  /** The stored replay position expired: the changes of the gap came in no event, the reconcile must find them. */
  onGap: () => void;
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
        return bytes ? replayIdFromBytes(bytes) : null;
      },
      handle: (event) => this.apply([event]).then(() => undefined),
      handleBatch: (events) => this.apply(events).then(() => undefined),
      savePosition: (replayId) => saveReplayId(db, orgId, this.topic, replayIdToBytes(replayId)),
      onReplayExpired: async () => {
        this.gap = true;
        options.onGap();
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

  /** The replay position expired and no reconcile has run since. */
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
