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
} from '../../support/harness';
import { countContacts, getContact, insertContact } from '../../../src/directory/contacts';
import type { DirectoryPhone } from '../../../src/directory/model';
import { getRecordHealth } from '../../../src/store/state/recordHealth';
import { listAudit } from '../../../src/store/audit';
import { findLinkByRecord, findLinksByContact } from '../../../src/store/state/links';
import { forgetSync } from '../../../src/store/state/forgetSync';

const ORG = 'primary';

let numbers = 0;
/** A fresh valid US number per call, so records of different tests never match each other. */
function nextNumber(): { raw: string; e164: string } {
  const n = String(100 + numbers++).padStart(4, '0');
  return { raw: `+1 415 555 ${n}`, e164: `+1415555${n}` };
}

const workPhone = (number: { raw: string; e164: string }): DirectoryPhone => ({
  kind: 'work',
  raw: number.raw,
  e164: number.e164,
  extension: null,
});

const health = (stack: Stack, recordId: string) => getRecordHealth(stack.db, ORG, 'salesforce', recordId);

describe('apply rules: validity, match keys, candidate priority', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  describe('validity', () => {
    afterEach(async () => {
      await updateSyncRecord(stack, {
        Require_Valid_Phone__c: true,
        Require_First_Name__c: false,
        Require_Last_Name__c: true,
      });
    });

    it('excludes a record without a valid phone, visibly, and admits it once it has one', async () => {
      const id = uiCreate(stack, 'Contact', { FirstName: 'Nora', LastName: 'Numberless', Phone: '12' });
      const excluded = await eventually(() => health(stack, id).then((h) => h ?? undefined), 'the exclusion');
      expect(excluded).toMatchObject({
        state: 'excluded',
        code: 'EXCLUDED_NO_VALID_PHONE',
        sobject: 'Contact',
        reason:
          'Phone "12", MobilePhone (empty), HomePhone (empty) and OtherPhone (empty) are not valid numbers for US',
      });
      expect(await findLinkByRecord(stack.db, ORG, id)).toBeNull();
      const audit = (await listAudit(stack.db, { limit: 50 })).filter((a) => a.recordId === id);
      expect(audit.map((a) => a.action)).toEqual(['excluded']);
      expect(audit[0].rule).toContain('EXCLUDED_NO_VALID_PHONE');

      const number = nextNumber();
      uiUpdate(stack, 'Contact', id, { Phone: number.raw });
      const contact = await eventually(() => linkedContact(stack, id), 'the contact once the phone is valid');
      expect(contact.phones).toEqual([workPhone(number)]);
      expect(await health(stack, id)).toBeNull();
    });

    it('admits a record without a valid phone when the rule is off', async () => {
      await updateSyncRecord(stack, { Require_Valid_Phone__c: false });
      const id = uiCreate(stack, 'Contact', { LastName: 'Optional', Phone: 'ask reception' });
      const contact = await eventually(() => linkedContact(stack, id), 'the contact');
      expect(contact.phones).toEqual([{ kind: 'work', raw: 'ask reception', e164: null, extension: null }]);
      expect(await health(stack, id)).toBeNull();
    });

    it('removes a Salesforce-born contact whose record loses its last valid number, and keeps a phone-born one unlinked', async () => {
      const born = uiCreate(stack, 'Contact', { LastName: 'Fading', Phone: nextNumber().raw });
      const bornContact = await linkedContactId(stack, born);
      const number = nextNumber();
      const local = await insertContact(stack.db, { lastName: 'Local', phones: [workPhone(number)] }, 'telephony');
      const joined = uiCreate(stack, 'Contact', { LastName: 'Local', Phone: number.raw });
      await eventually(
        async () => (await linkedContact(stack, joined))?.id === local.id || undefined,
        'the join of the phone-born contact',
      );

      uiUpdate(stack, 'Contact', born, { Phone: null });
      uiUpdate(stack, 'Contact', joined, { Phone: '000' });
      await eventually(() => health(stack, joined).then((h) => h ?? undefined), 'the second exclusion');
      expect(await getContact(stack.db, bornContact)).toBeNull();
      expect(await findLinkByRecord(stack.db, ORG, born)).toBeNull();
      expect(await health(stack, born)).toMatchObject({ code: 'EXCLUDED_NO_VALID_PHONE' });
      expect(await getContact(stack.db, local.id)).toMatchObject({ lastName: 'Local', phones: [workPhone(number)] });
      expect(await findLinksByContact(stack.db, local.id)).toEqual([]);
    });

    it('requires a first name only when the rule is on', async () => {
      const off = uiCreate(stack, 'Contact', { LastName: 'Firstless', Phone: nextNumber().raw });
      await linkedContactId(stack, off);

      await updateSyncRecord(stack, { Require_First_Name__c: true });
      const on = uiCreate(stack, 'Contact', { LastName: 'Firstless', Phone: nextNumber().raw });
      expect(await eventually(() => health(stack, on).then((h) => h ?? undefined), 'the exclusion')).toMatchObject({
        code: 'EXCLUDED_NO_FIRST_NAME',
        reason: 'FirstName (empty) is empty, and a first name is required',
      });
      uiUpdate(stack, 'Contact', on, { FirstName: 'Now' });
      expect(await eventually(() => linkedContact(stack, on), 'the contact with a first name')).toMatchObject({
        firstName: 'Now',
      });
      expect(await health(stack, on)).toBeNull();
    });

    it('requires a last name only when the rule is on (last name mapped from a field that may be empty)', async () => {
      const org = stack.emulator.org;
      const syncId = org.store.idFor('Switchboard_Sync__c', 0);
      const rows = [
        ['FirstName', 'firstName'],
        ['Department', 'lastName'],
        ['Phone', 'phone.work'],
      ].map(([field, telephonyField]) => ({
        Sync__c: syncId,
        Salesforce_Object__c: 'Contact',
        Salesforce_Field__c: field,
        Telephony_Field__c: telephonyField,
        Direction__c: 'Both',
        Transform__c: 'None',
      }));
      const inserted = org.store.insert('Switchboard_Field_Mapping__c', rows, org.adminUser);
      try {
        await updateSyncRecord(stack, { Require_Last_Name__c: true });
        const on = uiCreate(stack, 'Contact', {
          FirstName: 'Dora',
          LastName: 'Required by Salesforce',
          Phone: nextNumber().raw,
        });
        expect(await eventually(() => health(stack, on).then((h) => h ?? undefined), 'the exclusion')).toMatchObject({
          code: 'EXCLUDED_NO_LAST_NAME',
          reason: 'Department (empty) is empty, and a last name is required',
        });
        await updateSyncRecord(stack, { Require_Last_Name__c: false });
        const off = uiCreate(stack, 'Contact', {
          FirstName: 'Dora',
          LastName: 'Required by Salesforce',
          Phone: nextNumber().raw,
        });
        expect(await eventually(() => linkedContact(stack, off), 'the contact without a last name')).toMatchObject({
          firstName: 'Dora',
          lastName: null,
        });
      } finally {
        org.store.delete(
          'Switchboard_Field_Mapping__c',
          inserted.map((r) => String(r.id)),
          org.adminUser,
        );
        await stack.service.orgs[0].reloadSettings();
      }
    });
  });

  describe('match keys', () => {
    afterEach(async () => {
      await updateSyncRecord(stack, { Match_Keys__c: 'Both' });
    });

    async function directoryEntry(email: string) {
      const number = nextNumber();
      const contact = await insertContact(
        stack.db,
        { lastName: 'Existing', email, phones: [workPhone(number)] },
        'telephony',
      );
      return { contact, number };
    }

    it('phone: joins by any E.164 number, never by email alone', async () => {
      await updateSyncRecord(stack, { Match_Keys__c: 'Phone' });
      const { contact, number } = await directoryEntry('keys.phone@example.com');
      const byEmail = uiCreate(stack, 'Contact', {
        LastName: 'Existing',
        Email: 'KEYS.phone@example.com',
        Phone: nextNumber().raw,
      });
      const byPhone = uiCreate(stack, 'Contact', { LastName: 'Existing', MobilePhone: number.raw });
      expect((await eventually(() => linkedContact(stack, byEmail), 'the email-only record')).id).not.toBe(contact.id);
      expect((await eventually(() => linkedContact(stack, byPhone), 'the phone record')).id).toBe(contact.id);
    });

    it('email: joins by email ignoring case, never by phone alone', async () => {
      await updateSyncRecord(stack, { Match_Keys__c: 'Email' });
      const { contact, number } = await directoryEntry('keys.email@example.com');
      const byPhone = uiCreate(stack, 'Contact', { LastName: 'Existing', Phone: number.raw });
      expect((await eventually(() => linkedContact(stack, byPhone), 'the phone-only record')).id).not.toBe(contact.id);
      const byEmail = uiCreate(stack, 'Contact', {
        LastName: 'Existing',
        Email: 'Keys.Email@Example.com',
        Phone: nextNumber().raw,
      });
      expect((await eventually(() => linkedContact(stack, byEmail), 'the email record')).id).toBe(contact.id);
    });

    it('both: joins by either key', async () => {
      const first = await directoryEntry('keys.both1@example.com');
      const second = await directoryEntry('keys.both2@example.com');
      const byEmail = uiCreate(stack, 'Contact', {
        LastName: 'Existing',
        Email: 'keys.both1@example.com',
        Phone: nextNumber().raw,
      });
      const byPhone = uiCreate(stack, 'Lead', { LastName: 'Existing', Company: 'Acme', Phone: second.number.raw });
      expect((await eventually(() => linkedContact(stack, byEmail), 'the email record')).id).toBe(first.contact.id);
      expect((await eventually(() => linkedContact(stack, byPhone), 'the phone record')).id).toBe(second.contact.id);
    });

    it('re-creating a deleted sync produces no duplicate: every record finds its contact again', async () => {
      const shared = nextNumber();
      const ids = [
        uiCreate(stack, 'Contact', {
          FirstName: 'Re',
          LastName: 'Created',
          Phone: shared.raw,
          Email: 're.created@example.com',
        }),
        uiCreate(stack, 'Lead', { FirstName: 'Re', LastName: 'Created', Company: 'Acme', MobilePhone: shared.raw }),
        uiCreate(stack, 'Contact', {
          FirstName: 'Only',
          LastName: 'Email',
          Email: 'only.email@example.com',
          Phone: nextNumber().raw,
        }),
      ];
      const before = await Promise.all(ids.map((id) => linkedContactId(stack, id)));
      expect(before[1]).toBe(before[0]);
      await flushEvents(stack);
      const count = await countContacts(stack.db);

      await forgetSync(stack.db, ORG, false);
      expect(await findLinkByRecord(stack.db, ORG, ids[0])).toBeNull();
      // Events again (a change to each record), then "sync these records now" for good measure.
      for (const id of ids)
        uiUpdate(stack, id.startsWith('00Q') ? 'Lead' : 'Contact', id, { Title: 'After re-creation' });
      const after = await Promise.all(ids.map((id) => linkedContactId(stack, id)));
      expect(after).toEqual(before);
      await stack.service.orgs[0].syncRecords(ids);
      await flushEvents(stack);
      expect(await countContacts(stack.db)).toBe(count + 1); // + the marker of the second flush
      const links = await findLinksByContact(stack.db, before[0]);
      expect(links.map((l) => [l.recordId, l.role])).toEqual(
        expect.arrayContaining([
          [ids[0], 'primary'],
          [ids[1], 'secondary'],
        ]),
      );
    });
  });

  describe('several records for one number', () => {
    it("Contact > Lead > Person Account: one directory contact, the Contact's values, every link kept and the choice audited", async () => {
      const number = nextNumber();
      const lead = uiCreate(stack, 'Lead', {
        FirstName: 'Lee',
        LastName: 'Prospect',
        Company: 'Leads Inc',
        Title: 'Lead title',
        Phone: number.raw,
      });
      const contactId = await linkedContactId(stack, lead);
      expect(await getContact(stack.db, contactId)).toMatchObject({ title: 'Lead title' });

      const contact = uiCreate(stack, 'Contact', {
        FirstName: 'Lee',
        LastName: 'Customer',
        Title: 'Contact title',
        MobilePhone: number.raw,
      });
      await eventually(
        async () => (await linkedContact(stack, contact))?.id === contactId || undefined,
        'the Contact joining',
      );
      const person = uiCreate(stack, 'Account', {
        FirstName: 'Lee',
        LastName: 'Person',
        PersonTitle: 'Person title',
        PersonMobilePhone: number.raw,
      });
      await eventually(
        async () => (await linkedContact(stack, person))?.id === contactId || undefined,
        'the Person Account joining',
      );
      uiUpdate(stack, 'Lead', lead, { Title: 'Newer lead title' });
      await flushEvents(stack);

      expect(await getContact(stack.db, contactId)).toMatchObject({ lastName: 'Customer', title: 'Contact title' });
      const links = await findLinksByContact(stack.db, contactId);
      expect(links.map((l) => [l.sobject, l.role])).toEqual([
        ['Lead', 'secondary'],
        ['Contact', 'primary'],
        ['Account', 'secondary'],
      ]);
      expect(links[0].sfValues).toMatchObject({ Title: 'Newer lead title' });
      const rules = (await listAudit(stack.db, { contactId, limit: 50 })).map((a) => a.rule ?? '');
      expect(rules.some((r) => r.includes(`primary Contact ${contact}`) && r.includes('Contact outranks Lead'))).toBe(
        true,
      );
      expect(
        rules.some((r) => r.includes(`Person Account ${person}`) && r.includes('linked as a secondary record')),
      ).toBe(true);

      // The primary goes: the next record by priority (the Lead, before the Person Account) takes over.
      const org = stack.emulator.org;
      expect(org.store.delete('Contact', [contact], org.adminUser)[0].success).toBe(true);
      await eventually(
        async () => (await findLinkByRecord(stack.db, ORG, lead))?.role === 'primary' || undefined,
        'the Lead taking over',
      );
      expect(await getContact(stack.db, contactId)).toMatchObject({ lastName: 'Prospect', title: 'Newer lead title' });
      expect((await findLinkByRecord(stack.db, ORG, person))?.role).toBe('secondary');
    });

    it('between records of the same object, the older record stays primary, whichever is edited later', async () => {
      const number = nextNumber();
      const older = uiCreate(stack, 'Contact', { LastName: 'Older', Phone: number.raw });
      const contactId = await linkedContactId(stack, older);
      const newer = uiCreate(stack, 'Contact', { LastName: 'Newer', Email: 'newer@example.com', Phone: number.raw });
      await eventually(
        async () => (await findLinkByRecord(stack.db, ORG, newer))?.role === 'secondary' || undefined,
        'the newer record linked as secondary',
      );
      expect(await getContact(stack.db, contactId)).toMatchObject({ lastName: 'Older', email: null });

      uiUpdate(stack, 'Contact', newer, { LastName: 'Newer, edited last' });
      await eventually(
        async () =>
          (await findLinkByRecord(stack.db, ORG, newer))?.sfValues?.LastName === 'Newer, edited last' || undefined,
        "the edit kept on the secondary's link",
      );
      expect((await findLinkByRecord(stack.db, ORG, older))?.role).toBe('primary');
      expect(await getContact(stack.db, contactId)).toMatchObject({ lastName: 'Older', email: null });
      const rules = (await listAudit(stack.db, { contactId, limit: 50 })).map((a) => a.rule ?? '');
      expect(rules.some((r) => r.includes(`both Contact, ${older} is the older record (lower record id)`))).toBe(true);

      // The primary goes: the secondary takes over, and nothing of the departed record stays on the contact.
      uiUpdate(stack, 'Contact', older, { Title: 'Leaving' });
      await eventually(
        async () => (await getContact(stack.db, contactId))?.title === 'Leaving' || undefined,
        "the older record's title",
      );
      const org = stack.emulator.org;
      expect(org.store.delete('Contact', [older], org.adminUser)[0].success).toBe(true);
      await eventually(
        async () => (await findLinkByRecord(stack.db, ORG, newer))?.role === 'primary' || undefined,
        'the newer record taking over',
      );
      expect(await getContact(stack.db, contactId)).toMatchObject({
        lastName: 'Newer, edited last',
        email: 'newer@example.com',
        title: null,
      });
    });
  });
});
