import { insertContact, updateContact } from '../../src/directory/contacts';
import { changedLinksFrom, changedPrimaryLinks, telephonyContactsUnknownTo } from '../../src/store/directorySweeps';
import { createLink } from '../../src/store/state/links';
import { setRecordHealth } from '../../src/store/state/recordHealth';
import type { Queryable } from '../../src/store/types';
import { describeEachBackend, resetDatabase } from '../support/backends';
import { contactFields, ORG_ID, seedOrg } from '../support/fixtures';

/** An outbox row as the write-back queue leaves it; only what the sweeps look at. */
async function outboxRow(
  q: Queryable,
  row: { contactId: string; recordId?: string; operation: 'create' | 'update'; state: string; createdAt?: string },
): Promise<void> {
  await q.query(
    `INSERT INTO outbox (org_id, contact_id, sobject, record_id, operation, payload_hash, state, created_at)
     VALUES ($1, $2, 'Contact', $3, $4, 'h', $5, COALESCE($6::timestamptz, now()))`,
    [ORG_ID, row.contactId, row.recordId ?? null, row.operation, row.state, row.createdAt ?? null],
  );
}

describeEachBackend('directory sweeps', (getDb) => {
  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
    await seedOrg(getDb(), 'org-2');
  });

  it('finds the telephony-born contacts an org has no record of, in id order, page by page', async () => {
    const born = async () => (await insertContact(getDb(), contactFields(), 'telephony')).id;
    const [unknown1, unknown2, linked, excluded, queued, parked, sent, linkedElsewhere] = [
      await born(),
      await born(),
      await born(),
      await born(),
      await born(),
      await born(),
      await born(),
      await born(),
    ];
    await insertContact(getDb(), contactFields(), 'salesforce');
    await createLink(getDb(), { orgId: ORG_ID, contactId: linked, sobject: 'Contact', recordId: '003A' });
    await createLink(getDb(), { orgId: 'org-2', contactId: linkedElsewhere, sobject: 'Contact', recordId: '003B' });
    await setRecordHealth(getDb(), {
      orgId: ORG_ID,
      side: 'telephony',
      key: excluded,
      state: 'excluded',
      code: 'EXCLUDED_NO_LAST_NAME',
      reason: 'no last name',
    });
    await outboxRow(getDb(), { contactId: queued, operation: 'create', state: 'pending' });
    await outboxRow(getDb(), { contactId: parked, operation: 'create', state: 'failed' });
    await outboxRow(getDb(), { contactId: sent, operation: 'create', state: 'done' });

    const expected = [unknown1, unknown2, sent, linkedElsewhere].sort();
    expect(await telephonyContactsUnknownTo(getDb(), ORG_ID, null, 100)).toEqual(expected);
    const first = await telephonyContactsUnknownTo(getDb(), ORG_ID, null, 3);
    expect(first).toEqual(expected.slice(0, 3));
    expect(await telephonyContactsUnknownTo(getDb(), ORG_ID, first[2], 3)).toEqual(expected.slice(3));
  });

  it('finds the primary links whose contact changed with no write-back on its way, keyset by change time', async () => {
    const contact = async (recordId: string, role?: 'secondary') => {
      const id = (await insertContact(getDb(), contactFields(), 'salesforce')).id;
      if (role)
        await createLink(getDb(), {
          orgId: ORG_ID,
          contactId: (await insertContact(getDb(), contactFields(), 'salesforce')).id,
          sobject: 'Contact',
          recordId: `${recordId}P`,
        });
      await createLink(getDb(), {
        orgId: ORG_ID,
        contactId: id,
        sobject: 'Contact',
        recordId,
        telephonyHash: `hash of ${recordId}`,
        role,
      });
      return id;
    };
    const plain = await contact('003A');
    const pending = await contact('003B');
    const parkedOlder = await contact('003C');
    const parkedNewer = await contact('003D');
    await contact('003E', 'secondary');
    await outboxRow(getDb(), { contactId: pending, recordId: '003B', operation: 'update', state: 'pending' });
    await outboxRow(getDb(), {
      contactId: parkedOlder,
      recordId: '003C',
      operation: 'update',
      state: 'failed',
      createdAt: '2000-01-01T00:00:00Z',
    });
    await outboxRow(getDb(), {
      contactId: parkedNewer,
      recordId: '003D',
      operation: 'update',
      state: 'failed',
      createdAt: '2999-01-01T00:00:00Z',
    });

    const whole = await changedPrimaryLinks(getDb(), ORG_ID, changedLinksFrom(null), 100);
    const all = whole.links;
    // The secondary's record is left out; its primary ('003EP', another contact) is in.
    expect(all.map((l) => l.recordId).sort()).toEqual(['003A', '003C', '003EP']);
    expect(all.find((l) => l.recordId === '003A')).toMatchObject({ contactId: plain, telephonyHash: 'hash of 003A' });
    expect(all.every((l, i) => i === 0 || all[i - 1].updatedAt <= l.updatedAt)).toBe(true);
    // Six contacts passed; none known to be as its link saw it (these links do not know the version).
    expect(whole).toMatchObject({ scanned: 6, unchanged: 0 });

    // Step by step through the cursor, two contacts a step: the same links, none twice.
    const stepped: string[] = [];
    let cursor = changedLinksFrom(null);
    for (let steps = 0; steps < 10; steps++) {
      const page = await changedPrimaryLinks(getDb(), ORG_ID, cursor, 2);
      stepped.push(...page.links.map((l) => l.recordId));
      if (page.scanned < 2 || !page.scannedTo) break;
      cursor = page.scannedTo;
    }
    expect(stepped).toEqual(all.map((l) => l.recordId));

    // Only changes after `from`: an edit now is found from a second ago, nothing from the future.
    await updateContact(getDb(), plain, { title: 'Edited' });
    const since = new Date(Date.now() - 1000).toISOString();
    expect(
      (await changedPrimaryLinks(getDb(), ORG_ID, changedLinksFrom(since), 100)).links.map((l) => l.recordId),
    ).toContain('003A');
    expect(await changedPrimaryLinks(getDb(), ORG_ID, changedLinksFrom('2999-01-01T00:00:00.000Z'), 100)).toEqual({
      links: [],
      unchanged: 0,
      scanned: 0,
      scannedTo: null,
    });
  });
});
