import type { Logger } from 'pino';
import type { Database } from '../../store/types';
import { ChangeSubscriber } from '../../salesforce/pubsub/subscriber';
import type { OrgSession } from '../../salesforce/session';
import type { RawPubSubEvent } from '../../salesforce/pubsub/changeEvent';
import { CommandEventError, decodeCommandEvent } from '../../salesforce/pubsub/commandEvent';
import { namespaced } from '../../salesforce/pubsub/topics';
import { clearReplayId, getReplayId, saveReplayId } from '../../store/state/checkpoints';
import { isEventProcessed, markEventProcessed } from '../../store/state/processedEvents';
import { recordAudit } from '../../store/audit';
import { replayIdFromBytes, replayIdToBytes } from '../../salesforce/pubsub/replayId';
import { runCommandEvent, type CommandTarget } from './commandRunner';

export interface CommandChannelOptions {
  db: Database;
  orgId: string;
  session: OrgSession;
  namespace: string;
  pubSubEndpoint: string;
  extraCaPem?: string;
  logger: Logger;
  target: CommandTarget;
  backoff?: { initialMs: number; maxMs: number };
}

/**
 * The package's command events (Flow actions, LWC buttons) for one org. A command is carried out once: its
 * event id is checked before and recorded (with the replay id) after it ran, so a redelivered command
 * whose effect already happened is skipped.
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
      // A command older than retention is stale: start from the newest one.
      onReplayExpired: () => clearReplayId(db, orgId, this.topic),
    });
  }

  get outcome(): string | null {
    return this.lastOutcome;
  }

  async handle(raw: RawPubSubEvent): Promise<string> {
    const { db, orgId, logger } = this.options;
    let outcome: string;
    if (await isEventProcessed(db, orgId, raw.id)) {
      outcome = 'already carried out';
    } else {
      try {
        outcome = await runCommandEvent(this.options.target, decodeCommandEvent(raw, this.options.namespace), logger);
      } catch (err) {
        if (!(err instanceof CommandEventError)) throw err;
        outcome = `rejected: ${err.message}`;
      }
    }
    await db.transaction(async (tx) => {
      await markEventProcessed(tx, orgId, raw.id);
      await saveReplayId(tx, orgId, this.topic, replayIdToBytes(raw.replayId));
      await recordAudit(tx, { orgId, contactId: null, recordId: null, origin: 'salesforce', action: 'command', rule: outcome, before: null, after: raw.payload });
    });
    this.lastOutcome = outcome;
    logger.info({ eventId: raw.id, outcome }, 'command handled');
    return outcome;
  }
}
