import { startStack, type Stack } from '../../support/harness';
import { bulkJobsOf } from '../../../emulator/bulk/routes';
import { RECORD_STATUS_BULK_THRESHOLD } from '../../../src/salesforce/status/recordStatusWriter';

/**
 * After an initial sync every record's status fields are new: thousands of them go by one Bulk API 2.0
 * job per object, not by one Collections call per 200.
 */
describe('record status fields after a large initial sync', () => {
  const CONTACTS = RECORD_STATUS_BULK_THRESHOLD + 300;
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      emulator: {
        seed: { contacts: CONTACTS, leads: 40, businessAccounts: 4, personAccounts: 0, users: 2 },
        personAccounts: false,
      },
      initialSync: true,
    });
    await stack.service.orgs[0].initialSyncSettled();
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('writes the Contacts by one Bulk API update job and the few Leads by Collections, in a few calls', async () => {
    const org = stack.emulator.org;
    const linked = await stack.db.query<{ sobject: string; n: number }>(
      `SELECT sobject, count(*)::int AS n FROM links WHERE org_id = 'primary' GROUP BY sobject ORDER BY sobject`,
    );
    const count = Object.fromEntries(linked.rows.map((r) => [r.sobject, r.n]));
    expect(count.Contact).toBeGreaterThan(RECORD_STATUS_BULK_THRESHOLD);
    expect(count.Lead).toBeLessThanOrEqual(40);

    // The end of the initial sync flushes the status; this flush waits for it (or does it).
    await stack.service.orgs[0].reporter.flush();
    // The initial sync reads by query jobs: the only ingest job is the status fields' one.
    const jobs = [...bulkJobsOf(org).ingestJobs.values()];
    expect(jobs.map((job) => [job.info.object, job.info.operation])).toEqual([['Contact', 'update']]);
    const inSync = (sobject: 'Contact' | 'Lead') =>
      [...org.store.scan(sobject)].filter(
        (r) => r.Switchboard_Sync_State__c === 'InSync' && typeof r.Switchboard_Directory_Id__c === 'string',
      ).length;
    expect(inSync('Contact')).toBe(count.Contact);
    expect(inSync('Lead')).toBe(count.Lead);

    // Nothing is pending any more: the next flush writes no record.
    const jobsNow = bulkJobsOf(org).ingestJobs.size;
    const writes: string[] = [];
    const off = org.store.onCommit(
      (batch) => (batch.sobject === 'Contact' || batch.sobject === 'Lead') && writes.push(batch.operation),
    );
    await stack.service.orgs[0].reporter.flush();
    off();
    expect(writes).toEqual([]);
    expect(bulkJobsOf(org).ingestJobs.size).toBe(jobsNow);
  });
});
