import {
  eventually,
  linkedContact,
  linkedContactId,
  quietDelete,
  startStack,
  uiCreate,
  updateSyncRecord,
  type Stack,
} from '../../support/harness';
import { getContact, insertContact } from '../../../src/directory/contacts';
import { listAudit } from '../../../src/store/audit';
import { findLinkByRecord } from '../../../src/store/state/links';

const ORG = 'primary';

describe('Salesforce deletes', () => {
  let stack: Stack;
  const uiDelete = (sobject: 'Contact' | 'Lead', id: string) => {
    const [result] = stack.emulator.org.store.delete(sobject, [id], stack.emulator.org.adminUser);
    expect(result.success).toBe(true);
  };
  const lastAuditOf = async (contactId: string) => (await listAudit(stack.db, { contactId, limit: 5 }))[0];

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('remove the directory contact when deletes propagate to telephony (the default)', async () => {
    const id = uiCreate(stack, 'Contact', { LastName: 'Babbage', Phone: '+44 20 7946 0100' });
    const contactId = await linkedContactId(stack, id);
    uiDelete('Contact', id);
    await eventually(
      async () => (await getContact(stack.db, contactId)) === null || undefined,
      'the contact to leave the directory',
    );
    expect(await findLinkByRecord(stack.db, ORG, id)).toBeNull();
    expect(await lastAuditOf(contactId)).toMatchObject({ action: 'delete', origin: 'salesforce', recordId: id });
  });

  it('keep a contact born in the phone system, only unlinking it', async () => {
    const phoneBorn = await insertContact(
      stack.db,
      { lastName: 'Lovelace', email: 'ada@example.org', phones: [] },
      'telephony',
    );
    const id = uiCreate(stack, 'Lead', {
      LastName: 'Lovelace',
      Company: 'Analytical',
      Email: 'ada@example.org',
      Phone: '+44 20 7946 0101',
    });
    await eventually(
      async () => (await linkedContact(stack, id))?.id === phoneBorn.id || undefined,
      'the lead to join the phone-born contact',
    );
    uiDelete('Lead', id);
    await eventually(async () => (await findLinkByRecord(stack.db, ORG, id)) === null || undefined, 'the unlink');
    expect(await getContact(stack.db, phoneBorn.id)).not.toBeNull();
    expect((await lastAuditOf(phoneBorn.id)).rule).toMatch(/contact kept: it was created in the phone system$/);
  });

  it('reach the directory through the reconcile when their event was lost', async () => {
    const id = uiCreate(stack, 'Contact', { LastName: 'Boole', Phone: '+353 21 490 1000' });
    const contactId = await linkedContactId(stack, id);
    quietDelete(stack, 'Contact', [id]);
    const result = await stack.service.orgs[0].runReconcileNow();
    expect(result.deleted).toBe(1);
    expect(await getContact(stack.db, contactId)).toBeNull();
    expect((await lastAuditOf(contactId)).rule).toBe(`reconcile: Contact ${id} deleted`);
  });

  it('only unlink, keeping the contact, when deletes do not propagate to telephony', async () => {
    await updateSyncRecord(stack, { Propagate_Deletes_To_Telephony__c: false });
    expect(stack.service.orgs[0].settings.policy.propagateDeletes.toTelephony).toBe(false);
    const id = uiCreate(stack, 'Contact', { LastName: 'Turing', Phone: '+44 161 496 0102' });
    const contactId = await linkedContactId(stack, id);
    uiDelete('Contact', id);
    await eventually(async () => (await findLinkByRecord(stack.db, ORG, id)) === null || undefined, 'the unlink');
    expect(await getContact(stack.db, contactId)).toMatchObject({ lastName: 'Turing' });
    const entry = await lastAuditOf(contactId);
    expect(entry).toMatchObject({ action: 'unlink', recordId: id });
    expect(entry.rule).toMatch(/contact kept: deletes do not propagate to telephony$/);

    const quiet = uiCreate(stack, 'Contact', { LastName: 'Zuse', Phone: '+49 30 1234 5678' });
    const quietContact = await linkedContactId(stack, quiet);
    quietDelete(stack, 'Contact', [quiet]);
    expect((await stack.service.orgs[0].runReconcileNow()).deleted).toBe(1);
    expect(await getContact(stack.db, quietContact)).not.toBeNull();
    expect(await findLinkByRecord(stack.db, ORG, quiet)).toBeNull();
  });
});
