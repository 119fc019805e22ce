/**
 * kill -9 at seeded moments: during the initial sync, during the apply of a stream of Salesforce edits,
 * and during the write-back of phone-side creates and edits. After each kill the service starts again on
 * the same database and both sides must settle with every change applied exactly once.
 */
import { countContacts } from '../../src/directory/contacts';
import {
  inWorld,
  newResult,
  scenarioRandom,
  settleInto,
  startSynced,
  type ChaosContext,
  type ScenarioResult,
} from './scenario';
import { killAfterOrgWrites, salesforceEdits, sleep, split, telephonyWrites, until } from './streams';

export async function killDuringInitialSync(ctx: ChaosContext): Promise<ScenarioResult> {
  const result = newResult('kill -9 during initial sync');
  const r = scenarioRandom(ctx, result.name);
  for (let trial = 0; trial < ctx.trials; trial++) {
    // Each trial needs a database that never finished an initial sync: a world of its own.
    await inWorld(ctx, result, {}, async (world) => {
      const fraction = 0.05 + 0.9 * r();
      const { salesforce } = split(world, r, 10);
      const starting = world.service.start().catch(() => undefined);
      // The initial sync runs once the service serves, page by page: the kill comes once the directory
      // holds the seeded share of the org (or the process has gone on its own, which counts as a crash).
      await until(
        async () =>
          world.service.crashes.length > 0 ||
          (await countContacts(world.db).catch(() => 0)) >= Math.max(1, fraction * ctx.records),
        180_000,
      );
      // Edits made in the org while the initial sync runs, then the crash, then more while it is down.
      await salesforceEdits(world, salesforce.slice(0, 5), `init${trial}`, 0);
      await world.service.kill9();
      await starting;
      await salesforceEdits(world, salesforce.slice(5), `init${trial}b`, 0);
      await world.service.start();
      await settleInto(result, world, ctx);
    });
  }
  return result;
}

export async function killDuringApply(ctx: ChaosContext): Promise<ScenarioResult> {
  const result = newResult('kill -9 during inbound apply');
  const r = scenarioRandom(ctx, result.name);
  const edits = Math.max(20, Math.floor(ctx.records / 5));
  const paceMs = 5;
  await inWorld(ctx, result, {}, async (world) => {
    await startSynced(world, ctx);
    for (let trial = 0; trial < ctx.trials; trial++) {
      const { salesforce } = split(world, r, edits);
      // A moment anywhere in the stream, or just after it while the last events are being applied.
      const killAt = r() * (edits * paceMs + 300);
      const stream = salesforceEdits(world, salesforce, `apply${trial}`, paceMs);
      await sleep(killAt);
      await world.service.kill9();
      await stream;
      await world.service.start();
      await settleInto(result, world, ctx);
    }
  });
  return result;
}

export async function killDuringWriteBack(ctx: ChaosContext): Promise<ScenarioResult> {
  const result = newResult('kill -9 during write-back');
  const r = scenarioRandom(ctx, result.name);
  const creates = Math.max(10, Math.floor(ctx.records / 20));
  const edits = Math.max(10, Math.floor(ctx.records / 20));
  await inWorld(ctx, result, {}, async (world) => {
    await startSynced(world, ctx);
    let killed = 0;
    for (let trial = 0; trial < ctx.trials; trial++) {
      const { telephony } = split(world, r, edits);
      // The kill lands inside the org's commit of the n-th record the service writes: the org has it,
      // the service never hears so.
      const kill = killAfterOrgWrites(world, 1 + Math.floor(r() * (creates + edits)));
      await telephonyWrites(world, creates, telephony, `wb${trial}`);
      // A write-back that wrote fewer records than planned (an edit that found nothing to change) ends the
      // wait; the kill then comes after it.
      const fired = await Promise.race([kill.killed, sleep(30_000).then(() => false)]);
      kill.cancel();
      if (fired) killed++;
      await world.service.kill9();
      await world.service.start();
      await world.resolveUncertain();
      await settleInto(result, world, ctx);
    }
    result.extra.push({ figure: 'kills that landed inside an org commit', value: killed, correctAtZero: false });
  });
  return result;
}
