import pino from 'pino';
import {
  CommandRefusedError,
  runCommand,
  runCommandEvent,
  type CommandTarget,
} from '../../../src/runtime/commands/commandRunner';
import { fakeCommandTarget as target } from '../../support/commandTarget';
import type { CommandEvent } from '../../../src/salesforce/pubsub/commandEvent';
import { ReconcileUnavailableError } from '../../../src/sync/reconcile/reconcileScheduler';

const logger = pino({ level: 'silent' });

const refusal = async (t: CommandTarget, command: Parameters<typeof runCommand>[1]['command']) => {
  try {
    await runCommand(t, { command }, logger);
  } catch (err) {
    if (err instanceof CommandRefusedError) return err.message;
    throw err;
  }
  return null;
};

describe('runCommand', () => {
  it('refuses a reconcile the scheduler cannot run now, saying why', async () => {
    const runReconcileNow = jest.fn(async () => {
      throw new ReconcileUnavailableError('another instance is reconciling this org');
    });
    expect(await refusal(target({}, { runReconcileNow }), 'reconcile')).toBe(
      'reconcile refused: another instance is reconciling this org',
    );
  });

  it('discards held deletes only when some are held', async () => {
    const discardHeldDeletes = jest.fn(async () => 7);
    expect(await refusal(target({}, { discardHeldDeletes }), 'discardHeldDeletes')).toBe(
      'discardHeldDeletes refused: no deletes are held',
    );
    const holding = target(
      { paused: true, held: { deletes: 7, reason: '7 of 20 linked contacts (35 %) exceed the 10 % threshold' } },
      { discardHeldDeletes },
    );
    await expect(runCommand(holding, { command: 'discardHeldDeletes' }, logger)).resolves.toEqual({
      command: 'discardHeldDeletes',
      summary: '7 held delete(s) discarded; the contacts stay in the directory',
      result: { discarded: 7 },
    });
    expect(discardHeldDeletes).toHaveBeenCalledTimes(1);
  });

  it('leaves subscriber commands to the instance that runs the subscribers', async () => {
    const follower = target({ role: 'follower' });
    for (const command of ['pause', 'resume', 'startInitialSync', 'delete', 'deleteAndRevert'] as const) {
      expect(await refusal(follower, command)).toMatch(
        new RegExp(`^${command} refused: another service instance runs`),
      );
    }
    expect(await refusal(follower, 'configurationChanged')).toBeNull();
    expect(await refusal(follower, 'systemsCheck')).toBeNull();
    expect(follower.calls).toEqual(['reloadSettings']);
  });

  it('refuses a second initial sync while one runs, and sync work without a sync record', async () => {
    expect(await refusal(target({ initialSync: { state: 'running' } }), 'startInitialSync')).toBe(
      'startInitialSync refused: an initial sync is already running',
    );
    const unconfigured = target({ sync: null });
    expect(await refusal(unconfigured, 'startInitialSync')).toBe(
      'startInitialSync refused: the org has no Switchboard sync configured',
    );
    expect(await refusal(unconfigured, 'reconcile')).toBe(
      'reconcile refused: the org has no Switchboard sync configured',
    );
    expect(unconfigured.calls).toEqual([]);
  });

  it('runs reconcile through the target when it has one', async () => {
    const runReconcileNow = jest.fn(async () => ({ checked: 3 }));
    await expect(runCommand(target({}, { runReconcileNow }), { command: 'reconcile' }, logger)).resolves.toEqual({
      command: 'reconcile',
      summary: 'reconcile run',
      result: { checked: 3 },
    });
    expect(runReconcileNow).toHaveBeenCalledTimes(1);
  });
});

describe('runCommandEvent', () => {
  const event = (command: CommandEvent['command'], syncId: string | null): CommandEvent => ({
    eventId: 'e1',
    replayId: 1,
    command,
    syncId,
    recordIds: ['003000000000001AAA'],
    requestedBy: null,
    requestId: null,
  });

  it("maps the package's command names onto the same runner", async () => {
    const t = target();
    expect(await runCommandEvent(t, event('SyncRecords', 'a0A000000000001'), logger)).toBe('synced 1 record(s)');
    expect(await runCommandEvent(t, event('DeleteAndRevert', null), logger)).toMatch(/^sync deleted and reverted/);
    expect(t.calls).toEqual(['syncRecords 003000000000001AAA', 'forget true']);
  });

  it("ignores another sync's command and reports a refusal as the outcome", async () => {
    const t = target({ paused: true });
    expect(await runCommandEvent(t, event('Pause', 'a0A000000000009AAA'), logger)).toMatch(
      /^ignored: for sync a0A000000000009AAA/,
    );
    expect(await runCommandEvent(t, event('Pause', null), logger)).toBe(
      'refused: pause refused: the sync is already paused',
    );
    expect(t.calls).toEqual([]);
  });
});
