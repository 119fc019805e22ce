import { ApiBudget, type ApiUsage } from '../../../src/sync/outbound/apiBudget';

/** A budget over a fake org: `seen` is what the last response reported, `org` what GET /limits answers. */
function fixture(options: { seen?: ApiUsage; org?: ApiUsage; refreshMs?: number } = {}) {
  const state = {
    seen: options.seen,
    org: options.org ?? { used: 0, limit: 1000 },
    fetches: 0,
    now: 0,
    changes: [] as Array<{ paused: boolean; usage: ApiUsage }>,
  };
  const budget = new ApiBudget({
    observed: () => state.seen,
    fetch: async () => {
      state.fetches++;
      state.seen = state.org;
      return state.org;
    },
    onChange: (paused, usage) => {
      state.changes.push({ paused, usage });
    },
    refreshMs: options.refreshMs ?? 60_000,
    now: () => state.now,
  });
  return { budget, state };
}

describe('ApiBudget', () => {
  it('asks the org once at start when no response has reported usage yet', async () => {
    const { budget, state } = fixture({ org: { used: 100, limit: 1000 } });
    expect(await budget.allowsWrites()).toBe(true);
    expect(await budget.allowsWrites()).toBe(true);
    expect(state.fetches).toBe(1);
    expect(budget.status()).toEqual({
      used: 100,
      limit: 1000,
      percent: 10,
      paused: false,
      pauseAtPercent: 90,
      resumeBelowPercent: 75,
    });
  });

  it('uses what responses report without asking when usage is known', async () => {
    const { budget, state } = fixture({ seen: { used: 500, limit: 1000 } });
    expect(await budget.allowsWrites()).toBe(true);
    expect(state.fetches).toBe(0);
    expect(budget.status().percent).toBe(50);
  });

  it('pauses at 90 % and resumes only below 75 %, reporting each change once', async () => {
    const { budget, state } = fixture({ seen: { used: 899, limit: 1000 } });
    expect(await budget.afterCall()).toBe(true);
    state.seen = { used: 900, limit: 1000 };
    expect(await budget.afterCall()).toBe(false);
    expect(budget.status()).toMatchObject({ paused: true, percent: 90 });
    // Between the thresholds it stays paused: no flapping at the edge.
    state.seen = { used: 800, limit: 1000 };
    expect(await budget.allowsWrites()).toBe(false);
    state.seen = { used: 750, limit: 1000 };
    expect(await budget.allowsWrites()).toBe(false);
    state.seen = { used: 749, limit: 1000 };
    expect(await budget.allowsWrites()).toBe(true);
    expect(state.changes).toEqual([
      { paused: true, usage: { used: 900, limit: 1000 } },
      { paused: false, usage: { used: 749, limit: 1000 } },
    ]);
  });

  it('while paused, asks the org again only every refreshMs (nothing else may report usage)', async () => {
    const { budget, state } = fixture({
      seen: { used: 950, limit: 1000 },
      org: { used: 950, limit: 1000 },
      refreshMs: 60_000,
    });
    expect(await budget.allowsWrites()).toBe(false);
    expect(state.fetches).toBe(0);
    state.now = 30_000;
    state.org = { used: 100, limit: 1000 };
    expect(await budget.allowsWrites()).toBe(false);
    expect(state.fetches).toBe(0);
    state.now = 60_000;
    expect(await budget.allowsWrites()).toBe(true);
    expect(state.fetches).toBe(1);
  });

  it('keeps writing when the org will not tell its usage, and learns it from the next response', async () => {
    const state = { seen: undefined as ApiUsage | undefined };
    const budget = new ApiBudget({
      observed: () => state.seen,
      fetch: async () => {
        throw new Error('INSUFFICIENT_ACCESS');
      },
      onChange: () => undefined,
    });
    expect(await budget.allowsWrites()).toBe(true);
    expect(budget.status()).toMatchObject({ used: null, percent: null, paused: false });
    state.seen = { used: 95, limit: 100 };
    expect(await budget.afterCall()).toBe(false);
  });

  it('refuses thresholds that cannot work', () => {
    const make = (pauseAtPercent: number, resumeBelowPercent: number) =>
      new ApiBudget({
        observed: () => undefined,
        fetch: async () => ({ used: 0, limit: 1 }),
        onChange: () => undefined,
        pauseAtPercent,
        resumeBelowPercent,
      });
    expect(() => make(75, 90)).toThrow(/resumeBelowPercent \(90\) must be above 0 and at most pauseAtPercent \(75\)/);
    expect(() => make(120, 75)).toThrow(/at most 100/);
  });
});
