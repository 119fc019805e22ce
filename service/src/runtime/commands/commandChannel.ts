import type { Logger } from 'pino';
import type { Database } from '../../store/types';
import { ChangeSubscriber } from '../../salesforce/pubsub/subscriber';
import type { OrgSession } from '../../salesforce/session';
import type { RawPubSubEvent } from '../../salesforce/pubsub/changeEvent';
import { namespaced } from '../../salesforce/pubsub/topics';
import { clearReplayId, getReplayId, saveReplayId } from '../../store/state/checkpoints';
import { replayIdFromBytes, replayIdToBytes } from '../../salesforce/pubsub/replayId';
import type { CommandDesk } from './commandDesk';
import { isDatabaseUnavailable } from '../../store/availability';

export interface CommandChannelOptions {
  db: Database;
  orgId: string;
  session: OrgSession;
  namespace: string;
  pubSubEndpoint: string;
  extraCaPem?: string;
  logger: Logger;
  /** Carries out and audits each command (commandDesk.ts). */
  desk: Pick<CommandDesk, 'fromEvent'>;
  backoff?: { initialMs: number; maxMs: number };
}

/**
 * The package's command events (Flow actions, LWC buttons) for one org: subscribed from the stored replay
 * id, each handed to the command desk, which carries it out once and records it with the new replay id.
 */
export class CommandChannel {
  readonly subscriber: ChangeSubscriber;
  readonly topic: string;
  private lastOutcome: string | null = null;

  constructor(private readonly options: CommandChannelOptions) {
    const { db, orgId } = options;
    this.topic = `/event/${namespaced(options.namespace, 'Switchboard_Command__e')}`;
    this.subscriber = new ChangeSubscriber({
      session: options.session,
      topic: this.topic,
      pubSubEndpoint: options.pubSubEndpoint,
      extraCaPem: options.extraCaPem,
      logger: options.logger.child({ channel: 'commands' }),
      batchSize: 10,
      backoff: options.backoff,
      loadReplayId: async () => {
        const bytes = await getReplayId(db, orgId, this.topic);
        return bytes ? replayIdFromBytes(bytes) : null;
      },
      handle: (event) => this.handle(event).then(() => undefined),
      // A command sent while the service was down is carried out when it comes back, as after any handled one.
      savePosition: (replayId) => saveReplayId(db, orgId, this.topic, replayIdToBytes(replayId)),
      isOutage: isDatabaseUnavailable,
      // A command older than retention is stale: start from the newest one.
      onReplayExpired: () => clearReplayId(db, orgId, this.topic),
    });
  }

  get outcome(): string | null {
    return this.lastOutcome;
  }

  async handle(raw: RawPubSubEvent): Promise<string> {
    const { orgId, logger } = this.options;
    const outcome = await this.options.desk.fromEvent(raw, (tx) =>
      saveReplayId(tx, orgId, this.topic, replayIdToBytes(raw.replayId)),
    );
    this.lastOutcome = outcome;
    logger.info({ eventId: raw.id, outcome }, 'command handled');
    return outcome;
  }
}
