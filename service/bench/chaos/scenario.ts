import type { DatabaseServer } from './database';
import { settle, type Tally } from './compare';
import { World, type Rand, type WorldOptions } from './world';
import { rng } from '../../emulator/org/seed';

/** What every trial shares: sizes, the seed, the database server, where to put files. */
export interface ChaosContext {
  server: DatabaseServer;
  dir: string;
  /** Contacts each world's org starts with. */
  records: number;
  /** Trials per kill -9 scenario. */
  trials: number;
  seed: number;
  /** How long a trial waits for both sides to settle before it counts what is wrong. */
  settleDeadlineMs: number;
  /** Numbers each world's data directory. */
  worlds: number;
}

/** One scenario's figures: the comparison summed over its trials, and what else it measured. */
export interface ScenarioResult {
  name: string;
  trials: number;
  tally: Tally;
  /** Service exits nobody asked for. */
  crashes: number;
  /** Trials that had not settled by the deadline (their wrong records are in the tally). */
  unsettled: number;
  settleMsMax: number;
  /** Figures of this scenario only (e.g. 5xx answers of the bad-input corpus); each is correct at 0 when `correctAtZero`. */
  extra: Array<{ figure: string; value: number; correctAtZero: boolean }>;
  /** Why the scenario did not run here. */
  skipped?: string;
}

export function newResult(name: string): ScenarioResult {
  return {
    name,
    trials: 0,
    tally: { lost: 0, doubled: 0, unexpected: 0, differing: 0, changesLost: 0, writesInFlight: 0, examples: [] },
    crashes: 0,
    unsettled: 0,
    settleMsMax: 0,
    extra: [],
  };
}

/** A scenario's own PRNG: the run's seed and the scenario's name, so adding a scenario changes no other. */
export function scenarioRandom(ctx: ChaosContext, name: string): Rand {
  let h = ctx.seed >>> 0;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return rng(h);
}

/** Waits for both sides to settle and adds the comparison to the scenario's figures. */
export async function settleInto(result: ScenarioResult, world: World, ctx: ChaosContext): Promise<void> {
  const { tally, ms, settled } = await settle(world, ctx.settleDeadlineMs);
  result.trials++;
  result.settleMsMax = Math.max(result.settleMsMax, ms);
  if (!settled) result.unsettled++;
  const sum = result.tally;
  sum.lost += tally.lost;
  sum.doubled += tally.doubled;
  sum.unexpected += tally.unexpected;
  sum.differing += tally.differing;
  sum.changesLost += tally.changesLost;
  sum.writesInFlight += tally.writesInFlight;
  for (const example of tally.examples) if (sum.examples.length < 8) sum.examples.push(example);
}

/** A world for the body to run in, closed afterwards whatever happens; its service's crashes are counted. */
export async function inWorld(
  ctx: ChaosContext,
  result: ScenarioResult,
  options: Partial<WorldOptions>,
  body: (world: World) => Promise<void>,
): Promise<void> {
  const world = await World.create(
    {
      server: ctx.server,
      dir: ctx.dir,
      records: ctx.records,
      initialSyncPageSize: Math.max(25, Math.ceil(ctx.records / 20)),
      writebackBatchSize: 10,
      ...options,
    },
    ctx.worlds++,
  );
  try {
    await body(world);
  } finally {
    result.crashes += world.service.crashes.length;
    await world.close();
  }
}

/** Starts the service and waits until the initial sync has settled on both sides (not counted as a trial). */
export async function startSynced(world: World, ctx: ChaosContext): Promise<void> {
  await world.service.start();
  const { settled, tally } = await settle(world, ctx.settleDeadlineMs);
  if (!settled) throw new Error(`the initial sync did not settle: ${tally.examples.join('; ')}`);
}
