import { v7 as timeOrderedUuid } from 'uuid';
import { insertContactsBulk, insertLinksBulk } from '../../src/directory/bulkLoad';
import { reconcileTelephony } from '../../src/sync/reconcileTelephony';
import { DEFAULT_MAPPINGS } from '../../src/sync/fieldMap';
import { DEFAULT_POLICY, type OrgSyncSettings } from '../../src/sync/context';
import { describeEachBackend, resetDatabase } from './backends';
import { contactFields, ORG_ID, seedOrg } from './fixtures';

const settings: OrgSyncSettings = {
  orgId: ORG_ID,
  syncId: 'a0A000000000001AAA',
  mappings: DEFAULT_MAPPINGS,
  defaultCountry: 'US',
  objects: ['Contact'],
  policy: DEFAULT_POLICY,
};

describeEachBackend('reconcile of the directory side, page by page', (getDb) => {
  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
  });

  it('pages through more contacts than a page holds that changed in one transaction (one timestamp, to the microsecond)', async () => {
    const count = 1_200;
    await getDb().transaction(async (tx) => {
      const contacts = Array.from({ length: count }, (_, i) => ({ id: timeOrderedUuid(), fields: contactFields({ lastName: `Same Moment ${i}`, phones: [] }) }));
      await insertContactsBulk(tx, contacts, 'salesforce');
      await insertLinksBulk(
        tx,
        ORG_ID,
        contacts.map((c, i) => ({ contactId: c.id, sobject: 'Contact', recordId: `003${String(i).padStart(12, '0')}AAA`, sfValues: {}, sfHash: 'h', telHash: 'h', sfModstamp: null })),
      );
    });
    const result = await reconcileTelephony(getDb(), settings, null);
    expect(result.checked).toBe(count);
    expect(result.newest).toEqual(expect.any(String));
  });
});
