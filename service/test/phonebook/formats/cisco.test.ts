import { cisco, PAGE_SIZE } from '../../../src/phonebook/formats/cisco';
import { FeedRequestError, type PhoneBookEntry } from '../../../src/phonebook/formats/format';
import { MUELLER, ODD, ODD_DISPLAY_CLEAN, parseXml, person, queryOf, renderAll, schemaErrors, serve } from './support';

interface SoftKey {
  Name: string;
  URL: string;
  Position: string;
}
interface Directory {
  Title: string;
  Prompt: string;
  DirectoryEntry?: { Name: string; Telephone: string }[];
  SoftKeyItem: SoftKey[];
}

function directoryOf(body: string): Directory {
  return (parseXml(body, ['DirectoryEntry', 'SoftKeyItem']) as { CiscoIPPhoneDirectory: Directory })
    .CiscoIPPhoneDirectory;
}

function key(doc: Directory, name: string): SoftKey | undefined {
  return doc.SoftKeyItem.find((item) => item.Name === name);
}

describe('cisco: CiscoIPPhoneDirectory', () => {
  it('makes one entry per number with its kind in the name, escaped, within 32 characters', async () => {
    const long: PhoneBookEntry = { ...MUELLER, displayName: 'Müller-Lüdenscheidt-Ötztaler-Überbach, Jürgen' };
    const body = await renderAll(cisco, [MUELLER, ODD, long], { total: 3 });
    expect(await schemaErrors(body, 'cisco.xsd')).toEqual([]);
    const doc = directoryOf(body);
    expect(doc.Title).toBe('Kontakte & Kunden');
    expect(doc.DirectoryEntry?.slice(0, 4)).toEqual([
      { Name: 'Müller-Lüdenscheidt, Jürg (Work)', Telephone: '+4930123456' },
      { Name: 'Müller-Lüdenscheidt, Jü (Mobile)', Telephone: '+491701234567' },
      { Name: 'Müller-Lüdenscheidt, Jürg (Home)', Telephone: '+4930999888' },
      { Name: 'Müller-Lüdenscheidt, Jür (Other)', Telephone: '+4940555' },
    ]);
    expect(doc.DirectoryEntry?.[4]?.Name).toBe(`${ODD_DISPLAY_CLEAN} (Mobile)`);
    expect(doc.DirectoryEntry).toHaveLength(9);
    expect(doc.DirectoryEntry?.every((entry) => Array.from(entry.Name).length <= 32)).toBe(true);
    expect(doc.SoftKeyItem.map((item) => item.Name)).toEqual(['Dial', 'Search', 'Exit']);
    expect(key(doc, 'Dial')?.URL).toBe('SoftKey:Dial');
  });

  it('pages 32 numbers at a time, Next and Previous on the right pages, every number exactly once', async () => {
    // 2 numbers each, one contact with 3 so that a page boundary falls inside a contact
    const all = Array.from({ length: 40 }, (_, n) => person(n));
    all[15] = {
      ...person(15),
      phones: [...person(15).phones, { kind: 'home', number: '+4989000015', extension: null }],
    };
    const expected = all.flatMap((entry) => entry.phones.map((phone) => phone.number));
    expect(expected).toHaveLength(81);

    const seen: string[] = [];
    const pages: Directory[] = [];
    let query: Record<string, string> = {};
    for (;;) {
      const body = await serve(cisco, all, query);
      expect(await schemaErrors(body, 'cisco.xsd')).toEqual([]);
      const doc = directoryOf(body);
      pages.push(doc);
      seen.push(...(doc.DirectoryEntry ?? []).map((entry) => entry.Telephone));
      const next = key(doc, 'Next');
      if (next === undefined) break;
      query = queryOf(next.URL);
      expect(query.key).toBe('k&y'); // the feed's own parameters survive
      expect(pages.length).toBeLessThan(10);
    }
    expect(seen).toEqual(expected);
    expect(pages.map((doc) => doc.DirectoryEntry?.length)).toEqual([32, 32, 17]);
    expect(pages.map((doc) => key(doc, 'Previous') !== undefined)).toEqual([false, true, true]);
    expect(pages.map((doc) => key(doc, 'Next') !== undefined)).toEqual([true, true, false]);
    expect(pages[0]?.Prompt).toBe('1-32 of 40');
    // the second page starts inside contact 15 (its third number); Previous goes back to the start
    const previous = queryOf(key(pages[1] as Directory, 'Previous')?.URL ?? '');
    expect(previous.start).toBe('0');
    const firstAgain = directoryOf(await serve(cisco, all, previous));
    expect(firstAgain.DirectoryEntry?.[0]?.Telephone).toBe(expected[0]);
    // from the third page, Previous shows the 32 numbers before the contact the page starts with
    const third = queryOf(key(pages[2] as Directory, 'Previous')?.URL ?? '');
    const back = directoryOf(await serve(cisco, all, third));
    expect(back.DirectoryEntry).toHaveLength(32);
  });

  it('ends exactly at 32 numbers without a Next, and offers Next for the 33rd', async () => {
    const one = (n: number): PhoneBookEntry => ({ ...person(n), phones: [person(n).phones[0]!] });
    const exactly = Array.from({ length: PAGE_SIZE }, (_, n) => one(n));
    const full = directoryOf(await serve(cisco, exactly, {}));
    expect(full.DirectoryEntry).toHaveLength(32);
    expect(key(full, 'Next')).toBeUndefined();

    const more = [...exactly, one(32)];
    const first = directoryOf(await serve(cisco, more, {}));
    expect(first.DirectoryEntry).toHaveLength(32);
    const second = directoryOf(await serve(cisco, more, queryOf(key(first, 'Next')?.URL ?? '')));
    expect(second.DirectoryEntry?.map((entry) => entry.Telephone)).toEqual([one(32).phones[0]?.number]);
    expect(key(second, 'Next')).toBeUndefined();
    expect(key(second, 'Previous')).toBeDefined();
  });

  it('answers an empty list with a valid directory saying so', async () => {
    const body = await serve(cisco, [], {});
    expect(await schemaErrors(body, 'cisco.xsd')).toEqual([]);
    const doc = directoryOf(body);
    expect(doc.DirectoryEntry).toBeUndefined();
    expect(doc.Prompt).toBe('No entries');
    expect(doc.SoftKeyItem.map((item) => item.Name)).toEqual(['Dial', 'Search', 'Exit']);
  });

  it('keeps the search in the paging URLs', async () => {
    const all = Array.from({ length: 20 }, (_, n) => person(n));
    const doc = directoryOf(await serve(cisco, all, { q: 'Schäfer & Co' }));
    const next = queryOf(key(doc, 'Next')?.URL ?? '');
    expect(next.q).toBe('Schäfer & Co');
    expect(next.start).toBe('16');
  });
});

describe('cisco: the search screen', () => {
  it('renders CiscoIPPhoneInput that sends q to the list, without reading entries', async () => {
    const request = cisco.parseRequest({ search: 'form', locale: 'German_Germany', name: 'SEP001122334455' });
    expect(request.view).toBe('search-form');
    expect(request.count).toBe(0);
    let read = false;
    const entries = (async function* () {
      read = true;
      yield MUELLER;
    })();
    let body = '';
    for await (const chunk of cisco.render(entries, {
      title: 'Kontakte',
      request,
      total: null,
      baseUrl: 'http://127.0.0.1:8080/phonebook/cisco?key=abc',
      vcardVersion: '3.0',
    })) {
      body += chunk;
    }
    expect(read).toBe(false);
    expect(await schemaErrors(body, 'cisco.xsd')).toEqual([]);
    const input = (parseXml(body) as { CiscoIPPhoneInput: Record<string, unknown> }).CiscoIPPhoneInput;
    expect(input.URL).toBe('http://127.0.0.1:8080/phonebook/cisco?key=abc');
    expect(input.InputItem).toMatchObject({ QueryStringParam: 'q', InputFlags: 'A' });
  });
});

describe('cisco: parameters', () => {
  it('ignores what Cisco phones append and names a bad position', () => {
    expect(
      cisco.parseRequest({ locale: 'English_United_States', name: 'SEP001122334455', start: '64', q: 'x' }),
    ).toMatchObject({
      search: 'x',
      first: 64,
      count: 32,
      view: 'list',
    });
    expect(() => cisco.parseRequest({ start: 'abc' })).toThrow(FeedRequestError);
    try {
      cisco.parseRequest({ skip: '-1' });
    } catch (error) {
      expect((error as FeedRequestError).field).toBe('skip');
    }
    expect.assertions(3);
  });
});
