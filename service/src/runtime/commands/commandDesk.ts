import type { Logger } from 'pino';
import type { Database, Queryable } from '../../store/types';
import { recordAudit, type AuditOrigin } from '../../store/audit';
import { isEventProcessed, markEventProcessed } from '../../store/state/processedEvents';
import type { RawPubSubEvent } from '../../salesforce/pubsub/changeEvent';
import { CommandEventError, decodeCommandEvent } from '../../salesforce/pubsub/commandEvent';
import {
  CommandRefusedError,
  runCommand,
  runCommandEvent,
  type CommandOutcome,
  type CommandRequest,
  type CommandTarget,
} from './commandRunner';

/** A command as the service's API takes it (POST /orgs/:orgId/commands), validated. */
export type ApiCommand = Pick<CommandRequest, 'command' | 'recordIds'>;

export interface CommandDeskOptions {
  db: Database;
  orgId: string;
  /** The package's namespace the command event's fields carry. */
  namespace: string;
  target: CommandTarget;
  logger: Logger;
}

/**
 * Where every command for one org arrives, from the service's API (the phone side) or the package's
 * command event (Flow actions, LWC buttons), and the one place a command is audited, whatever its source.
 * Each arrival is one audit_log entry with action 'command':
 * - origin: 'telephony' for the API, 'salesforce' for an event;
 * - rule: what came of it, as one line: the outcome's summary, or why it did not run ('refused: …',
 *   'rejected: …' for an unreadable event, 'ignored: …' for another sync's, 'already carried out');
 * - after: what arrived (the API's validated body, the event's payload as published).
 * A request the API's validation turns away (400) never reaches the desk: it is not a command.
 */
export class CommandDesk {
  constructor(private readonly options: CommandDeskOptions) {}

  /**
   * A command from the service's API: carried out and audited. A command the connection's state does not
   * allow is audited as refused, then thrown (CommandRefusedError: the API answers 409 saying why).
   */
  async fromApi(command: ApiCommand): Promise<CommandOutcome> {
    const { db, target, logger } = this.options;
    try {
      const outcome = await runCommand(target, { ...command, requestedBy: 'api' }, logger.child({ via: 'api' }));
      await this.audit(db, 'telephony', outcome.summary, command);
      return outcome;
    } catch (err) {
      if (err instanceof CommandRefusedError) await this.audit(db, 'telephony', `refused: ${err.message}`, command);
      throw err;
    }
  }

  /**
   * A command event from the package, carried out once: its event id is checked before it runs, and
   * recorded after, with the audit entry and what `settle` writes (the channel's replay id) in one
   * transaction, so a redelivered command whose effect already happened is skipped. Returns the outcome
   * line (what the org's status shows as the last command).
   */
  async fromEvent(raw: RawPubSubEvent, settle: (tx: Queryable) => Promise<void>): Promise<string> {
    const { db, orgId, target, namespace, logger } = this.options;
    let outcome: string;
    if (await isEventProcessed(db, orgId, raw.id)) {
      outcome = 'already carried out';
    } else {
      try {
        outcome = await runCommandEvent(target, decodeCommandEvent(raw, namespace), logger);
      } catch (err) {
        if (!(err instanceof CommandEventError)) throw err;
        outcome = `rejected: ${err.message}`;
      }
    }
    await db.transaction(async (tx) => {
      await markEventProcessed(tx, orgId, raw.id);
      await settle(tx);
      await this.audit(tx, 'salesforce', outcome, raw.payload);
    });
    return outcome;
  }

  /** The one audit entry of a command (see the class comment for its fields). */
  private async audit(q: Queryable, origin: AuditOrigin, rule: string, arrived: unknown): Promise<void> {
    await recordAudit(q, {
      orgId: this.options.orgId,
      contactId: null,
      recordId: null,
      origin,
      action: 'command',
      rule,
      before: null,
      after: arrived,
    });
  }
}
