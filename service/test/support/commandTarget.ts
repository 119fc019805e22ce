import type { CommandTarget } from '../../src/runtime/commands/commandRunner';

type State = ReturnType<CommandTarget['status']>;

/**
 * A command target (what OrgRuntime is to the commands) that records the calls it gets, in a state the
 * test chooses: a leader with a configured, active sync whose initial sync is done, by default.
 */
export function fakeCommandTarget(
  state: Partial<State> = {},
  extra: Partial<CommandTarget> = {},
): CommandTarget & { calls: string[] } {
  const calls: string[] = [];
  const status: State = {
    paused: false,
    role: 'leader',
    initialSync: { state: 'done' },
    sync: { id: 'a0A000000000001AAA', name: 'Default sync', status: 'Active' },
    held: null,
    ...state,
  };
  const record = (name: string) => async () => {
    calls.push(name);
  };
  return {
    calls,
    currentSyncId: () => status.sync?.id ?? null,
    status: () => status,
    reloadSettings: record('reloadSettings'),
    pause: record('pause'),
    resume: record('resume'),
    restartInitialSync: record('restartInitialSync'),
    syncRecords: async (ids) => {
      calls.push(`syncRecords ${ids.join(',')}`);
      return { applied: ids.length, retried: 0, skipped: [] };
    },
    forget: async (revert) => {
      calls.push(`forget ${revert}`);
      return { linksRemoved: 0, contactsRemoved: 0 };
    },
    systemsCheck: async () => ({ ok: true, checks: [] }),
    ...extra,
  };
}
