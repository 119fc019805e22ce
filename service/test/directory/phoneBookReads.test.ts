import { getContact, insertContact } from '../../src/directory/contacts';
import type { ContactFields, DirectoryPhone } from '../../src/directory/model';
import {
  countPhoneBook,
  readPhoneBook,
  type BookQuery,
  type ReadPhoneBookOptions,
} from '../../src/directory/phoneBookReads';
import { bookSearch } from '../../src/phonebook/searchText';
import { createLink } from '../../src/store/state/links';
import { upsertOrg } from '../../src/store/state/orgs';
import type { Database } from '../../src/store/types';
import { describeEachBackend, resetDatabase } from '../support/backends';

function phone(kind: DirectoryPhone['kind'], raw: string, e164: string | null): DirectoryPhone {
  return { kind, raw, e164, extension: null };
}

const PEOPLE: Array<ContactFields & { key: string }> = [
  {
    key: 'mueller',
    firstName: 'Anna',
    lastName: 'Müller',
    company: 'Bäckerei Sonne',
    phones: [phone('work', '030 1234567', '+49301234567'), phone('mobile', '+49 170 5550101', '+491705550101')],
    tags: ['sales'],
  },
  {
    key: 'lovelace',
    firstName: 'Ada',
    lastName: 'Lovelace',
    company: 'Analytical Engines',
    phones: [phone('work', '(415) 555-2671', '+14155552671')],
    tags: ['sales', 'vip'],
  },
  { key: 'babbage', firstName: 'Charles', lastName: 'Babbage', company: null, phones: [] },
  {
    key: 'acme',
    firstName: null,
    lastName: null,
    company: 'Acme Werkstatt',
    phones: [phone('other', '+43 1 5555', null)],
  },
];

/** A US-ish libphonenumber stand-in: only the numbers these tests type. */
function e164Of(text: string): string | null {
  const digits = text.replace(/\D/g, '');
  if (digits === '0301234567') return '+49301234567';
  if (digits === '4155552671') return '+14155552671';
  return null;
}

async function seed(db: Database): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const { key, ...fields } of PEOPLE) ids.set(key, (await insertContact(db, fields, 'salesforce')).id);
  return ids;
}

async function read(db: Database, query: Partial<BookQuery>, options: ReadPhoneBookOptions = {}): Promise<string[]> {
  const names: string[] = [];
  const full: BookQuery = { selection: { kind: 'all' }, order: 'last-first', search: null, number: null, ...query };
  for await (const c of readPhoneBook(db, full, options)) names.push(c.lastName ?? c.company ?? '');
  return names;
}

const search = (typed: string) => ({ search: bookSearch(typed, e164Of) });

describeEachBackend('phone-book reads', (getDb) => {
  let ids: Map<string, string>;
  beforeEach(async () => {
    await resetDatabase(getDb());
    ids = await seed(getDb());
  });

  it('lists every contact with every phone and its kind, in the name order asked for', async () => {
    expect(await read(getDb(), {})).toEqual(['Acme Werkstatt', 'Babbage', 'Lovelace', 'Müller']);
    expect(await read(getDb(), { order: 'first-last' })).toEqual(['Acme Werkstatt', 'Lovelace', 'Müller', 'Babbage']);
    const all = [];
    for await (const c of readPhoneBook(getDb(), {
      selection: { kind: 'all' },
      order: 'last-first',
      search: null,
      number: null,
    }))
      all.push(c);
    const mueller = all.find((c) => c.lastName === 'Müller');
    // The change time as the REST API writes it (toISOString), vCard's REV.
    expect(mueller?.updatedAt).toBe((await getContact(getDb(), ids.get('mueller') as string))?.updatedAt);
    expect(mueller?.phones.map((p) => [p.kind, p.e164])).toEqual([
      ['work', '+49301234567'],
      ['mobile', '+491705550101'],
    ]);
  });

  it('finds by the start of a name in either order, with or without accents, and by company', async () => {
    expect(await read(getDb(), search('mül'))).toEqual(['Müller']);
    expect(await read(getDb(), search('MUL'))).toEqual(['Müller']);
    expect(await read(getDb(), search('Anna Mü'))).toEqual(['Müller']);
    expect(await read(getDb(), search('Müller, A'.replace(',', '')))).toEqual(['Müller']);
    expect(await read(getDb(), search('Analytical'))).toEqual(['Lovelace']);
    expect(await read(getDb(), search('acme'))).toEqual(['Acme Werkstatt']);
    expect(await read(getDb(), search('Bäckerei'))).toEqual(['Müller']);
    expect(await read(getDb(), search('zz'))).toEqual([]);
  });

  it('finds a name by the spelling an ASCII book shows it in: "Mueller" is Müller', async () => {
    expect(await read(getDb(), search('Mueller'))).toEqual(['Müller']);
    expect(await read(getDb(), search('Baeckerei'))).toEqual(['Müller']);
    expect(await read(getDb(), search('Moeller'))).toEqual([]);
  });

  it('finds by keypad digits: 685 is Müller, 2662 is Anna', async () => {
    expect(await read(getDb(), search('685'))).toEqual(['Müller']);
    expect(await read(getDb(), search('2662'))).toEqual(['Müller']);
    expect(await read(getDb(), search('2222243'))).toEqual(['Babbage']);
  });

  it('finds a number typed in any format: E.164, national, digits only, with spaces and dashes, 00', async () => {
    for (const typed of ['+49 30 1234567', '030 1234567', '030-123-4567', '4930123', '0049301234567', '+4930']) {
      expect({ typed, found: await read(getDb(), search(typed)) }).toEqual({ typed, found: ['Müller'] });
    }
    for (const typed of ['(415) 555-2671', '415-555-2671', '+1 415 555 2671', '14155552671']) {
      expect({ typed, found: await read(getDb(), search(typed)) }).toEqual({ typed, found: ['Lovelace'] });
    }
    // A number the directory could not read as E.164 is found by its digits as typed.
    expect(await read(getDb(), search('+43 1 5555'))).toEqual(['Acme Werkstatt']);
  });

  it('gives the same matches page by page once a search has filled a page (walking the order index)', async () => {
    for (const typed of ['a', '2', '+1', '4', 'l']) {
      const whole = await read(getDb(), search(typed));
      expect(whole.length).toBeGreaterThan(0);
      expect({ typed, paged: await read(getDb(), search(typed), { pageSize: 1 }) }).toEqual({ typed, paged: whole });
    }
    expect(await read(getDb(), search('a'))).toEqual(['Acme Werkstatt', 'Lovelace', 'Müller']);
  });

  it('looks a number up exactly (reverse lookup)', async () => {
    expect(await read(getDb(), { number: { e164: '+491705550101', digits: '01705550101' } })).toEqual(['Müller']);
    expect(await read(getDb(), { number: { e164: null, digits: '4315555' } })).toEqual(['Acme Werkstatt']);
    expect(await read(getDb(), { number: { e164: '+4930123456', digits: '030123456' } })).toEqual([]);
  });

  it('selects by tag, by org and by object', async () => {
    expect(await read(getDb(), { selection: { kind: 'tag', tag: 'sales' } })).toEqual(['Lovelace', 'Müller']);
    expect(await read(getDb(), { selection: { kind: 'tag', tag: 'vip' } })).toEqual(['Lovelace']);
    await upsertOrg(getDb(), { id: 'org-1', name: 'Acme', loginUrl: 'https://login.example.com' });
    await upsertOrg(getDb(), { id: 'org-2', name: 'Beta', loginUrl: 'https://login.example.com' });
    const link = (orgId: string, key: string, sobject: string, recordId: string) =>
      createLink(getDb(), { orgId, contactId: ids.get(key) as string, sobject, recordId });
    await link('org-1', 'mueller', 'Contact', '003000000000001AAA');
    await link('org-1', 'lovelace', 'Lead', '00Q000000000001AAA');
    await link('org-2', 'babbage', 'Account', '001000000000001AAA');
    expect(await read(getDb(), { selection: { kind: 'org', orgId: 'org-1' } })).toEqual(['Lovelace', 'Müller']);
    expect(await read(getDb(), { selection: { kind: 'object', sobject: 'Lead' } })).toEqual(['Lovelace']);
    expect(await read(getDb(), { selection: { kind: 'object', sobject: 'Account' } })).toEqual(['Babbage']);
    expect(await read(getDb(), { selection: { kind: 'org', orgId: 'org-1' }, ...search('Lovelace') })).toEqual([
      'Lovelace',
    ]);
  });

  it('pages by offset and count across keyset pages, and counts what a query lists', async () => {
    expect(await read(getDb(), {}, { pageSize: 1 })).toEqual(['Acme Werkstatt', 'Babbage', 'Lovelace', 'Müller']);
    expect(await read(getDb(), {}, { first: 1, count: 2, pageSize: 1 })).toEqual(['Babbage', 'Lovelace']);
    expect(await read(getDb(), {}, { first: 3, count: 10 })).toEqual(['Müller']);
    expect(await read(getDb(), {}, { count: 0 })).toEqual([]);
    expect(
      await countPhoneBook(getDb(), { selection: { kind: 'all' }, order: 'last-first', search: null, number: null }),
    ).toBe(4);
    expect(
      await countPhoneBook(getDb(), {
        selection: { kind: 'tag', tag: 'sales' },
        order: 'last-first',
        search: bookSearch('Mü', e164Of),
        number: null,
      }),
    ).toBe(1);
  });
});
