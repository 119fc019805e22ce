import {
  eventually,
  linkedContact,
  linkedContactId,
  startStack,
  uiCreate,
  uiUpdate,
  type Stack,
} from '../support/harness';
import { isDatabaseUnavailable } from '../../src/store/availability';
import { privateClusterUnavailable, startPrivateCluster, type PrivateCluster } from '../support/privateCluster';

const skipReason = privateClusterUnavailable();
if (skipReason) console.log(`database outage test skipped: ${skipReason}`);

/**
 * A real PostgreSQL restart under the running service, on a cluster of this test's own (the shared one
 * other tests use is never stopped). The service must live through it, say so while it lasts, and catch up.
 */
(skipReason ? describe.skip : describe)('the service across a PostgreSQL restart', () => {
  let cluster: PrivateCluster;
  let stack: Stack;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    // Followers retry the subscriber election quickly, so the test does not wait out the 5 s default.
    stack = await startStack({ postgresUrl: cluster.url, service: { electionRetryMs: 200 } });
  }, 120_000);

  afterAll(async () => {
    // Closing drops the scratch database, which needs the server (a failed test may leave it stopped).
    if (cluster && !cluster.running) await cluster.start();
    await stack?.close();
    await cluster?.destroy();
  });

  const page = async (path: string) => {
    const res = await fetch(`${stack.service.url}${path}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };

  it('answers 503 while the database is down, then applies the edit made meanwhile and writes back', async () => {
    const recordId = uiCreate(stack, 'Contact', { FirstName: 'Grace', LastName: 'Hopper', Phone: '+1 212 555 0142' });
    const contactId = await linkedContactId(stack, recordId);
    expect((await page('/healthz')).status).toBe(200);

    // Connections checked out when the server goes: a query it is running, a transaction between queries.
    const running = stack.db.query('SELECT pg_sleep(30)').then(
      () => 'finished',
      (err: unknown) => err,
    );
    let release!: () => void;
    const open = stack.db
      .transaction(async (tx) => {
        await tx.query('SELECT 1');
        await new Promise<void>((resolve) => (release = resolve));
        await tx.query('SELECT 2');
      })
      .then(
        () => 'committed',
        (err: unknown) => err,
      );
    await eventually(() => release !== undefined, 'the transaction to begin');

    await cluster.stop();
    release();
    expect(isDatabaseUnavailable(await running)).toBe(true);
    expect(isDatabaseUnavailable(await open)).toBe(true);

    // The REST API: 503 with a JSON error, no stack trace, for reads and writes alike.
    const read = await stack.api('GET', `/contacts/${contactId}`);
    expect(read.status).toBe(503);
    expect(read.body.error.code).toBe('database_unavailable');
    const write = await stack.api('PATCH', `/contacts/${contactId}`, { title: 'Rear Admiral' });
    expect(write.status).toBe(503);
    expect(JSON.stringify(write.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    // Health: the probe and the first page say the database is down.
    const health = await page('/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.text)).toMatchObject({ status: 'unavailable', database: 'down' });
    const home = await page('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('The database is unavailable');

    // An edit in the org while the directory cannot take it.
    uiUpdate(stack, 'Contact', recordId, { FirstName: 'Amazing Grace' });

    await cluster.start();

    await eventually(
      async () => (await linkedContact(stack, recordId))?.firstName === 'Amazing Grace',
      'the edit made during the outage to arrive',
      60_000,
    );
    expect((await page('/healthz')).status).toBe(200);
    expect((await page('/')).text).not.toContain('The database is unavailable');

    // Write-back runs again: a PATCH queued now reaches the org.
    const patched = await stack.api('PATCH', `/contacts/${contactId}`, { title: 'Rear Admiral' });
    expect(patched.status).toBe(200);
    await eventually(
      () => stack.emulator.org.store.get('Contact', recordId)?.Title === 'Rear Admiral' || undefined,
      'the write-back after the outage',
      60_000,
    );
  }, 180_000);
});
