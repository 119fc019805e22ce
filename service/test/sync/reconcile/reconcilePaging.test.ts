import { v7 as timeOrderedUuid } from 'uuid';
import { insertContactsBulk } from '../../../src/directory/bulkLoad';
import { reconcileTelephony } from '../../../src/sync/reconcile/reconcileTelephony';
import { insertContact, updateContact } from '../../../src/directory/contacts';
import { createLink, insertLinksBulk } from '../../../src/store/state/links';
import { listOutbox } from '../../../src/store/outbox/outbox';
import { stableHash } from '../../../src/sync/rules/hash';
import { contactView } from '../../../src/sync/rules/contactView';
import type { ContactFields, DirectoryContact } from '../../../src/directory/model';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import { CONTACT_SYNC, contactFields, ORG_ID, seedOrg } from '../../support/fixtures';

const settings = CONTACT_SYNC;

describeEachBackend('reconcile of the telephony side, page by page', (getDb) => {
  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
  });

  /** Contacts and links written in one transaction (one timestamp), as an initial sync page writes them. */
  async function loadTogether(
    count: number,
    telephonyHashOf: (fields: ContactFields) => string,
    telephonyVersion: number | null = null,
  ): Promise<string[]> {
    return getDb().transaction(async (tx) => {
      const contacts = Array.from({ length: count }, (_, i) => ({
        id: timeOrderedUuid(),
        fields: contactFields({ lastName: `Same Moment ${i}`, phones: [] }),
      }));
      await insertContactsBulk(tx, contacts, 'salesforce');
      const sfValues = { LastName: 'Salesforce value' };
      await insertLinksBulk(
        tx,
        ORG_ID,
        contacts.map((c, i) => ({
          contactId: c.id,
          sobject: 'Contact',
          recordId: `003${String(i).padStart(12, '0')}AAA`,
          sfValues,
          sfHash: 'h',
          telephonyHash: telephonyHashOf(c.fields),
          sfModstamp: null,
          telephonyVersion,
        })),
      );
      return contacts.map((c) => c.id);
    });
  }

  it('pages through more contacts than a page holds that changed in one transaction (one timestamp, to the microsecond)', async () => {
    await loadTogether(1_200, () => 'seen before the directory changed');
    const result = await reconcileTelephony(getDb(), settings, null);
    expect(result).toMatchObject({ checked: 1_200, repaired: 1_200, newest: expect.any(String) });
  });

  it('passes over contacts still at the version their link saw without reading them, and reads one edited since', async () => {
    // As the initial sync's load writes them: contact and link in one transaction, the link knowing the version.
    // The hash is deliberately not the contact's: were the contacts read, every one would be "repaired".
    const ids = await loadTogether(1_200, () => 'not the contact as it is', 1);
    expect(await reconcileTelephony(getDb(), settings, null)).toMatchObject({
      checked: 0,
      unchanged: 1_200,
      repaired: 0,
      newest: expect.any(String),
    });
    await updateContact(getDb(), ids[700] as string, { title: 'Edited in the directory' });
    expect(await reconcileTelephony(getDb(), settings, null)).toMatchObject({
      checked: 1,
      unchanged: 1_199,
      repaired: 1,
    });
    expect((await listOutbox(getDb(), { orgId: ORG_ID, limit: 10 })).map((o) => o.recordId)).toEqual([
      '003000000000700AAA',
    ]);
  });

  it('passes over contacts as their links saw them, and repairs none', async () => {
    await loadTogether(600, (fields) =>
      stableHash(
        contactView({
          ...fields,
          id: '',
          source: 'salesforce',
          version: 1,
          createdAt: '',
          updatedAt: '',
        } as DirectoryContact),
      ),
    );
    expect(await reconcileTelephony(getDb(), settings, null)).toMatchObject({ checked: 600, repaired: 0 });
  });

  it('leaves a secondary record alone: the contact shows its primary, which is no edit to send it', async () => {
    const contact = await insertContact(
      getDb(),
      contactFields({ firstName: 'Primary', lastName: 'Person', phones: [] }),
      'salesforce',
    );
    const view = stableHash(contactView(contact));
    await createLink(getDb(), {
      orgId: ORG_ID,
      contactId: contact.id,
      sobject: 'Contact',
      recordId: '003000000000001AAA',
      role: 'primary',
      sfValues: { FirstName: 'Primary', LastName: 'Person' },
      sfHash: 'p',
      telephonyHash: view,
    });
    // A colleague on the same office line, demoted when the other record outranked it: its values and the
    // contact's differ, and its link saw the contact as it was before.
    await createLink(getDb(), {
      orgId: ORG_ID,
      contactId: contact.id,
      sobject: 'Contact',
      recordId: '003000000000002AAA',
      role: 'secondary',
      sfValues: { FirstName: 'Other', LastName: 'Colleague' },
      sfHash: 's',
      telephonyHash: 'as it was before',
    });
    expect(await reconcileTelephony(getDb(), settings, null)).toMatchObject({ checked: 1, repaired: 0 });
    expect(await listOutbox(getDb(), { limit: 10 })).toEqual([]);
  });
});
