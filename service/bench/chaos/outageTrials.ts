/**
 * The service stopped, paused, cut off from its database or from the org: a cold restart and a pause with
 * edits made meanwhile, Postgres backends terminated mid-run, a private cluster restarted mid-run, 10 %
 * of API requests failing. Each ends when both sides settle; the comparison counts what is wrong.
 */
import { privateClusterUnavailable } from '../../test/support/privateCluster';
import { privateServer, terminateServiceBackends } from './database';
import { ORG_ID } from './compare';
import {
  inWorld,
  newResult,
  scenarioRandom,
  settleInto,
  startSynced,
  type ChaosContext,
  type ScenarioResult,
} from './scenario';
import { salesforceEdits, sleep, split, telephonyWrites, until } from './streams';

export async function coldRestartAndPause(ctx: ChaosContext): Promise<ScenarioResult[]> {
  const cold = newResult('cold restart after initial sync');
  const paused = newResult('pause and resume');
  const r = scenarioRandom(ctx, cold.name);
  const edits = Math.min(20, ctx.records);
  await inWorld(ctx, cold, {}, async (world) => {
    await startSynced(world, ctx);
    // Stopped before any event was applied: only the position the server reported can carry the edits.
    await world.service.stop();
    await salesforceEdits(world, split(world, r, edits).salesforce, 'cold', 0);
    await world.service.start();
    await settleInto(cold, world, ctx);

    const command = async (name: string) => {
      const res = await world.service.api('POST', `/orgs/${ORG_ID}/commands`, { command: name });
      if (!res || res.status >= 300) throw new Error(`${name} answered ${res?.status}: ${JSON.stringify(res?.body)}`);
    };
    await command('pause');
    const { salesforce, telephony } = split(world, r, edits);
    await salesforceEdits(world, salesforce, 'paused', 0);
    await telephonyWrites(world, 5, telephony.slice(0, 5), 'paused');
    await command('resume');
    await settleInto(paused, world, ctx);
    paused.crashes += world.service.crashes.length;
  });
  return [cold, paused];
}

export async function backendsTerminated(ctx: ChaosContext): Promise<ScenarioResult> {
  const result = newResult('Postgres backends terminated');
  const r = scenarioRandom(ctx, result.name);
  const edits = Math.max(20, Math.floor(ctx.records / 10));
  let terminated = 0;
  await inWorld(ctx, result, {}, async (world) => {
    await startSynced(world, ctx);
    for (let trial = 0; trial < Math.max(2, Math.ceil(ctx.trials / 3)); trial++) {
      const { salesforce, telephony } = split(world, r, edits);
      const paceMs = 5;
      const inbound = salesforceEdits(world, salesforce, `pgterm${trial}`, paceMs);
      const outbound = telephonyWrites(world, 10, telephony.slice(0, 10), `pgterm${trial}`);
      // Twice at seeded moments in the stream: every connection the service holds, idle or busy, ends.
      for (const at of [r(), r()].sort()) {
        await sleep(at * edits * paceMs * 0.5);
        terminated += await terminateServiceBackends(world.databaseUrl);
      }
      await Promise.all([inbound, outbound]);
      await world.resolveUncertain();
      await settleInto(result, world, ctx);
    }
  });
  result.extra.push({ figure: 'backends terminated', value: terminated, correctAtZero: false });
  return result;
}

export async function clusterRestart(ctx: ChaosContext): Promise<ScenarioResult> {
  const result = newResult('private Postgres cluster restarted');
  const reason = privateClusterUnavailable();
  if (reason) return { ...result, skipped: reason };
  const r = scenarioRandom(ctx, result.name);
  const { server, cluster } = await privateServer();
  try {
    const edits = Math.max(20, Math.floor(ctx.records / 10));
    await inWorld({ ...ctx, server }, result, {}, async (world) => {
      await startSynced(world, ctx);
      const { salesforce, telephony } = split(world, r, edits);
      await telephonyWrites(world, 5, telephony.slice(0, 5), 'pgrestart');
      const inbound = salesforceEdits(world, salesforce, 'pgrestart', 5);
      await sleep(r() * edits * 5);
      await cluster.stop();
      // The org goes on: the rest of the stream, and more, land while the database is down.
      await inbound;
      await salesforceEdits(world, split(world, r, 5).salesforce, 'pgdown', 0);
      await sleep(500 + r() * 1500);
      await cluster.start();
      await until(() => world.service.running, 1_000);
      await settleInto(result, world, ctx);
    });
  } finally {
    if (!cluster.running) await cluster.start().catch(() => undefined);
    await server.close();
  }
  return result;
}

export async function apiFaults(ctx: ChaosContext): Promise<ScenarioResult> {
  const result = newResult('10 % API faults');
  const r = scenarioRandom(ctx, result.name);
  const edits = Math.max(20, Math.floor(ctx.records / 10));
  await inWorld(ctx, result, {}, async (world) => {
    // From the first request on: the initial sync's queries and Bulk jobs meet them too.
    Object.assign(world.emulator.org.faults, { errorRate: 0.1, errorKinds: ['503', 'UNABLE_TO_LOCK_ROW', 'timeout'] });
    await world.service.start();
    await settleInto(result, world, ctx);
    for (let trial = 0; trial < Math.max(2, Math.ceil(ctx.trials / 3)); trial++) {
      const { salesforce, telephony } = split(world, r, edits);
      await Promise.all([
        salesforceEdits(world, salesforce, `faults${trial}`, 5),
        telephonyWrites(world, 10, telephony, `faults${trial}`),
      ]);
      await settleInto(result, world, ctx);
    }
  });
  return result;
}
