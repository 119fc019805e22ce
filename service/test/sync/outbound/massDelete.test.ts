import { eventually, linkedQuietContacts, startStack, updateSyncRecord, type Stack } from '../../support/harness';
import { listAudit } from '../../../src/store/audit';
import { outboxStats } from '../../../src/store/outbox/outbox';

const ORG = 'primary';

/**
 * The mass-deletion guard for directory deletes that propagate to Salesforce: a burst of them is held in
 * the outbox and the sync pauses; resume sends them, discard keeps the records.
 */
describe('mass-deletion guard for deletes made in the directory', () => {
  let stack: Stack;
  let ids: string[];
  const runtime = () => stack.service.orgs[0];
  const exists = (recordId: string) => stack.emulator.org.store.get('Contact', recordId) !== undefined;
  const contactOf = async (recordId: string) => {
    const { rows } = await stack.db.query<{ contact_id: string }>(
      'SELECT contact_id FROM links WHERE org_id = $1 AND record_id = $2',
      [ORG, recordId],
    );
    return rows[0].contact_id;
  };
  /**
   * Deletes the directory contacts of these records through the phone clients' API. The worker waits
   * meanwhile, so the run is judged as one, however fast the deletes arrive.
   */
  const deleteInDirectory = async (recordIds: string[]) => {
    const contactIds = await Promise.all(recordIds.map(contactOf));
    await runtime().writeBack.stop();
    try {
      for (const contactId of contactIds)
        expect((await stack.api('DELETE', `/contacts/${contactId}`)).status).toBe(200);
    } finally {
      runtime().writeBack.start();
    }
  };

  beforeAll(async () => {
    stack = await startStack();
    ids = await linkedQuietContacts(stack, { count: 40, firstName: 'Phone', lastName: 'Book', firstPhone: 2000 });
    await updateSyncRecord(stack, { Propagate_Deletes_To_Salesforce__c: true, Mass_Delete_Threshold__c: 10 });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('sends a few deletes: the guard never trips below 5', async () => {
    const few = ids.splice(0, 3);
    await deleteInDirectory(few);
    await eventually(() => few.every((id) => !exists(id)) || undefined, 'the Salesforce deletes');
    expect(runtime().status()).toMatchObject({ paused: false, held: null });
  });

  it('holds a burst of directory deletes and pauses; resuming sends them', async () => {
    const links = Number(
      (await stack.db.query<{ n: string }>('SELECT count(*) AS n FROM links WHERE org_id = $1', [ORG])).rows[0].n,
    );
    const many = ids.splice(0, Math.ceil(links * 0.2));
    await deleteInDirectory(many);
    const status = await eventually(
      () => (runtime().status().paused && runtime().status().held ? runtime().status() : undefined),
      'the guard to hold',
    );
    expect(status.held?.deletes).toBe(many.length);
    expect(status.held?.reason).toMatch(
      /^mass deletion held: contacts deleted in the directory would delete \d+ of \d+ linked Salesforce records \(\d+\.\d %\), above the 10 % threshold/,
    );
    expect(many.every(exists)).toBe(true);
    expect((await outboxStats(stack.db, ORG)).held).toBe(many.length);
    const [held] = (await listAudit(stack.db, { limit: 50 })).filter((e) => e.action === 'deletes-held');
    expect(held).toMatchObject({ orgId: ORG, origin: 'telephony', after: { deletes: many.length } });

    await runtime().resume();
    await eventually(() => many.every((id) => !exists(id)) || undefined, 'the approved deletes sent');
    expect(runtime().status()).toMatchObject({ paused: false, held: null });
    expect((await outboxStats(stack.db, ORG)).held).toBe(0);
  });

  it('discarding held deletes keeps the Salesforce records', async () => {
    const many = ids.splice(0, 8);
    await deleteInDirectory(many);
    await eventually(() => (runtime().status().held?.deletes === many.length ? true : undefined), 'the guard to hold');
    expect(await runtime().discardHeldDeletes()).toBe(many.length);
    expect(runtime().status().held).toBeNull();
    expect((await outboxStats(stack.db, ORG)).held).toBe(0);
    await runtime().resume();
    await runtime().writeBack.idle();
    expect(many.every(exists)).toBe(true);
    const discarded = (await listAudit(stack.db, { limit: 50 })).filter((e) => e.action === 'delete-discarded');
    expect(discarded.map((e) => e.recordId).sort()).toEqual([...many].sort());
  });
});
