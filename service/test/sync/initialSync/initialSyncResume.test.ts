import { bulkJobsOf, type BulkJobs } from '../../../emulator/bulk/routes';
import { loadCheckpoints } from '../../../src/store/state/initialSyncCheckpoint';
import { eventually, startStack, type Stack } from '../../support/harness';

const CONTACTS = 55;
const SEED = { contacts: CONTACTS, leads: 0, businessAccounts: 3, personAccounts: 0, users: 2 };
const PAGE = 10;

type Hold = ReturnType<BulkJobs['holdResultsAfter']>;

/** A stack whose initial sync reads pages of 10 and stalls on the page after `pages`. */
async function stalledStack(pages: number): Promise<{ stack: Stack; hold: Hold }> {
  let hold: Hold | undefined;
  const stack = await startStack({
    emulator: { seed: SEED, personAccounts: false },
    initialSync: true,
    initialSyncPageSize: PAGE,
    beforeService: (emulator) => {
      hold = bulkJobsOf(emulator.org).holdResultsAfter(pages);
    },
  });
  if (!hold) throw new Error('beforeService did not run');
  return { stack, hold };
}

async function contactPagesDone(stack: Stack): Promise<number> {
  return (await loadCheckpoints(stack.db, 'primary')).get('Contact')?.pagesDone ?? 0;
}

/**
 * Every seeded Contact accounted for exactly once — linked, or excluded by the validity rules — and no
 * directory contact without a link (what a page written twice, or half, would leave behind).
 */
async function accounting(stack: Stack): Promise<{ records: number; distinct: number; orphans: number }> {
  const { rows } = await stack.db.query<{ records: number; distinct: number; orphans: number }>(
    `WITH ids AS (
       SELECT record_id AS id FROM links WHERE org_id = 'primary'
       UNION ALL SELECT key FROM record_health WHERE org_id = 'primary' AND side = 'salesforce' AND state = 'excluded')
     SELECT (SELECT count(*)::int FROM ids) AS records, (SELECT count(DISTINCT id)::int FROM ids) AS distinct,
       (SELECT count(*)::int FROM directory_contacts c WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.contact_id = c.id)) AS orphans`,
  );
  return rows[0];
}

function contactJobs(stack: Stack) {
  return [...bulkJobsOf(stack.emulator.org).queryJobs.values()].filter((job) => job.info.object === 'Contact');
}

const positionsServed = (stack: Stack, jobId: string) =>
  bulkJobsOf(stack.emulator.org)
    .resultsServed.filter((served) => served.jobId === jobId)
    .map((served) => served.position);

describe('an initial sync interrupted by a restart', () => {
  let stack: Stack;
  let hold: Hold;

  beforeAll(async () => {
    ({ stack, hold } = await stalledStack(3));
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('shows its progress while it runs, and after the restart before it resumes', async () => {
    await hold.reached;
    await eventually(async () => (await contactPagesDone(stack)) === 3, 'three pages applied');
    const running = stack.service.orgs[0].status().initialSync;
    expect(running).toMatchObject({ state: 'running', done: 30, total: CONTACTS });
    expect(running.objects.find((o) => o.sobject === 'Contact')).toEqual({
      sobject: 'Contact',
      state: 'running',
      done: 30,
      total: CONTACTS,
      pages: 3,
    });
    expect(running.ratePerSecond).toBeGreaterThan(0);
    expect(running.etaSeconds).toBeGreaterThanOrEqual(0);

    await stack.stopService();
    hold.release();
    expect(await accounting(stack)).toEqual({ records: 30, distinct: 30, orphans: 0 });
    await stack.startServiceAgain();
    // Shown from the checkpoint at once (it may already have moved on).
    expect(stack.service.orgs[0].status().initialSync.done).toBeGreaterThanOrEqual(30);
  });

  it('continues from the stored locator: every record once, no page read twice, no new query job', async () => {
    const status = await stack.service.orgs[0].initialSyncSettled();
    expect(status).toMatchObject({
      state: 'done',
      done: CONTACTS,
      total: CONTACTS,
      records: CONTACTS,
      etaSeconds: 0,
      error: null,
    });
    expect(await accounting(stack)).toEqual({ records: CONTACTS, distinct: CONTACTS, orphans: 0 });
    const jobs = contactJobs(stack);
    expect(jobs).toHaveLength(1);
    expect(positionsServed(stack, jobs[0].info.id)).toEqual([0, 10, 20, 30, 40, 50]);
    expect((await loadCheckpoints(stack.db, 'primary')).get('Contact')).toMatchObject({
      state: 'done',
      pagesDone: 6,
      rowsDone: CONTACTS,
    });
  });
});

describe('an interrupted initial sync whose query results are gone', () => {
  let stack: Stack;
  let hold: Hold;

  beforeAll(async () => {
    ({ stack, hold } = await stalledStack(2));
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('queries again after the last record applied (Id order) and loads the rest once', async () => {
    await hold.reached;
    await eventually(async () => (await contactPagesDone(stack)) === 2, 'two pages applied');
    await stack.stopService();
    const [first] = contactJobs(stack);
    // As if its results had expired: the platform answers 404 for the job.
    bulkJobsOf(stack.emulator.org).queryJobs.delete(first.info.id);
    hold.release();
    await stack.startServiceAgain();

    const status = await stack.service.orgs[0].initialSyncSettled();
    expect(status).toMatchObject({ state: 'done', done: CONTACTS, total: CONTACTS });
    expect(await accounting(stack)).toEqual({ records: CONTACTS, distinct: CONTACTS, orphans: 0 });
    const second = contactJobs(stack);
    expect(second).toHaveLength(1);
    const lastApplied = stack.emulator.org.store.idFor('Contact', 2 * PAGE - 1);
    expect(second[0].query.text).toContain(`Id > '${lastApplied}'`);
    expect(second[0].query.text).toMatch(/ORDER BY Id$/);
    expect(positionsServed(stack, first.info.id)).toEqual([0, 10]);
    expect(positionsServed(stack, second[0].info.id)).toEqual([0, 10, 20, 30]);
  });
});
