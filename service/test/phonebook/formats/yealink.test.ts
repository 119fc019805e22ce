import { yealink } from '../../../src/phonebook/formats/yealink';
import { yealinkMenu } from '../../../src/phonebook/formats/yealinkMenu';
import { MUELLER, ODD, ODD_DISPLAY_CLEAN, TWO_WORK, parseXml, renderAll, schemaErrors } from './support';

describe('yealink: YealinkIPPhoneDirectory', () => {
  it('writes every number with its kind, escapes names and validates against the schema', async () => {
    const body = await renderAll(yealink, [MUELLER, ODD]);
    expect(await schemaErrors(body, 'yealink.xsd')).toEqual([]);
    const doc = parseXml(body, ['DirectoryEntry', 'Telephone']) as {
      YealinkIPPhoneDirectory: {
        DirectoryEntry: { Name: string; Telephone: { '#text': string; '@_label': string }[] }[];
      };
    };
    const [mueller, odd] = doc.YealinkIPPhoneDirectory.DirectoryEntry;
    expect(mueller?.Name).toBe('Müller-Lüdenscheidt, Jürgen');
    expect(mueller?.Telephone.map((t) => [t['@_label'], t['#text']])).toEqual([
      ['Work', '+4930123456'],
      ['Mobile', '+491701234567'],
      ['Home', '+4930999888'],
      ['Other', '+4940555'],
    ]);
    expect(odd?.Name).toBe(ODD_DISPLAY_CLEAN);
    expect(body).toContain('&lt;Co&gt;');
    expect(body).not.toContain('\u0001');
  });

  it('answers an empty list with a valid empty directory', async () => {
    const body = await renderAll(yealink, []);
    expect(await schemaErrors(body, 'yealink.xsd')).toEqual([]);
    expect(body).toContain('<YealinkIPPhoneDirectory>');
  });

  it('leaves out a contact without numbers (nothing to dial)', async () => {
    const body = await renderAll(yealink, [{ ...MUELLER, phones: [] }, TWO_WORK]);
    expect(await schemaErrors(body, 'yealink.xsd')).toEqual([]);
    expect(body).not.toContain('Müller');
    expect(body).toContain('Lovelace, Ada');
  });

  it('reads q as the search, the unsubstituted #SEARCH as none, and ignores other parameters', () => {
    expect(yealink.parseRequest({ q: ' müller ', mac: '001565', locale: 'de' })).toEqual({
      search: 'müller',
      number: null,
      first: 0,
      count: null,
      view: 'list',
    });
    expect(yealink.parseRequest({ q: '#SEARCH' }).search).toBeNull();
    expect(yealink.contentType).toBe('text/xml; charset=utf-8');
  });
});

describe('yealink-menu: YealinkIPPhoneBook for DECT and old firmware', () => {
  it('puts numbers in the Office/Mobile/Other slots and a second unit for what does not fit', async () => {
    const body = await renderAll(yealinkMenu, [MUELLER, TWO_WORK, ODD]);
    expect(await schemaErrors(body, 'yealink-menu.xsd')).toEqual([]);
    const doc = parseXml(body, ['Unit']) as {
      YealinkIPPhoneBook: { Title: string; Menu: { '@_Name': string; Unit: Record<string, string>[] } };
    };
    expect(doc.YealinkIPPhoneBook.Title).toBe('Kontakte & Kunden');
    expect(doc.YealinkIPPhoneBook.Menu['@_Name']).toBe('Kontakte & Kunden');
    const units = doc.YealinkIPPhoneBook.Menu.Unit.map((u) => [
      u['@_Name'],
      u['@_Phone1'],
      u['@_Phone2'],
      u['@_Phone3'],
    ]);
    expect(units).toEqual([
      // home takes the Other slot first; the contact's 'other' number then needs a second unit
      ['Müller-Lüdenscheidt, Jürgen', '+4930123456', '+491701234567', '+4930999888'],
      ['Müller-Lüdenscheidt, Jürgen', '', '', '+4940555'],
      ['Lovelace, Ada', '+441234567890', '', ''],
      ['Lovelace, Ada', '+441234567891', '', ''],
      [ODD_DISPLAY_CLEAN, '', '+447700900123', ''],
    ]);
    expect(doc.YealinkIPPhoneBook.Menu.Unit[0]?.['@_default_photo']).toBe('Resource:');
  });

  it('answers an empty list with a valid empty menu', async () => {
    const body = await renderAll(yealinkMenu, []);
    expect(await schemaErrors(body, 'yealink-menu.xsd')).toEqual([]);
  });
});
