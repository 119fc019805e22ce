import { eventually, runtimeOf, startStack, type Stack } from '../../support/harness';
import { insertContact } from '../../../src/directory/contacts';
import { outboxStats, listOutbox } from '../../../src/store/outbox/outbox';
import { getRecordHealth } from '../../../src/store/state/recordHealth';
import { queueCreate } from '../../../src/sync/outbound/telephonyCreate';
import { bulkJobsOf } from '../../../emulator/bulk/routes';

const ORG = 'primary';
const COUNT = 2_050;

describe('Bulk API 2.0 ingest for large write-backs', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('sends more than 2,000 due creates as one ingest job and links each result to its own contact', async () => {
    const runtime = runtimeOf(stack);
    const org = stack.emulator.org;
    const jobs = bulkJobsOf(org);
    // Results in another order than the upload: each must still reach the contact it belongs to.
    jobs.ingestResultOrder = 'reversed';
    await runtime.writeBack.stop();
    const contacts = await stack.db.transaction(async (tx) => {
      const made: Array<{ id: string; lastName: string }> = [];
      for (let i = 0; i < COUNT; i++) {
        const number = `+1 303 555 ${String(i).padStart(4, '0')}`;
        // Every 500th carries an email Salesforce refuses.
        const email = i % 500 === 7 ? `bad-${i}` : `p${i}@bulk.example.com`;
        const contact = await insertContact(
          tx,
          {
            firstName: `P${i}`,
            lastName: `Bulk ${i}`,
            email,
            phones: [{ kind: 'work', raw: number, e164: `+1303555${String(i).padStart(4, '0')}`, extension: null }],
          },
          'telephony',
        );
        expect(await queueCreate(tx, runtime.settings, contact)).toBe('queued');
        made.push({ id: contact.id, lastName: `Bulk ${i}` });
      }
      return made;
    });
    const callsBefore = org.apiUsage.used;
    runtime.writeBack.start();

    await eventually(
      async () => {
        const stats = await outboxStats(stack.db, ORG);
        return stats.pending + stats.processing === 0 || undefined;
      },
      'every create to settle',
      60_000,
    );

    expect([...jobs.ingestJobs.values()].map((j) => ({ object: j.info.object, operation: j.info.operation }))).toEqual([
      { object: 'Contact', operation: 'insert' },
    ]);
    // One job: create, upload, close, a few polls and two result reads, not ~11 Collections calls.
    expect(org.apiUsage.used - callsBefore).toBeLessThan(12);

    const { rows } = await stack.db.query<{ contact_id: string; record_id: string }>(
      "SELECT contact_id, record_id FROM links WHERE org_id = $1 AND sobject = 'Contact'",
      [ORG],
    );
    const recordOf = new Map(rows.map((r) => [r.contact_id, r.record_id]));
    const refused = contacts.filter((_c, i) => i % 500 === 7);
    const accepted = contacts.filter((_c, i) => i % 500 !== 7);
    for (const contact of accepted) {
      const recordId = recordOf.get(contact.id);
      expect(recordId && org.store.get('Contact', recordId)?.LastName).toBe(contact.lastName);
    }
    const failed = await listOutbox(stack.db, { orgId: ORG, state: 'failed', limit: 100 });
    expect(failed.map((r) => r.contactId).sort()).toEqual(refused.map((c) => c.id).sort());
    expect(failed.every((r) => r.lastErrorCode === 'INVALID_EMAIL_ADDRESS')).toBe(true);
    for (const contact of refused) {
      expect(recordOf.has(contact.id)).toBe(false);
      expect(await getRecordHealth(stack.db, ORG, 'telephony', contact.id)).toMatchObject({
        state: 'failing',
        code: 'INVALID_EMAIL_ADDRESS',
      });
    }
  }, 90_000);
});
