import {
  eventually,
  flushEvents,
  linkedContact,
  linkedContactId,
  startStack,
  uiCreate,
  uiUpdate,
  updateSyncRecord,
  type Stack,
} from '../support/harness';
import { countContacts, getContact } from '../../src/directory/contacts';
import { listOutbox } from '../../src/store/outbox/outbox';
import { findLinkByRecord } from '../../src/store/state/links';

const ORG = 'primary';

let numbers = 0;
const nextNumber = () => `+1 312 555 ${String(400 + numbers++).padStart(4, '0')}`;

const sfContact = (stack: Stack, id: string) => stack.emulator.org.store.get('Contact', id);
const outboxOf = async (stack: Stack, recordId: string) =>
  (await listOutbox(stack.db, { orgId: ORG, limit: 200 })).filter((o) => o.recordId === recordId);

describe('direction gates, per sync and per mapped field', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  afterEach(async () => {
    await updateSyncRecord(stack, { Direction__c: 'Both' });
  });

  it('both: Salesforce changes reach the directory and directory edits reach Salesforce', async () => {
    const id = uiCreate(stack, 'Contact', { LastName: 'Both', Phone: nextNumber() });
    const contactId = await linkedContactId(stack, id);
    uiUpdate(stack, 'Contact', id, { Title: 'From Salesforce' });
    await eventually(
      async () => (await getContact(stack.db, contactId))?.title === 'From Salesforce' || undefined,
      'the Salesforce change',
    );
    const res = await stack.api('PATCH', `/contacts/${contactId}`, { title: 'From the directory' });
    expect(res.body.queuedWriteBacks).toBe(1);
    await eventually(() => sfContact(stack, id)?.Title === 'From the directory' || undefined, 'the write-back');
  });

  it('Salesforce → telephony: Salesforce changes apply, directory edits queue nothing', async () => {
    const id = uiCreate(stack, 'Contact', { LastName: 'OneWay', Phone: nextNumber() });
    const contactId = await linkedContactId(stack, id);
    await updateSyncRecord(stack, { Direction__c: 'ToTelephony' });
    uiUpdate(stack, 'Contact', id, { Title: 'Still arrives' });
    await eventually(
      async () => (await getContact(stack.db, contactId))?.title === 'Still arrives' || undefined,
      'the Salesforce change',
    );
    const res = await stack.api('PATCH', `/contacts/${contactId}`, { title: 'Stays here' });
    expect(res.status).toBe(200);
    expect(res.body.queuedWriteBacks).toBe(0);
    expect(await outboxOf(stack, id)).toEqual([]);
    expect(sfContact(stack, id)?.Title).toBe('Still arrives');
  });

  it('telephony → Salesforce: Salesforce values never reach the directory, but the link learns them so write-backs diff correctly', async () => {
    const id = uiCreate(stack, 'Contact', { LastName: 'Master', Title: 'Old', Phone: nextNumber() });
    const contactId = await linkedContactId(stack, id);
    await updateSyncRecord(stack, { Direction__c: 'ToSalesforce' });
    // The package's trigger sends nothing in this direction; the records arrive by "sync these records now".
    uiUpdate(stack, 'Contact', id, { Title: 'Changed in Salesforce', FirstName: 'Sf' });
    const unlinked = uiCreate(stack, 'Contact', { LastName: 'Nowhere', Phone: nextNumber() });
    const before = await countContacts(stack.db);
    expect(await stack.service.orgs[0].syncRecords([id, unlinked])).toMatchObject({ applied: 2, skipped: [] });

    expect(await getContact(stack.db, contactId)).toMatchObject({ title: 'Old', firstName: null });
    expect(await countContacts(stack.db)).toBe(before);
    expect(await findLinkByRecord(stack.db, ORG, unlinked)).toBeNull();
    expect((await findLinkByRecord(stack.db, ORG, id))?.sfValues).toMatchObject({
      Title: 'Changed in Salesforce',
      FirstName: 'Sf',
    });

    // The directory edit sends its title; the first name it did not touch is not sent back over Salesforce's.
    const res = await stack.api('PATCH', `/contacts/${contactId}`, { title: 'Directory decides' });
    expect(res.body.queuedWriteBacks).toBe(1);
    expect((await outboxOf(stack, id)).map((o) => o.payload)).toEqual([{ Title: 'Directory decides' }]);
    await eventually(() => sfContact(stack, id)?.Title === 'Directory decides' || undefined, 'the write-back');
    expect(sfContact(stack, id)?.FirstName).toBe('Sf');
  });

  it("honours each mapped field's own direction both ways", async () => {
    const org = stack.emulator.org;
    const syncId = org.store.idFor('Switchboard_Sync__c', 0);
    const rows = [
      ['LastName', 'lastName', 'Both'],
      ['Phone', 'phone.work', 'Both'],
      ['Title', 'title', 'ToTelephony'],
      ['Email', 'email', 'ToSalesforce'],
    ].map(([field, telephonyField, direction]) => ({
      Sync__c: syncId,
      Salesforce_Object__c: 'Contact',
      Salesforce_Field__c: field,
      Telephony_Field__c: telephonyField,
      Direction__c: direction,
      Transform__c: 'None',
    }));
    const inserted = org.store.insert('Switchboard_Field_Mapping__c', rows, org.adminUser);
    try {
      await stack.service.orgs[0].reloadSettings();
      const id = uiCreate(stack, 'Contact', {
        LastName: 'PerField',
        Title: 'Inbound',
        Email: 'never.inbound@example.com',
        Phone: nextNumber(),
      });
      const contact = await eventually(() => linkedContact(stack, id), 'the contact');
      expect(contact).toMatchObject({ title: 'Inbound', email: null });

      const titleOnly = await stack.api('PATCH', `/contacts/${contact.id}`, { title: 'Not sent' });
      expect(titleOnly.body.queuedWriteBacks).toBe(0);
      const email = await stack.api('PATCH', `/contacts/${contact.id}`, { email: 'outbound@example.com' });
      expect(email.body.queuedWriteBacks).toBe(1);
      await eventually(
        () => sfContact(stack, id)?.Email === 'outbound@example.com' || undefined,
        'the email write-back',
      );
      expect(sfContact(stack, id)?.Title).toBe('Inbound');
    } finally {
      org.store.delete(
        'Switchboard_Field_Mapping__c',
        inserted.map((r) => String(r.id)),
        org.adminUser,
      );
      await stack.service.orgs[0].reloadSettings();
    }
  });

  it('never writes the company (Account.Name) back', async () => {
    const accountId = stack.emulator.org.store.idFor('Account', 0);
    const accountName = stack.emulator.org.store.get('Account', accountId)?.Name;
    const id = uiCreate(stack, 'Contact', { LastName: 'Employee', AccountId: accountId, Phone: nextNumber() });
    const contact = await eventually(() => linkedContact(stack, id), 'the contact');
    expect(contact.company).toBe(accountName);
    const res = await stack.api('PATCH', `/contacts/${contact.id}`, { company: 'Renamed in the directory' });
    expect(res.body.queuedWriteBacks).toBe(0);
    await flushEvents(stack);
    expect(stack.emulator.org.store.get('Account', accountId)?.Name).toBe(accountName);
    expect(await outboxOf(stack, id)).toEqual([]);
  });
});
