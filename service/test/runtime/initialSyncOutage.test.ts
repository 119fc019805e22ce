import { eventually, runtimeOf, startStack, type Stack } from '../support/harness';
import { privateClusterUnavailable, startPrivateCluster, type PrivateCluster } from '../support/privateCluster';

const skipReason = privateClusterUnavailable();
if (skipReason) console.log(`initial sync outage test skipped: ${skipReason}`);

/**
 * The database stops while the initial sync loads an org (a real PostgreSQL stop and start, on a cluster
 * of this test's own). The load must resume from its checkpoint when the database is back, without a
 * restart of the service.
 */
(skipReason ? describe.skip : describe)('the initial sync across a PostgreSQL restart', () => {
  let cluster: PrivateCluster;
  let stack: Stack;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    stack = await startStack({
      postgresUrl: cluster.url,
      // Enough records, in small pages, that the load is still running when the database stops.
      emulator: { seed: { contacts: 3000, leads: 10, businessAccounts: 3, personAccounts: 3, users: 3 } },
      initialSync: true,
      initialSyncPageSize: 50,
      service: { electionRetryMs: 200 },
    });
  }, 120_000);

  afterAll(async () => {
    if (cluster && !cluster.running) await cluster.start();
    await stack?.close();
    await cluster?.destroy();
  });

  it('resumes from its checkpoint once the database is back', async () => {
    const org = runtimeOf(stack);
    await eventually(() => {
      const status = org.initialSyncStatus();
      return status.state === 'running' && status.done >= 100;
    }, 'the initial sync to be under way');
    await cluster.stop();
    await eventually(() => org.initialSyncStatus().state !== 'running', 'the initial sync to stop', 30_000);
    const stopped = org.initialSyncStatus();
    expect(stopped.done).toBeLessThan(3000);

    await cluster.start();
    const finished = await eventually(
      () => (org.initialSyncStatus().state === 'done' ? org.initialSyncStatus() : undefined),
      'the initial sync to finish after the outage',
      90_000,
    );
    expect(finished.done).toBeGreaterThanOrEqual(3000);
  }, 240_000);
});
