import {
  countContacts,
  deleteContact,
  findContactIdsByEmail,
  findContactIdsByPhones,
  getContact,
  insertContact,
  listContacts,
  lockContactAgainstDelete,
  updateContact,
} from '../../src/directory/contacts';
import type { ContactFields } from '../../src/directory/model';
import { describeEachBackend, resetDatabase } from '../support/backends';
import { contactFields, phone } from '../support/fixtures';

describeEachBackend('directory contacts', (getDb) => {
  beforeEach(() => resetDatabase(getDb()));

  describe('insertContact / getContact', () => {
    it('stores every field and returns phones in the given order', async () => {
      const phones = [
        phone('mobile', '+447700900123', '07700 900123'),
        phone('work', '+14155552671', '+1 415 555 2671 x12', '12'),
        phone('other', null, 'call reception'),
      ];
      const created = await insertContact(getDb(), contactFields({ phones }), 'telephony');
      expect(created).toMatchObject({
        firstName: 'Ada',
        lastName: 'Lovelace',
        company: 'Analytical Engines',
        title: 'Analyst',
        email: 'ada@example.com',
        source: 'telephony',
        version: 1,
        phones,
      });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);

      const read = await getContact(getDb(), created.id);
      expect(read).toEqual(created);
    });

    it('defaults missing fields to null and phones to none', async () => {
      const created = await insertContact(getDb(), { lastName: 'Solo' }, 'salesforce');
      expect(created).toMatchObject({ firstName: null, company: null, email: null, phones: [], source: 'salesforce' });
      expect((await getContact(getDb(), created.id))?.phones).toEqual([]);
    });

    it('returns null for an unknown id and for a malformed one', async () => {
      expect(await getContact(getDb(), '00000000-0000-4000-8000-000000000000')).toBeNull();
      expect(await getContact(getDb(), 'not-a-uuid')).toBeNull();
      expect(await getContact(getDb(), "'; DROP TABLE directory_contacts; --")).toBeNull();
    });

    it('rejects bad input naming the field', async () => {
      const bad = (fields: unknown) => insertContact(getDb(), fields as ContactFields, 'telephony');
      await expect(
        bad(contactFields({ phones: [{ kind: 'fax', raw: '1', e164: null, extension: null } as never] })),
      ).rejects.toThrow(/phones\[0\]\.kind: expects one of work, mobile, home, other, got "fax" \(new contact\)/);
      await expect(bad(contactFields({ phones: [phone('work', '4155552671')] }))).rejects.toThrow(
        /phones\[0\]\.e164: expects an E\.164/,
      );
      await expect(bad({ firstName: 42 })).rejects.toThrow(/firstName: expects a string or null, got number/);
      await expect(insertContact(getDb(), {}, 'fax' as never)).rejects.toThrow(
        /source: expects one of salesforce, telephony/,
      );
      expect(await countContacts(getDb())).toBe(0);
    });
  });

  describe('updateContact', () => {
    it('changes only the given keys, bumps version and updated_at', async () => {
      const created = await insertContact(getDb(), contactFields(), 'telephony');
      const updated = await updateContact(getDb(), created.id, { title: 'Countess', email: null });
      expect(updated).toMatchObject({
        id: created.id,
        firstName: 'Ada',
        title: 'Countess',
        email: null,
        phones: created.phones,
        version: 2,
        createdAt: created.createdAt,
      });
      expect(Date.parse(updated?.updatedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
      expect(await getContact(getDb(), created.id)).toEqual(updated);
    });

    it('replaces the whole phone list when phones are given, in order', async () => {
      const created = await insertContact(getDb(), contactFields(), 'telephony');
      const phones = [phone('home', '+493012345678'), phone('mobile', '+4915112345678')];
      const updated = await updateContact(getDb(), created.id, { phones });
      expect(updated?.phones).toEqual(phones);
      expect((await getContact(getDb(), created.id))?.phones).toEqual(phones);

      const cleared = await updateContact(getDb(), created.id, { phones: [] });
      expect(cleared?.phones).toEqual([]);
      expect(cleared?.version).toBe(3);
      const { rows } = await getDb().query('SELECT count(*)::int AS n FROM directory_phones');
      expect(rows[0]).toEqual({ n: 0 });
    });

    it('leaves other contacts alone', async () => {
      const a = await insertContact(getDb(), contactFields(), 'telephony');
      const b = await insertContact(getDb(), contactFields({ firstName: 'Bea' }), 'telephony');
      await updateContact(getDb(), a.id, { firstName: 'Ann', phones: [] });
      expect(await getContact(getDb(), b.id)).toEqual(b);
    });

    it('bumps the version even with no fields (a touch)', async () => {
      const created = await insertContact(getDb(), contactFields(), 'telephony');
      expect((await updateContact(getDb(), created.id, {}))?.version).toBe(2);
    });

    it('returns null for unknown and malformed ids, and names the field of bad input', async () => {
      expect(await updateContact(getDb(), '00000000-0000-4000-8000-000000000000', { title: 'x' })).toBeNull();
      expect(await updateContact(getDb(), 'nope', { title: 'x' })).toBeNull();
      const created = await insertContact(getDb(), contactFields(), 'telephony');
      await expect(updateContact(getDb(), created.id, { phones: [phone('work', '+1')] })).rejects.toThrow(
        new RegExp(`phones\\[0\\]\\.e164: .*\\(contact ${created.id}\\)`),
      );
    });
  });

  describe('deleteContact', () => {
    it('deletes the contact and its phones, true once, then false', async () => {
      const created = await insertContact(getDb(), contactFields(), 'telephony');
      expect(await deleteContact(getDb(), created.id)).toBe(true);
      expect(await deleteContact(getDb(), created.id)).toBe(false);
      expect(await deleteContact(getDb(), 'malformed')).toBe(false);
      expect(await getContact(getDb(), created.id)).toBeNull();
      const { rows } = await getDb().query('SELECT count(*)::int AS n FROM directory_phones');
      expect(rows[0]).toEqual({ n: 0 });
    });
  });

  describe('lockContactAgainstDelete', () => {
    it("locks an existing contact in the caller's transaction, which may still edit it; false for an unknown one", async () => {
      const created = await insertContact(getDb(), contactFields(), 'telephony');
      await getDb().transaction(async (tx) => {
        expect(await lockContactAgainstDelete(tx, created.id)).toBe(true);
        expect(await updateContact(tx, created.id, { title: 'Locked, still editable' })).toMatchObject({
          title: 'Locked, still editable',
        });
        expect(await lockContactAgainstDelete(tx, '33333333-3333-4333-8333-333333333333')).toBe(false);
      });
    });
  });

  describe('matching lookups', () => {
    it('finds contacts by any of several E.164 numbers', async () => {
      const a = await insertContact(
        getDb(),
        contactFields({ phones: [phone('work', '+14155552671'), phone('mobile', '+14155550000')] }),
        'telephony',
      );
      const b = await insertContact(getDb(), contactFields({ phones: [phone('home', '+14155550000')] }), 'telephony');
      await insertContact(getDb(), contactFields({ phones: [phone('other', null, '+14155552671 typo')] }), 'telephony');

      expect(await findContactIdsByPhones(getDb(), ['+14155552671'])).toEqual([a.id]);
      expect(await findContactIdsByPhones(getDb(), ['+14155550000', '+14155552671'])).toEqual([a.id, b.id].sort());
      expect(await findContactIdsByPhones(getDb(), ['+19999999999'])).toEqual([]);
      expect(await findContactIdsByPhones(getDb(), [])).toEqual([]);
    });

    it('finds contacts by email regardless of case and surrounding spaces', async () => {
      const a = await insertContact(getDb(), contactFields({ email: 'Ada.Lovelace@Example.COM' }), 'telephony');
      await insertContact(getDb(), contactFields({ email: 'other@example.com' }), 'telephony');
      await insertContact(getDb(), contactFields({ email: null }), 'telephony');

      expect(await findContactIdsByEmail(getDb(), 'ada.lovelace@example.com')).toEqual([a.id]);
      expect(await findContactIdsByEmail(getDb(), '  ADA.LOVELACE@EXAMPLE.COM ')).toEqual([a.id]);
      expect(await findContactIdsByEmail(getDb(), 'ada@example.com')).toEqual([]);
      expect(await findContactIdsByEmail(getDb(), '')).toEqual([]);
    });

    it('keeps email_lower in step after an update', async () => {
      const a = await insertContact(getDb(), contactFields({ email: 'old@example.com' }), 'telephony');
      await updateContact(getDb(), a.id, { email: 'NEW@example.com' });
      expect(await findContactIdsByEmail(getDb(), 'old@example.com')).toEqual([]);
      expect(await findContactIdsByEmail(getDb(), 'new@EXAMPLE.com')).toEqual([a.id]);
    });
  });

  describe('listContacts / countContacts', () => {
    async function seedPeople() {
      const people: ContactFields[] = [
        {
          firstName: 'Ada',
          lastName: 'Lovelace',
          company: 'Analytical Engines',
          email: 'ada@engines.org',
          phones: [phone('work', '+14155552671', '(415) 555-2671')],
        },
        {
          firstName: 'Grace',
          lastName: 'Hopper',
          company: 'US Navy',
          email: 'grace@navy.mil',
          phones: [phone('mobile', '+12025550147', '202-555-0147')],
        },
        {
          firstName: 'Alan',
          lastName: 'Turing',
          company: 'Bletchley 100% Park',
          email: 'alan@bletchley.uk',
          phones: [],
        },
        {
          firstName: 'Katherine',
          lastName: 'Johnson',
          company: 'NASA',
          email: 'KJ@NASA.GOV',
          phones: [phone('home', null, 'ext 4417')],
        },
      ];
      const created = [];
      for (const fields of people) created.push(await insertContact(getDb(), fields, 'telephony'));
      return created;
    }

    it('pages through everything by id with a keyset cursor, phones included', async () => {
      const created = await seedPeople();
      const expectedIds = created.map((c) => c.id).sort();
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await listContacts(getDb(), { limit: 3, after });
        if (page.length === 0) break;
        seen.push(...page.map((c) => c.id));
        for (const contact of page) expect(contact).toEqual(created.find((c) => c.id === contact.id));
        after = page[page.length - 1]?.id;
      }
      expect(seen).toEqual(expectedIds);
      expect(await countContacts(getDb())).toBe(4);
    });

    it('searches name, full name, company and email case-insensitively', async () => {
      await seedPeople();
      const names = async (search: string) =>
        (await listContacts(getDb(), { limit: 50, search })).map((c) => c.lastName).sort();
      expect(await names('hopper')).toEqual(['Hopper']);
      expect(await names('ADA LOVE')).toEqual(['Lovelace']);
      expect(await names('turing alan')).toEqual(['Turing']);
      expect(await names('nasa')).toEqual(['Johnson']);
      expect(await names('@navy.MIL')).toEqual(['Hopper']);
      expect(await names('a')).toEqual(['Hopper', 'Johnson', 'Lovelace', 'Turing']);
      // LIKE wildcards in the search are literal characters.
      expect(await names('100%')).toEqual(['Turing']);
      expect(await names('%')).toEqual(['Turing']);
      expect(await names('_')).toEqual([]);
      expect(await names('nobody')).toEqual([]);
    });

    it('searches phone digits whatever the formatting', async () => {
      await seedPeople();
      const names = async (search: string) =>
        (await listContacts(getDb(), { limit: 50, search })).map((c) => c.lastName).sort();
      expect(await names('555-2671')).toEqual(['Lovelace']);
      expect(await names('4155552671')).toEqual(['Lovelace']);
      expect(await names('+1 (202) 555')).toEqual(['Hopper']);
      expect(await names('555')).toEqual(['Hopper', 'Lovelace']);
      expect(await names('4417')).toEqual(['Johnson']);
    });

    it('combines search with the cursor', async () => {
      await seedPeople();
      const all = await listContacts(getDb(), { limit: 50, search: 'a' });
      const first = await listContacts(getDb(), { limit: 2, search: 'a' });
      const second = await listContacts(getDb(), { limit: 2, search: 'a', after: first[1]?.id });
      expect([...first, ...second].map((c) => c.id)).toEqual(all.map((c) => c.id));
    });

    it('rejects a bad limit or cursor naming it', async () => {
      await expect(listContacts(getDb(), { limit: 0 })).rejects.toThrow(/limit: expects an integer from 1/);
      await expect(listContacts(getDb(), { limit: 10, after: 'page-2' })).rejects.toThrow(
        /after: expects a contact id/,
      );
    });
  });

  it('reads phones for a page in one query, not one per contact', async () => {
    for (let i = 0; i < 5; i++) await insertContact(getDb(), contactFields({ firstName: `P${i}` }), 'telephony');
    const statements: string[] = [];
    const db = getDb();
    const counting = { query: (text: string, params?: unknown[]) => (statements.push(text), db.query(text, params)) };
    const page = await listContacts(counting as typeof db, { limit: 10 });
    expect(page).toHaveLength(5);
    expect(page.every((c) => c.phones.length === 1)).toBe(true);
    expect(statements).toHaveLength(2);
  });
});
