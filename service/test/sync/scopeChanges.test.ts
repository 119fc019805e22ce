import {
  linkedContact,
  linkedContactId,
  quietCreate,
  startStack,
  uiCreate,
  uiUpdate,
  updateSyncRecord,
  type Stack,
} from '../support/harness';
import { getContact } from '../../src/directory/contacts';
import { listAudit } from '../../src/store/audit';

describe('scope filter in the reconcile', () => {
  let stack: Stack;
  const runtime = () => stack.service.orgs[0];
  const syncId = () => stack.emulator.org.store.idFor('Switchboard_Sync__c', 0);

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('sweeps the whole object once when the scope changes, taking out records it now leaves out', async () => {
    const research = uiCreate(stack, 'Contact', {
      LastName: 'Hamming',
      Department: 'Research',
      Phone: '+1 908 555 0150',
    });
    const contactId = await linkedContactId(stack, research);
    await updateSyncRecord(stack, { Contact_Scope__c: "Department = 'Sales'" });
    const result = await runtime().runReconcileNow();
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect(await getContact(stack.db, contactId)).toBeNull();
    const [entry] = await listAudit(stack.db, { contactId, limit: 1 });
    expect(entry).toMatchObject({ action: 'delete', rule: `reconcile: Contact ${research} left the sync's scope` });
  });

  it('loads only in-scope records, and a record leaving the scope (which publishes no event) leaves the directory', async () => {
    const [sales, support] = quietCreate(stack, 'Contact', [
      { LastName: 'Salesperson', Department: 'Sales', Phone: '+1 415 555 0151' },
      { LastName: 'Supporter', Department: 'Support', Phone: '+1 415 555 0152' },
    ]);
    await runtime().runReconcileNow();
    const contactId = (await linkedContact(stack, sales))?.id;
    expect(contactId).toBeDefined();
    expect(await linkedContact(stack, support)).toBeUndefined();

    uiUpdate(stack, 'Contact', sales, { Department: 'Support' });
    const result = await runtime().runReconcileNow();
    expect(result.perObject.Contact?.gone).toBe(1);
    expect(await linkedContact(stack, sales)).toBeUndefined();
    expect(await getContact(stack.db, String(contactId))).toBeNull();
  });

  it('reports a scope the org refuses as a problem of Contact_Scope__c, skipping only that object', async () => {
    await updateSyncRecord(stack, { Contact_Scope__c: "Nonexistent__c = 'x'", Sync_Leads__c: true });
    const lead = uiCreate(stack, 'Lead', { LastName: 'Lamport', Company: 'SRI', Phone: '+1 650 555 0153' });
    await linkedContactId(stack, lead);
    const result = await runtime().runReconcileNow();
    expect(result.problems).toEqual([
      {
        recordId: syncId(),
        field: 'Contact_Scope__c',
        message: expect.stringMatching(
          /^Salesforce refused the condition: No such column 'Nonexistent__c' on entity 'Contact'/,
        ),
      },
    ]);
    expect(result.perObject.Contact).toBeUndefined();
    expect(result.perObject.Lead?.checked).toBeGreaterThan(0);
    expect(runtime().status().settingsProblems).toContainEqual(
      expect.objectContaining({ recordId: syncId(), field: 'Contact_Scope__c' }),
    );
  });

  it('reports a scope the service will not run as a settings problem as soon as it is read', async () => {
    await updateSyncRecord(stack, { Contact_Scope__c: "Department = 'open" });
    expect(runtime().status().settingsProblems).toContainEqual({
      recordId: syncId(),
      field: 'Contact_Scope__c',
      message: 'has a string that is never closed (from position 14)',
    });
    const result = await runtime().runReconcileNow();
    expect(result.problems.map((p) => p.field)).toEqual(['Contact_Scope__c']);
  });

  it.each([
    ["Department = 'Sales' UPDATE VIEWSTAT", 'must be a WHERE condition only ("UPDATE VIEWSTAT" is not allowed)'],
    ["（Department = 'Sales'）", 'has "（" (U+FF08) at position 1 outside a quoted string: write "(" instead'],
  ])('reports %p as a settings problem of Contact_Scope__c, not as a skipped read', async (scope, message) => {
    await updateSyncRecord(stack, { Contact_Scope__c: scope });
    const problem = { recordId: syncId(), field: 'Contact_Scope__c', message };
    expect(runtime().status().settingsProblems).toContainEqual(problem);
    const result = await runtime().runReconcileNow();
    expect(result.problems).toEqual([problem]);
    expect(result.perObject.Contact).toBeUndefined();
  });
});
