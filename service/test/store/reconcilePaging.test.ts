import { v7 as timeOrderedUuid } from 'uuid';
import { insertContactsBulk, insertLinksBulk } from '../../src/directory/bulkLoad';
import { reconcileTelephony } from '../../src/sync/reconcileTelephony';
import { stableHash } from '../../src/sync/hash';
import { contactView } from '../../src/sync/contactView';
import type { ContactFields, DirectoryContact } from '../../src/directory/model';
import { describeEachBackend, resetDatabase } from './backends';
import { CONTACT_SYNC, contactFields, ORG_ID, seedOrg } from './fixtures';

const settings = CONTACT_SYNC;

describeEachBackend('reconcile of the directory side, page by page', (getDb) => {
  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
  });

  /** Contacts and links written in one transaction (one timestamp), as an initial sync page writes them. */
  async function loadTogether(count: number, telHashOf: (fields: ContactFields) => string): Promise<void> {
    await getDb().transaction(async (tx) => {
      const contacts = Array.from({ length: count }, (_, i) => ({ id: timeOrderedUuid(), fields: contactFields({ lastName: `Same Moment ${i}`, phones: [] }) }));
      await insertContactsBulk(tx, contacts, 'salesforce');
      const sfValues = { LastName: 'Salesforce value' };
      await insertLinksBulk(
        tx,
        ORG_ID,
        contacts.map((c, i) => ({ contactId: c.id, sobject: 'Contact', recordId: `003${String(i).padStart(12, '0')}AAA`, sfValues, sfHash: 'h', telHash: telHashOf(c.fields), sfModstamp: null })),
      );
    });
  }

  it('pages through more contacts than a page holds that changed in one transaction (one timestamp, to the microsecond)', async () => {
    await loadTogether(1_200, () => 'seen before the directory changed');
    const result = await reconcileTelephony(getDb(), settings, null);
    expect(result).toMatchObject({ checked: 1_200, repaired: 1_200, newest: expect.any(String) });
  });

  it('passes over contacts as their links saw them, and repairs none', async () => {
    await loadTogether(600, (fields) => stableHash(contactView({ ...fields, id: '', source: 'salesforce', version: 1, createdAt: '', updatedAt: '' } as DirectoryContact)));
    expect(await reconcileTelephony(getDb(), settings, null)).toMatchObject({ checked: 600, repaired: 0 });
  });
});
