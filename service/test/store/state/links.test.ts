import { deleteContact, insertContact } from '../../../src/directory/contacts';
import {
  contactsLinkedIn,
  countLinks,
  createLink,
  deleteLink,
  findLinkByRecord,
  findLinksByContact,
  insertLinksBulk,
  linkedContactsByRecord,
  linkedRecordIds,
  type NewBulkLink,
  updateLink,
} from '../../../src/store/state/links';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import { contactFields, ORG_ID, seedOrg } from '../../support/fixtures';

describeEachBackend('links', (getDb) => {
  let contactId: string;

  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
    contactId = (await insertContact(getDb(), contactFields(), 'salesforce')).id;
  });

  it('creates a link and finds it by record and by contact', async () => {
    const link = await createLink(getDb(), {
      orgId: ORG_ID,
      contactId,
      sobject: 'Contact',
      recordId: '003000000000001AAA',
      sfHash: 'sf1',
      sfModstamp: '2024-05-01T10:00:00.000Z',
      sfValues: { LastName: 'Lovelace', DoNotCall: false, Rank: 3, Phone: null },
    });
    expect(link).toMatchObject({
      orgId: ORG_ID,
      contactId,
      sobject: 'Contact',
      recordId: '003000000000001AAA',
      sfHash: 'sf1',
      telephonyHash: null,
      sfModstamp: '2024-05-01T10:00:00.000Z',
      sfValues: { LastName: 'Lovelace', DoNotCall: false, Rank: 3, Phone: null },
    });
    expect(link.id).toMatch(/^\d+$/);
    expect(await findLinkByRecord(getDb(), ORG_ID, '003000000000001AAA')).toEqual(link);
    expect(await findLinkByRecord(getDb(), 'other-org', '003000000000001AAA')).toBeNull();
    expect(await findLinksByContact(getDb(), contactId)).toEqual([link]);
    expect(await findLinksByContact(getDb(), 'not-a-uuid')).toEqual([]);
  });

  it('links one record of an org to one contact only', async () => {
    await createLink(getDb(), { orgId: ORG_ID, contactId, sobject: 'Contact', recordId: '003A' });
    await expect(
      createLink(getDb(), { orgId: ORG_ID, contactId, sobject: 'Contact', recordId: '003A' }),
    ).rejects.toThrow(/duplicate key|unique/i);
    const second = await createLink(getDb(), { orgId: ORG_ID, contactId, sobject: 'Lead', recordId: '00QB' });
    expect((await findLinksByContact(getDb(), contactId)).map((l) => l.recordId)).toEqual(['003A', second.recordId]);
  });

  it('updates only the given keys and can move a link to another contact', async () => {
    const link = await createLink(getDb(), {
      orgId: ORG_ID,
      contactId,
      sobject: 'Contact',
      recordId: '003A',
      sfHash: 'a',
      telephonyHash: 'b',
    });
    await updateLink(getDb(), link.id, { telephonyHash: 'c' });
    expect(await findLinkByRecord(getDb(), ORG_ID, '003A')).toMatchObject({
      sfHash: 'a',
      telephonyHash: 'c',
      sfModstamp: null,
      sfValues: null,
    });

    await updateLink(getDb(), link.id, { sfValues: { Title: 'CEO', Tags: null } });
    expect((await findLinkByRecord(getDb(), ORG_ID, '003A'))?.sfValues).toEqual({ Title: 'CEO', Tags: null });

    await updateLink(getDb(), link.id, { sfHash: null, sfModstamp: '2024-06-01T00:00:00Z' });
    expect(await findLinkByRecord(getDb(), ORG_ID, '003A')).toMatchObject({
      sfHash: null,
      telephonyHash: 'c',
      sfModstamp: '2024-06-01T00:00:00.000Z',
    });

    const other = (await insertContact(getDb(), contactFields({ firstName: 'Other' }), 'telephony')).id;
    await updateLink(getDb(), link.id, { contactId: other });
    expect(await findLinksByContact(getDb(), contactId)).toEqual([]);
    expect((await findLinksByContact(getDb(), other)).map((l) => l.id)).toEqual([link.id]);
  });

  it('rejects bad input naming the field', async () => {
    await expect(
      createLink(getDb(), { orgId: ORG_ID, contactId: 'x', sobject: 'Contact', recordId: '003A' }),
    ).rejects.toThrow(/contactId: expects a contact id \(uuid\), got "x" \(record 003A\)/);
    await expect(
      createLink(getDb(), { orgId: ORG_ID, contactId, sobject: 'Contact', recordId: '003A', sfModstamp: 'yesterday' }),
    ).rejects.toThrow(/sfModstamp: expects an ISO 8601 timestamp, got "yesterday" \(record 003A\)/);
    await expect(updateLink(getDb(), 'abc', { telephonyHash: 'x' })).rejects.toThrow(/linkId: expects a link id/);
    await expect(
      createLink(getDb(), {
        orgId: ORG_ID,
        contactId,
        sobject: 'Contact',
        recordId: '003A',
        sfValues: { Phones: ['a'] } as never,
      }),
    ).rejects.toThrow(/sfValues\.Phones: expects a string, number, boolean or null, got object \(record 003A\)/);
  });

  it('deletes a link, and deleting its contact deletes it too', async () => {
    const a = await createLink(getDb(), { orgId: ORG_ID, contactId, sobject: 'Contact', recordId: '003A' });
    await createLink(getDb(), { orgId: ORG_ID, contactId, sobject: 'Contact', recordId: '003B' });
    await deleteLink(getDb(), a.id);
    expect(await findLinkByRecord(getDb(), ORG_ID, '003A')).toBeNull();
    await deleteContact(getDb(), contactId);
    expect(await findLinkByRecord(getDb(), ORG_ID, '003B')).toBeNull();
  });

  it('tells which of a batch of contacts are linked in the org', async () => {
    await seedOrg(getDb(), 'org-2');
    const other = (await insertContact(getDb(), contactFields(), 'telephony')).id;
    const unlinked = (await insertContact(getDb(), contactFields(), 'telephony')).id;
    await createLink(getDb(), { orgId: ORG_ID, contactId, sobject: 'Contact', recordId: '003A' });
    await createLink(getDb(), { orgId: ORG_ID, contactId, sobject: 'Lead', recordId: '00QB' });
    await createLink(getDb(), { orgId: 'org-2', contactId: other, sobject: 'Contact', recordId: '003C' });
    expect(await contactsLinkedIn(getDb(), ORG_ID, [contactId, other, unlinked])).toEqual(new Set([contactId]));
    expect(await contactsLinkedIn(getDb(), 'org-2', [contactId, other, unlinked])).toEqual(new Set([other]));
    expect(await contactsLinkedIn(getDb(), ORG_ID, [])).toEqual(new Set());
  });

  it("counts the org's links", async () => {
    await seedOrg(getDb(), 'org-2');
    expect(await countLinks(getDb(), ORG_ID)).toBe(0);
    await createLink(getDb(), { orgId: ORG_ID, contactId, sobject: 'Contact', recordId: '003A' });
    await createLink(getDb(), { orgId: ORG_ID, contactId, sobject: 'Lead', recordId: '00QB' });
    await createLink(getDb(), { orgId: 'org-2', contactId, sobject: 'Contact', recordId: '003A' });
    expect(await countLinks(getDb(), ORG_ID)).toBe(2);
    expect(await countLinks(getDb(), 'org-2')).toBe(1);
  });

  it('finds which records of a batch the org links, and their contacts', async () => {
    await seedOrg(getDb(), 'org-2');
    const other = (await insertContact(getDb(), contactFields({ firstName: 'Other' }), 'salesforce')).id;
    await createLink(getDb(), { orgId: ORG_ID, contactId, sobject: 'Contact', recordId: '003A' });
    await createLink(getDb(), { orgId: ORG_ID, contactId: other, sobject: 'Lead', recordId: '00QB' });
    await createLink(getDb(), { orgId: 'org-2', contactId, sobject: 'Contact', recordId: '003C' });

    expect(await linkedRecordIds(getDb(), ORG_ID, ['003A', '00QB', '003C'])).toEqual(new Set(['003A', '00QB']));
    expect(await linkedRecordIds(getDb(), ORG_ID, [])).toEqual(new Set());
    expect(await linkedContactsByRecord(getDb(), ORG_ID, ['003A', '00QB', '003C'])).toEqual(
      new Map([
        ['003A', contactId],
        ['00QB', other],
      ]),
    );
    expect(await linkedContactsByRecord(getDb(), ORG_ID, [])).toEqual(new Map());
  });

  it('inserts a page of primary links at once, and refuses a record the org already links', async () => {
    // One primary link per contact and org: the page's two records are two people.
    const other = (await insertContact(getDb(), contactFields({ firstName: 'Other' }), 'salesforce')).id;
    const page: NewBulkLink[] = [
      {
        contactId,
        sobject: 'Contact',
        recordId: '003A',
        sfValues: { LastName: 'Lovelace', Rank: 3 },
        sfHash: 'sf',
        telephonyHash: 'tel',
        sfModstamp: '2024-05-01T10:00:00Z',
        telephonyVersion: 1,
      },
      {
        contactId: other,
        sobject: 'Lead',
        recordId: '00QB',
        sfValues: {},
        sfHash: 'sf2',
        telephonyHash: 'tel2',
        sfModstamp: null,
        telephonyVersion: null,
      },
    ];
    await insertLinksBulk(getDb(), ORG_ID, []);
    await insertLinksBulk(getDb(), ORG_ID, page);
    expect(await findLinkByRecord(getDb(), ORG_ID, '003A')).toMatchObject({
      contactId,
      sobject: 'Contact',
      sfValues: { LastName: 'Lovelace', Rank: 3 },
      sfHash: 'sf',
      telephonyHash: 'tel',
      sfModstamp: '2024-05-01T10:00:00.000Z',
      role: 'primary',
    });
    expect(await findLinkByRecord(getDb(), ORG_ID, '00QB')).toMatchObject({ sfModstamp: null, sfValues: {} });
    await expect(insertLinksBulk(getDb(), ORG_ID, [page[0]])).rejects.toThrow(/duplicate key|unique/i);
  });
});
