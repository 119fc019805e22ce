import { eventually, startStack, uiUpdate, type Stack } from './harness';
import { findLinkByRecord } from '../../src/sync/links';
import { countContacts, getContact } from '../../src/directory/contacts';

const SEED = { contacts: 40, leads: 15, businessAccounts: 4, personAccounts: 6, users: 3 };

describe('initial sync on first start', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ emulator: { seed: SEED }, initialSync: true });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('loads every Contact, Lead and Person Account (never a business Account) through Bulk API 2.0', async () => {
    const status = await stack.service.orgs[0].initialSyncSettled();
    expect(status).toMatchObject({ state: 'done', records: SEED.contacts + SEED.leads + SEED.personAccounts, error: null });
    const store = stack.emulator.org.store;
    const linked = async (sobject: 'Contact' | 'Lead' | 'Account', index: number) =>
      findLinkByRecord(stack.db, 'primary', store.idFor(sobject, index));
    expect(await linked('Contact', SEED.contacts - 1)).not.toBeNull();
    expect(await linked('Lead', 0)).not.toBeNull();
    expect(await linked('Account', SEED.businessAccounts)).not.toBeNull();
    expect(await linked('Account', 0)).toBeNull();
    expect(await countContacts(stack.db)).toBeLessThanOrEqual(SEED.contacts + SEED.leads + SEED.personAccounts);

    const contact = store.get('Contact', store.idFor('Contact', 3))!;
    const link = await linked('Contact', 3);
    const row = await getContact(stack.db, link!.contactId);
    expect(row).toMatchObject({ lastName: contact.LastName, email: contact.Email, source: 'salesforce' });
    expect(row?.company).toBe(store.resolvePath('Contact', contact, 'Account.Name'));
  });

  it('does not run again on the next start, and live changes keep flowing', async () => {
    await stack.restart();
    expect(stack.service.orgs[0].status().initialSync.state).toBe('done');
    const id = stack.emulator.org.store.idFor('Lead', 2);
    uiUpdate(stack, 'Lead', id, { Title: 'Chief Listener' });
    await eventually(async () => {
      const link = await findLinkByRecord(stack.db, 'primary', id);
      return link && (await getContact(stack.db, link.contactId))?.title === 'Chief Listener' ? true : undefined;
    }, 'the live change after restart');
  });
});
