import { randomUUID } from 'node:crypto';
import {
  claimOutboxBatch,
  enqueueOutbox,
  listOutbox,
  deadClaimants,
  releaseDeadClaims,
  startClaimant,
  type Claimant,
  type NewOutboxItem,
} from '../../../src/store/outbox/outbox';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import { ORG_ID, seedOrg } from '../../support/fixtures';

const CALL_LEASE_MS = 120_000;

function item(operation: NewOutboxItem['operation']): NewOutboxItem {
  return {
    orgId: ORG_ID,
    contactId: randomUUID(),
    linkId: null,
    sobject: 'Contact',
    recordId: operation === 'create' ? null : '003000000000001AAA',
    operation,
    payload: { LastName: 'Lovelace' },
    payloadHash: 'h1',
  };
}

describeEachBackend('outbox claims of dead workers', (getDb, backend) => {
  const claimants: Claimant[] = [];
  const claimant = async () => {
    const started = await startClaimant(getDb());
    claimants.push(started);
    return started;
  };

  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
  });

  afterEach(async () => {
    for (const c of claimants.splice(0)) await c.end();
  });

  async function states(): Promise<Array<[string, string, number]>> {
    const rows = await listOutbox(getDb(), { limit: 100 });
    return rows.map((r): [string, string, number] => [r.operation, r.state, r.claims]).sort();
  }

  it('gives a dead worker’s rows back at once and keeps a live one’s', async () => {
    await enqueueOutbox(getDb(), item('create'));
    const alive = await claimant();
    const dead = await claimant();
    await claimOutboxBatch(getDb(), { orgId: ORG_ID, limit: 1, leaseMs: CALL_LEASE_MS, claimant: dead.id });
    await enqueueOutbox(getDb(), item('update'));
    await claimOutboxBatch(getDb(), { orgId: ORG_ID, limit: 1, leaseMs: CALL_LEASE_MS, claimant: alive.id });

    expect(await releaseDeadClaims(getDb(), ORG_ID, CALL_LEASE_MS)).toBe(0);
    await dead.end();
    expect(await releaseDeadClaims(getDb(), ORG_ID, CALL_LEASE_MS)).toBe(1);
    // The create keeps its claim count: claimed again, it is looked for in Salesforce before being sent.
    expect(await states()).toEqual([
      ['create', 'pending', 1],
      ['update', 'processing', 1],
    ]);
    const again = await claimOutboxBatch(getDb(), {
      orgId: ORG_ID,
      limit: 10,
      leaseMs: CALL_LEASE_MS,
      claimant: alive.id,
    });
    expect(again.map((r) => [r.operation, r.claims])).toEqual([['create', 2]]);
  });

  it('leaves a dead worker’s Bulk API creates to their lease: the job may still run in Salesforce', async () => {
    await enqueueOutbox(getDb(), item('create'));
    await enqueueOutbox(getDb(), item('update'));
    const dead = await claimant();
    await claimOutboxBatch(getDb(), { orgId: ORG_ID, limit: 10, leaseMs: 30 * 60_000, claimant: dead.id });
    await dead.end();
    expect(await releaseDeadClaims(getDb(), ORG_ID, CALL_LEASE_MS)).toBe(1);
    expect(await states()).toEqual([
      ['create', 'processing', 1],
      ['update', 'pending', 1],
    ]);
  });

  it('leaves rows claimed before claims named their worker to their lease', async () => {
    await enqueueOutbox(getDb(), item('update'));
    await claimOutboxBatch(getDb(), { orgId: ORG_ID, limit: 10, leaseMs: CALL_LEASE_MS });
    expect(await releaseDeadClaims(getDb(), ORG_ID, CALL_LEASE_MS)).toBe(0);
  });

  it('names the workers that look dead, and releases only the rows of the ones named', async () => {
    const first = await claimant();
    const second = await claimant();
    for (const [n, worker] of [first, second].entries()) {
      await enqueueOutbox(getDb(), { ...item('update'), recordId: `00300000000000${n}BBB` });
      await claimOutboxBatch(getDb(), { orgId: ORG_ID, limit: 1, leaseMs: CALL_LEASE_MS, claimant: worker.id });
    }
    expect(await deadClaimants(getDb(), ORG_ID, CALL_LEASE_MS)).toEqual([]);
    await first.end();
    await second.end();
    expect(await deadClaimants(getDb(), ORG_ID, CALL_LEASE_MS)).toEqual([first.id, second.id].sort());
    expect(await releaseDeadClaims(getDb(), ORG_ID, CALL_LEASE_MS, [second.id])).toBe(1);
    expect(await deadClaimants(getDb(), ORG_ID, CALL_LEASE_MS)).toEqual([first.id]);
  });

  if (backend.kind === 'postgres') {
    it('a live worker whose lock connection broke takes its lock again, so its rows stay its own', async () => {
      const live = await claimant();
      await enqueueOutbox(getDb(), item('create'));
      await claimOutboxBatch(getDb(), { orgId: ORG_ID, limit: 1, leaseMs: CALL_LEASE_MS, claimant: live.id });
      const holder = async () =>
        (
          await getDb().query<{ pid: number }>(
            `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = hashtext($1)::oid`,
            [live.id],
          )
        ).rows[0]?.pid;
      const pid = await holder();
      expect(pid).toEqual(expect.any(Number));
      await getDb().query('SELECT pg_terminate_backend($1)', [pid]);
      // The lock comes back on a new connection of the same worker.
      for (let i = 0; i < 100 && ((await holder()) ?? pid) === pid; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await holder()).toEqual(expect.any(Number));
      expect(await holder()).not.toBe(pid);
      expect(await deadClaimants(getDb(), ORG_ID, CALL_LEASE_MS)).toEqual([]);
      expect(await releaseDeadClaims(getDb(), ORG_ID, CALL_LEASE_MS)).toBe(0);
    });
  }
});
