import { fanvil } from '../../../src/phonebook/formats/fanvil';
import { MUELLER, ODD, ODD_DISPLAY_CLEAN, TWO_WORK, parseXml, renderAll, schemaErrors } from './support';

function entriesOf(body: string): Record<string, string>[] {
  const doc = parseXml(body, ['DirectoryEntry']) as { PhoneBook: { DirectoryEntry?: Record<string, string>[] } | '' };
  return doc.PhoneBook === '' ? [] : (doc.PhoneBook.DirectoryEntry ?? []);
}

describe('fanvil: PhoneBook/DirectoryEntry', () => {
  it('puts each number in the field of its kind, a further entry for what does not fit, and validates', async () => {
    const body = await renderAll(fanvil, [MUELLER, ODD, TWO_WORK]);
    expect(await schemaErrors(body, 'fanvil.xsd')).toEqual([]);
    expect(entriesOf(body).map((e) => [e.Name, e.Telephone, e.Mobile, e.Other, e.Ring, e.Group])).toEqual([
      ['Müller-Lüdenscheidt, Jürgen', '+4930123456', '+491701234567', '+4930999888', '', ''],
      ['Müller-Lüdenscheidt, Jürgen', '', '', '+4940555', '', ''],
      [ODD_DISPLAY_CLEAN, '', '+447700900123', '', '', ''],
      ['Lovelace, Ada', '+441234567890', '', '', '', ''],
      ['Lovelace, Ada', '+441234567891', '', '', '', ''],
    ]);
    expect(body).toContain('&lt;Co&gt;');
  });

  it('answers an empty list with a valid empty book', async () => {
    const body = await renderAll(fanvil, []);
    expect(await schemaErrors(body, 'fanvil.xsd')).toEqual([]);
    expect(entriesOf(body)).toEqual([]);
  });
});
