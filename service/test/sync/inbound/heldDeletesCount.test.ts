import { insertContact } from '../../../src/directory/contacts';
import { createLink, findLinkByRecord } from '../../../src/store/state/links';
import { heldSummary } from '../../../src/store/state/heldDeletes';
import { enqueueOutbox } from '../../../src/store/outbox/outbox';
import { heldOutboxDeletes, holdUnapprovedDeletes } from '../../../src/store/outbox/heldOutboxDeletes';
import { applySalesforceDeletes } from '../../../src/sync/inbound/deletes';
import type { DeleteCandidate } from '../../../src/model/records';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import { CONTACT_SYNC, contactFields, ORG_ID, phone, seedOrg } from '../../support/fixtures';
import type { Queryable } from '../../../src/store/types';

/**
 * The Salesforce side of the mass-deletion guard when deletes are already held (issue 12 item 10): the
 * text counts each held delete once, and directory deletes held for the admin count as held too. Both
 * meet a Salesforce-side run only in the moment before the pause stops the org's work (a reconcile already
 * running, events already received), so they are driven here directly, in a fixed order.
 */

/** `count` linked Contacts of the org, ids 003…0001 on. */
async function linkedRecords(q: Queryable, count: number, from = 1): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + count; i++) {
    const recordId = `003000000000${String(i).padStart(3, '0')}AAA`;
    const e164 = `+1415555${String(1000 + i)}`;
    const contact = await insertContact(q, contactFields({ phones: [phone('work', e164)] }), 'salesforce');
    await createLink(q, { orgId: ORG_ID, contactId: contact.id, sobject: 'Contact', recordId });
    ids.push(recordId);
  }
  return ids;
}

const deleted = (ids: string[]): DeleteCandidate[] =>
  ids.map((recordId) => ({ recordId, sobject: 'Contact', cause: 'deleted' }));

describeEachBackend('Salesforce deletes while deletes are held', (getDb) => {
  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
  });

  it('counts a delete held before once when a later run (a reconcile) finds the same record again', async () => {
    const ids = await linkedRecords(getDb(), 40);
    const first = await getDb().transaction((tx) =>
      applySalesforceDeletes(tx, CONTACT_SYNC, deleted(ids.slice(0, 8)), 'event', 'events'),
    );
    expect(first.held?.deletes).toBe(8);
    // The reconcile that was running finds the same 8 records gone, and 2 more.
    const again = await getDb().transaction((tx) =>
      applySalesforceDeletes(tx, CONTACT_SYNC, deleted(ids.slice(0, 10)), 'reconcile', 'reconcile'),
    );
    expect(again.outcomes.filter((o) => o.outcome === 'held')).toHaveLength(10);
    expect(await heldSummary(getDb(), ORG_ID)).toEqual({
      deletes: 10,
      reason: "10 Salesforce deletes are held for an admin's approval (mass-deletion guard)",
    });
  });

  it('holds Salesforce deletes while directory deletes wait for the admin, and counts both', async () => {
    const ids = await linkedRecords(getDb(), 40);
    // Six directory deletes of linked records, held by the guard of the other direction.
    const queued = await linkedRecords(getDb(), 6, 100);
    for (const recordId of queued) {
      const link = await findLinkByRecord(getDb(), ORG_ID, recordId);
      await enqueueOutbox(getDb(), {
        orgId: ORG_ID,
        contactId: link?.contactId ?? null,
        linkId: null,
        sobject: 'Contact',
        recordId,
        operation: 'delete',
        payload: {},
        payloadHash: `delete ${recordId}`,
      });
    }
    await holdUnapprovedDeletes(getDb(), ORG_ID, 'mass deletion held: 6 of 46 linked Salesforce records');
    expect((await heldOutboxDeletes(getDb(), ORG_ID)).deletes).toBe(6);

    // One Salesforce delete: alone, far below the threshold and the guard's minimum.
    const run = await getDb().transaction((tx) =>
      applySalesforceDeletes(tx, CONTACT_SYNC, deleted([ids[0]]), 'event', 'event'),
    );
    expect(run.outcomes).toEqual([expect.objectContaining({ recordId: ids[0], outcome: 'held' })]);
    expect(await findLinkByRecord(getDb(), ORG_ID, ids[0])).not.toBeNull();
    expect((await heldSummary(getDb(), ORG_ID))?.reason).toBe(
      "7 deletes are held for an admin's approval (mass-deletion guard), directory deletes included",
    );
  });
});
