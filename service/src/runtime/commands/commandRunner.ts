import type { Logger } from 'pino';
import type { CommandEvent, CommandName as EventCommandName } from '../../salesforce/pubsub/commandEvent';
import type { ForgetResult } from '../../store/state/forgetSync';
import type { OrgStatus } from '../orgStatus';
import { ReconcileUnavailableError } from '../../sync/reconcile/reconcileScheduler';

/** What a command can do to one org connection (implemented by OrgRuntime). */
export interface CommandTarget {
  currentSyncId(): string | null;
  /** The state a command is checked against (paused, initial sync, election role, sync configured). */
  status(): Pick<OrgStatus, 'paused' | 'role' | 'sync' | 'held'> & {
    initialSync: Pick<OrgStatus['initialSync'], 'state'>;
  };
  reloadSettings(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  restartInitialSync(): Promise<void>;
  syncRecords(
    recordIds: string[],
  ): Promise<{ applied: number; retried: number; skipped: Array<{ recordId: string; reason: string }> }>;
  forget(revert: boolean): Promise<ForgetResult>;
  systemsCheck(): Promise<SystemsCheckResult>;
  /** The scheduled reconcile, run at once (absent until the reconcile is wired in). */
  runReconcileNow?(): Promise<unknown>;
  /** Drops the deletes the mass-deletion guard holds, keeping the contacts (resume applies them instead). */
  discardHeldDeletes?(): Promise<number>;
}

export interface SystemsCheckResult {
  ok: boolean;
  checks: Array<{ name: string; ok: boolean; detail: string }>;
  /** Counts found on the way (contacts, leads, users, API requests used…), by name. */
  figures?: Record<string, number>;
}

/** The commands, as the service's API names them (the package's event uses the same words in PascalCase). */
export const COMMAND_NAMES = [
  'startInitialSync',
  'pause',
  'resume',
  'delete',
  'deleteAndRevert',
  'syncRecords',
  'systemsCheck',
  'configurationChanged',
  'reconcile',
  'discardHeldDeletes',
] as const;
export type Command = (typeof COMMAND_NAMES)[number];

export interface CommandRequest {
  command: Command;
  recordIds?: string[];
  /** Who asked, for the log: a Salesforce user id, or 'api'. */
  requestedBy?: string | null;
  requestId?: string | null;
}

export interface CommandOutcome {
  command: Command;
  /** One line saying what happened (the event path reports it back as the command's outcome). */
  summary: string;
  /** The command's own result, when it has one (records synced, links forgotten, checks run). */
  result?: unknown;
}

/** The command cannot run in the connection's current state (already paused, another instance leads…). */
export class CommandRefusedError extends Error {
  constructor(
    readonly command: Command,
    reason: string,
  ) {
    super(`${command} refused: ${reason}`);
    this.name = 'CommandRefusedError';
  }
}

/** Commands that act on the subscribers, which only the elected instance runs. */
const LEADER_ONLY: ReadonlySet<Command> = new Set([
  'startInitialSync',
  'pause',
  'resume',
  'delete',
  'deleteAndRevert',
  'discardHeldDeletes',
]);
/** Commands that need a sync record in the org and a running sync. */
const NEEDS_ACTIVE_SYNC: ReadonlySet<Command> = new Set(['startInitialSync', 'syncRecords', 'reconcile']);

function refusal(target: CommandTarget, command: Command): string | null {
  const state = target.status();
  if (LEADER_ONLY.has(command) && state.role !== 'leader') {
    return "another service instance runs this org's subscribers; send the command from Salesforce or to that instance";
  }
  if (NEEDS_ACTIVE_SYNC.has(command)) {
    if (!state.sync) return 'the org has no Switchboard sync configured';
    if (state.paused) return 'the sync is paused; resume it first';
  }
  if (command === 'pause' && state.paused) return 'the sync is already paused';
  if (command === 'resume' && !state.paused) return 'the sync is not paused';
  if (command === 'startInitialSync' && state.initialSync.state === 'running')
    return 'an initial sync is already running';
  if (command === 'discardHeldDeletes' && !state.held) return 'no deletes are held';
  return null;
}

/** Runs one command, from the package's command event or the service's API: both paths share this. */
export async function runCommand(
  target: CommandTarget,
  request: CommandRequest,
  logger: Logger,
): Promise<CommandOutcome> {
  const { command } = request;
  const refused = refusal(target, command);
  if (refused) throw new CommandRefusedError(command, refused);
  logger.info({ command, requestId: request.requestId, requestedBy: request.requestedBy }, 'command received');
  switch (command) {
    case 'configurationChanged':
      await target.reloadSettings();
      return { command, summary: 'settings reloaded' };
    case 'pause':
      await target.pause();
      return { command, summary: 'paused: changes are kept in Salesforce and applied on resume' };
    case 'resume':
      await target.resume();
      return { command, summary: 'resumed from the stored position' };
    case 'startInitialSync':
      await target.restartInitialSync();
      return { command, summary: 'initial sync started' };
    case 'syncRecords': {
      const result = await target.syncRecords(request.recordIds ?? []);
      const { applied, retried, skipped } = result;
      const summary = `synced ${applied} record(s)${retried ? `; ${retried} write-back(s) to them retried now` : ''}${skipped.length ? `; skipped ${skipped.map((s) => `${s.recordId} (${s.reason})`).join(', ')}` : ''}`;
      return { command, summary, result };
    }
    case 'delete': {
      const result = await target.forget(false);
      return {
        command,
        summary: `sync deleted: ${result.linksRemoved} links forgotten, contacts kept on both sides`,
        result,
      };
    }
    case 'deleteAndRevert': {
      const result = await target.forget(true);
      return {
        command,
        summary: `sync deleted and reverted: ${result.contactsRemoved} Salesforce-born contacts removed from the directory`,
        result,
      };
    }
    case 'systemsCheck': {
      const result = await target.systemsCheck();
      const checks = result.checks.map((c) => `${c.name} ${c.ok ? 'ok' : `FAILED (${c.detail})`}`).join('; ');
      return { command, summary: `systems check ${result.ok ? 'passed' : 'found problems'}: ${checks}`, result };
    }
    case 'reconcile': {
      if (!target.runReconcileNow) throw new CommandRefusedError(command, 'this service version has no reconcile');
      try {
        const result = await target.runReconcileNow();
        return { command, summary: 'reconcile run', result };
      } catch (err) {
        if (err instanceof ReconcileUnavailableError) throw new CommandRefusedError(command, err.message);
        throw err;
      }
    }
    case 'discardHeldDeletes': {
      if (!target.discardHeldDeletes)
        throw new CommandRefusedError(command, 'this service version cannot hold deletes');
      const discarded = await target.discardHeldDeletes();
      return {
        command,
        summary: `${discarded} held delete(s) discarded; the contacts stay in the directory`,
        result: { discarded },
      };
    }
  }
}

/** The package's PascalCase command name as the API's word. */
function commandOf(name: EventCommandName): Command {
  return `${name.charAt(0).toLowerCase()}${name.slice(1)}` as Command;
}

/**
 * Runs a command event from the package (Flow action, LWC button) and says what it did. A command for
 * another sync than the one this connection runs is ignored, so two connections to one org never both act.
 */
export async function runCommandEvent(target: CommandTarget, event: CommandEvent, logger: Logger): Promise<string> {
  const ours = target.currentSyncId();
  if (event.syncId && ours && event.syncId.slice(0, 15) !== ours.slice(0, 15)) {
    return `ignored: for sync ${event.syncId}, this connection runs ${ours}`;
  }
  try {
    const outcome = await runCommand(
      target,
      {
        command: commandOf(event.command),
        recordIds: event.recordIds,
        requestedBy: event.requestedBy,
        requestId: event.requestId,
      },
      logger,
    );
    return outcome.summary;
  } catch (err) {
    if (err instanceof CommandRefusedError) return `refused: ${err.message}`;
    throw err;
  }
}
