import type { Logger } from 'pino';
import type { CommandEvent } from '../salesforce/commandEvent';
import type { ForgetResult } from './forgetSync';

/** What a command can do to one org connection (implemented by OrgRuntime). */
export interface CommandTarget {
  currentSyncId(): string | null;
  reloadSettings(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  restartInitialSync(): Promise<void>;
  syncRecords(recordIds: string[]): Promise<{ applied: number; skipped: Array<{ recordId: string; reason: string }> }>;
  forget(revert: boolean): Promise<ForgetResult>;
  systemsCheck(): Promise<SystemsCheckResult>;
}

export interface SystemsCheckResult {
  ok: boolean;
  checks: Array<{ name: string; ok: boolean; detail: string }>;
}

/**
 * Runs one command from the package (Flow action, LWC button) and says what it did. A command for another
 * sync than the one this connection runs is ignored, so two connections to one org never both act.
 */
export async function runCommand(target: CommandTarget, command: CommandEvent, logger: Logger): Promise<string> {
  const ours = target.currentSyncId();
  if (command.syncId && ours && command.syncId.slice(0, 15) !== ours.slice(0, 15)) {
    return `ignored: for sync ${command.syncId}, this connection runs ${ours}`;
  }
  logger.info({ command: command.command, syncId: command.syncId, requestId: command.requestId, requestedBy: command.requestedBy }, 'command received');
  switch (command.command) {
    case 'ConfigurationChanged':
      await target.reloadSettings();
      return 'settings reloaded';
    case 'Pause':
      await target.pause();
      return 'paused: changes are kept in Salesforce and applied on resume';
    case 'Resume':
      await target.resume();
      return 'resumed from the stored position';
    case 'StartInitialSync':
      await target.restartInitialSync();
      return 'initial sync started';
    case 'SyncRecords': {
      const { applied, skipped } = await target.syncRecords(command.recordIds);
      return `synced ${applied} record(s)${skipped.length ? `; skipped ${skipped.map((s) => `${s.recordId} (${s.reason})`).join(', ')}` : ''}`;
    }
    case 'Delete': {
      const result = await target.forget(false);
      return `sync deleted: ${result.linksRemoved} links forgotten, contacts kept on both sides`;
    }
    case 'DeleteAndRevert': {
      const result = await target.forget(true);
      return `sync deleted and reverted: ${result.contactsRemoved} Salesforce-born contacts removed from the directory`;
    }
    case 'SystemsCheck': {
      const result = await target.systemsCheck();
      return `systems check ${result.ok ? 'passed' : 'found problems'}: ${result.checks.map((c) => `${c.name} ${c.ok ? 'ok' : `FAILED (${c.detail})`}`).join('; ')}`;
    }
  }
}
