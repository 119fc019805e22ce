import { cutBytes, NAME_BYTES, polycom } from '../../../src/phonebook/formats/polycom';
import type { PhoneBookEntry } from '../../../src/phonebook/formats/format';
import { MUELLER, ODD, ODD_LAST_CLEAN, parseXml, renderAll, schemaErrors } from './support';

interface Item {
  ln?: string;
  fn?: string;
  ct: string;
}

function itemsOf(body: string): Item[] {
  const doc = parseXml(body, ['item']) as { directory: { item_list: { item?: Item[] } | '' } };
  const list = doc.directory.item_list;
  return list === '' ? [] : (list.item ?? []);
}

describe('polycom: directory/item_list/item', () => {
  it('makes one item per number with its kind after the first name, escaped, and validates', async () => {
    const body = await renderAll(polycom, [MUELLER, ODD]);
    expect(await schemaErrors(body, 'polycom.xsd')).toEqual([]);
    expect(itemsOf(body)).toEqual([
      { ln: 'Müller-Lüdenscheidt', fn: 'Jürgen (Work)', ct: '+4930123456' },
      { ln: 'Müller-Lüdenscheidt', fn: 'Jürgen (Mobile)', ct: '+491701234567' },
      { ln: 'Müller-Lüdenscheidt', fn: 'Jürgen (Home)', ct: '+4930999888' },
      { ln: 'Müller-Lüdenscheidt', fn: 'Jürgen (Other)', ct: '+4940555' },
      { ln: ODD_LAST_CLEAN, fn: 'Zoë (Mobile)', ct: '+447700900123' },
    ]);
    expect(body).toContain('&amp; &lt;Co&gt;');
  });

  it('caps fn and ln at 40 bytes of UTF-8, cut between characters, keeping the kind', async () => {
    const long: PhoneBookEntry = {
      ...MUELLER,
      firstName: 'Ängelika-Österreicherin-Überlänge-Öl',
      lastName: 'Ä'.repeat(19) + '😀😀', // 38 bytes of Ä, then a 4-byte character that does not fit
      phones: [{ kind: 'mobile', number: '+491701234567', extension: null }],
    };
    const body = await renderAll(polycom, [long]);
    expect(await schemaErrors(body, 'polycom.xsd')).toEqual([]);
    const [item] = itemsOf(body);
    expect(Buffer.byteLength(item?.ln ?? '', 'utf8')).toBeLessThanOrEqual(NAME_BYTES);
    expect(item?.ln).toBe('Ä'.repeat(19));
    expect(Buffer.byteLength(item?.fn ?? '', 'utf8')).toBeLessThanOrEqual(NAME_BYTES);
    expect(item?.fn?.endsWith(' (Mobile)')).toBe(true);
    expect(item?.fn).toBe('Ängelika-Österreicherin-Über (Mobile)'); // exactly 40 bytes
    expect(Buffer.byteLength(item?.fn ?? '', 'utf8')).toBe(40);
    expect(cutBytes('aé', 2)).toBe('a');
    expect(cutBytes('a😀', 4)).toBe('a');
  });

  it('shows a company without person names as the last name', async () => {
    const company: PhoneBookEntry = {
      ...MUELLER,
      firstName: '',
      lastName: '',
      displayName: 'Bäcker & Söhne',
      phones: [MUELLER.phones[0]!],
    };
    expect(itemsOf(await renderAll(polycom, [company]))).toEqual([
      { ln: 'Bäcker & Söhne', fn: 'Work', ct: '+4930123456' },
    ]);
  });

  it('answers an empty list with a valid empty directory', async () => {
    const body = await renderAll(polycom, []);
    expect(await schemaErrors(body, 'polycom.xsd')).toEqual([]);
    expect(itemsOf(body)).toEqual([]);
  });
});
