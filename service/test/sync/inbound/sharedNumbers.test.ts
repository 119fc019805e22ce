import {
  eventually,
  flushEvents,
  linkedContactId,
  quietUpdate,
  runtimeOf,
  startStack,
  uiCreate,
  uiUpdate,
  type Stack,
} from '../../support/harness';
import { getContact } from '../../../src/directory/contacts';
import { findLinkByRecord, findLinksByContact } from '../../../src/store/state/links';
import { forgetSync } from '../../../src/store/state/forgetSync';
import { listAudit } from '../../../src/store/audit';

/**
 * Two people of one org on one office number (issue 12 item 6): the directory contact shows the primary
 * record, and only it. The secondary record never writes into the contact — not when it joins, not when
 * it is edited, not through a blank of the primary's it could fill — and which record is primary does not
 * change because the service wrote its own status fields into the other one (which moves SystemModstamp
 * and LastModifiedDate), nor when the sync is deleted and made again.
 */

const ORG = 'primary';

describe('a shared office number', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  const role = async (recordId: string) => (await findLinkByRecord(stack.db, ORG, recordId))?.role;
  const modstamp = (sobject: 'Contact' | 'Lead', id: string) =>
    String(stack.emulator.org.store.get(sobject, id)?.SystemModstamp ?? '');

  it("keeps the first record's person on the contact: the colleague is a secondary that never fills a blank, and a re-sync after the service's status writes changes nothing", async () => {
    const number = '+1 415 555 0199';
    const alice = uiCreate(stack, 'Contact', {
      FirstName: 'Alice',
      LastName: 'Able',
      Title: 'Receptionist',
      Phone: number,
    });
    const contactId = await linkedContactId(stack, alice);
    const alicesContact = {
      firstName: 'Alice',
      lastName: 'Able',
      title: 'Receptionist',
      email: null,
    };
    expect(await getContact(stack.db, contactId)).toMatchObject(alicesContact);

    // A colleague on the same line, created later: a different person with an email Alice lacks.
    const bob = uiCreate(stack, 'Contact', {
      FirstName: 'Bob',
      LastName: 'Baker',
      Email: 'bob.baker@example.com',
      Phone: number,
    });
    await eventually(async () => (await role(bob)) === 'secondary' || undefined, "Bob's record linked as secondary");
    expect(await role(alice)).toBe('primary');
    expect(await getContact(stack.db, contactId)).toMatchObject(alicesContact);

    // Bob is edited (he is now the most recently modified): his values stay on his link.
    uiUpdate(stack, 'Contact', bob, { Title: 'Sales' });
    await eventually(
      async () => (await findLinkByRecord(stack.db, ORG, bob))?.sfValues?.Title === 'Sales' || undefined,
      "Bob's edit on his link",
    );
    await flushEvents(stack);
    expect(await role(bob)).toBe('secondary');
    expect(await role(alice)).toBe('primary');
    expect(await getContact(stack.db, contactId)).toMatchObject(alicesContact);

    // The service writes its status fields into both records; Bob's is written last, so his record is
    // now the one Salesforce says was modified last.
    await runtimeOf(stack).reporter.flush();
    quietUpdate(stack, 'Contact', bob, { Switchboard_Sync_Note__c: 'Linked as a secondary record' });
    expect(modstamp('Contact', bob) > modstamp('Contact', alice)).toBe(true);

    // The sync is deleted and made again; the records come back, Bob's first.
    await forgetSync(stack.db, ORG, false);
    await runtimeOf(stack).syncRecords([bob]);
    await runtimeOf(stack).syncRecords([alice]);
    expect(await role(alice)).toBe('primary');
    expect(await role(bob)).toBe('secondary');
    expect((await findLinksByContact(stack.db, contactId)).map((l) => l.recordId).sort()).toEqual([alice, bob].sort());
    expect(await getContact(stack.db, contactId)).toMatchObject(alicesContact);
    const rules = (await listAudit(stack.db, { contactId, limit: 50 })).map((a) => a.rule ?? '');
    expect(rules.some((r) => r.includes(`primary Contact ${alice} (both Contact, ${alice} is the older record`))).toBe(
      true,
    );
  });
});
