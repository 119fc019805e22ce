import {
  eventually,
  linkedContact,
  linkedContactId,
  startStack,
  uiCreate,
  uiUpdate,
  updateSyncRecord,
  type Stack,
} from '../../support/harness';
import { getContact, insertContact } from '../../../src/directory/contacts';
import { listAudit, type AuditRecord } from '../../../src/store/audit';
import { listOutbox } from '../../../src/store/outbox/outbox';
import { LEAD_COMPANY_PLACEHOLDER } from '../../../src/sync/outbound/salesforceRequirements';

const ORG = 'primary';

let numbers = 0;
function nextNumber(): { raw: string; e164: string } {
  const n = String(300 + numbers++).padStart(4, '0');
  return { raw: `+1 212 555 ${n}`, e164: `+1212555${n}` };
}

async function conflictEntry(stack: Stack, recordId: string): Promise<AuditRecord> {
  return eventually(
    async () =>
      (await listAudit(stack.db, { limit: 200 })).find((a) => a.recordId === recordId && a.action === 'conflict'),
    `the conflict entry of ${recordId}`,
  );
}

const sfRecord = (stack: Stack, id: string) => stack.emulator.org.store.get('Contact', id);

describe('conflict winner, both kinds', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  afterEach(async () => {
    await updateSyncRecord(stack, { Conflict_Winner__c: 'Salesforce' });
    stack.service.orgs[0].writeBack.start();
  });

  async function phoneBorn(firstName: string, title: string | null) {
    const number = nextNumber();
    const contact = await insertContact(
      stack.db,
      {
        firstName,
        lastName: 'Matched',
        title,
        phones: [{ kind: 'work', raw: number.raw, e164: number.e164, extension: null }],
      },
      'telephony',
    );
    return { contact, number };
  }

  it("(a) Salesforce wins: a matching record's differing values replace the directory's, empty ones erase nothing, nothing is written back", async () => {
    const { contact, number } = await phoneBorn('Telly', 'Phone title');
    const id = uiCreate(stack, 'Contact', { FirstName: 'Sally', LastName: 'Matched', Phone: number.raw });
    const entry = await conflictEntry(stack, id);
    expect(entry.rule).toContain('kind a');
    expect(entry.rule).toContain('salesforce wins firstName (FirstName)');
    expect(entry.before).toEqual({ firstName: 'Telly' });
    expect(entry.after).toEqual({ firstName: 'Sally' });
    expect(await linkedContact(stack, id)).toMatchObject({ id: contact.id, firstName: 'Sally', title: 'Phone title' });
    expect((await listOutbox(stack.db, { orgId: ORG, limit: 100 })).filter((o) => o.recordId === id)).toEqual([]);
  });

  it('(a) telephony wins: the directory keeps its values and Salesforce gets them', async () => {
    await updateSyncRecord(stack, { Conflict_Winner__c: 'Telephony' });
    const { contact, number } = await phoneBorn('Telly', 'Phone title');
    const id = uiCreate(stack, 'Contact', { FirstName: 'Sally', LastName: 'Matched', Phone: number.raw });
    const entry = await conflictEntry(stack, id);
    expect(entry.rule).toContain('telephony wins firstName (FirstName)');
    expect(entry.before).toEqual({ firstName: 'Sally' });
    expect(entry.after).toEqual({ firstName: 'Telly' });
    expect(await getContact(stack.db, contact.id)).toMatchObject({ firstName: 'Telly', title: 'Phone title' });
    const written = await eventually(
      () => (sfRecord(stack, id)?.FirstName === 'Telly' ? sfRecord(stack, id) : undefined),
      'the write-back of the winning values',
    );
    expect(written).toMatchObject({ FirstName: 'Telly', Title: 'Phone title', LastName: 'Matched' });
  });

  /** A linked contact edited in the directory while its write-back waits (worker stopped), then in Salesforce. */
  async function editedOnBothSides() {
    const id = uiCreate(stack, 'Contact', {
      FirstName: 'Both',
      LastName: 'Sides',
      Title: 'Original',
      Email: 'both.sides@example.com',
      Phone: nextNumber().raw,
    });
    const contactId = await linkedContactId(stack, id);
    await stack.service.orgs[0].writeBack.stop();
    const res = await stack.api('PATCH', `/contacts/${contactId}`, {
      title: 'Directory title',
      email: 'directory@example.com',
    });
    expect(res.status).toBe(200);
    uiUpdate(stack, 'Contact', id, { Title: 'Salesforce title', FirstName: 'Salesforce first' });
    return { id, contactId };
  }

  it('(b) Salesforce wins: field by field, its value stands where both changed and the queued write-back no longer carries it', async () => {
    const { id, contactId } = await editedOnBothSides();
    const entry = await conflictEntry(stack, id);
    expect(entry.rule).toContain('kind b');
    expect(entry.before).toEqual({ title: 'Directory title' });
    expect(entry.after).toEqual({ title: 'Salesforce title' });
    expect(await getContact(stack.db, contactId)).toMatchObject({
      title: 'Salesforce title',
      firstName: 'Salesforce first',
      email: 'directory@example.com',
    });
    const pending = (await listOutbox(stack.db, { orgId: ORG, state: 'pending', limit: 100 })).filter(
      (o) => o.recordId === id,
    );
    expect(pending.map((o) => o.payload)).toEqual([{ Email: 'directory@example.com' }]);

    stack.service.orgs[0].writeBack.start();
    const written = await eventually(
      () => (sfRecord(stack, id)?.Email === 'directory@example.com' ? sfRecord(stack, id) : undefined),
      'the remaining write-back',
    );
    expect(written).toMatchObject({ Title: 'Salesforce title', FirstName: 'Salesforce first' });
  });

  it('(b) telephony wins: the directory keeps its value where both changed, and it is still written back', async () => {
    await updateSyncRecord(stack, { Conflict_Winner__c: 'Telephony' });
    const { id, contactId } = await editedOnBothSides();
    const entry = await conflictEntry(stack, id);
    expect(entry.before).toEqual({ title: 'Salesforce title' });
    expect(entry.after).toEqual({ title: 'Directory title' });
    expect(await getContact(stack.db, contactId)).toMatchObject({
      title: 'Directory title',
      firstName: 'Salesforce first',
      email: 'directory@example.com',
    });

    stack.service.orgs[0].writeBack.start();
    const written = await eventually(
      () => (sfRecord(stack, id)?.Title === 'Directory title' ? sfRecord(stack, id) : undefined),
      'the write-back of the winning value',
    );
    expect(written).toMatchObject({ Email: 'directory@example.com', FirstName: 'Salesforce first' });
  });

  it("(b) telephony wins a Lead's company the directory cleared: the write-back fills the required Company, never sends it empty", async () => {
    await updateSyncRecord(stack, { Conflict_Winner__c: 'Telephony' });
    const id = uiCreate(stack, 'Lead', { LastName: 'Cleared', Company: 'Original Inc', Phone: nextNumber().raw });
    const contactId = await linkedContactId(stack, id);
    await stack.service.orgs[0].writeBack.stop();
    expect((await stack.api('PATCH', `/contacts/${contactId}`, { company: null })).status).toBe(200);
    uiUpdate(stack, 'Lead', id, { Company: 'Salesforce Inc' });
    const entry = await conflictEntry(stack, id);
    expect(entry.after).toEqual({ company: null });
    // The edit's own write-back and the resolution's: both as a Lead can take them.
    const pending = (await listOutbox(stack.db, { orgId: ORG, state: 'pending', limit: 100 })).filter(
      (o) => o.recordId === id,
    );
    expect(pending.map((o) => o.payload)).toEqual([
      { Company: LEAD_COMPANY_PLACEHOLDER },
      { Company: LEAD_COMPANY_PLACEHOLDER },
    ]);

    stack.service.orgs[0].writeBack.start();
    const lead = () => stack.emulator.org.store.get('Lead', id);
    await eventually(
      () => lead()?.Company === LEAD_COMPANY_PLACEHOLDER || undefined,
      'the write-back of the winning company',
    );
    await eventually(
      async () =>
        (await listOutbox(stack.db, { orgId: ORG, limit: 100 }))
          .filter((o) => o.recordId === id)
          .every((o) => o.state === 'done') || undefined,
      'the write-backs to settle',
    );
  });
});
