import { grandstream } from '../../../src/phonebook/formats/grandstream';
import { MUELLER, ODD, ODD_LAST_CLEAN, TWO_WORK, parseXml, renderAll, schemaErrors } from './support';

interface Contact {
  LastName: string;
  FirstName: string;
  Phone: { '@_type': string; phonenumber: string; accountindex: string }[];
}

function contactsOf(body: string): Contact[] {
  const doc = parseXml(body, ['Contact', 'Phone']) as { AddressBook: { Contact?: Contact[] } | '' };
  return doc.AddressBook === '' ? [] : (doc.AddressBook.Contact ?? []);
}

describe('grandstream: AddressBook/Contact', () => {
  it('writes one contact with every number in a Phone of its type, escaped, and validates', async () => {
    const body = await renderAll(grandstream, [MUELLER, ODD, TWO_WORK]);
    expect(await schemaErrors(body, 'grandstream.xsd')).toEqual([]);
    const [mueller, odd, lovelace] = contactsOf(body);
    expect(mueller?.LastName).toBe('Müller-Lüdenscheidt');
    expect(mueller?.FirstName).toBe('Jürgen');
    expect(mueller?.Phone.map((p) => [p['@_type'], p.phonenumber, p.accountindex])).toEqual([
      ['Work', '+4930123456', '0'],
      ['Mobile', '+491701234567', '0'],
      ['Home', '+4930999888', '0'],
      ['Other', '+4940555', '0'],
    ]);
    expect(odd?.LastName).toBe(ODD_LAST_CLEAN);
    expect(odd?.FirstName).toBe('Zoë');
    expect(lovelace?.Phone.map((p) => p['@_type'])).toEqual(['Work', 'Work']);
    expect(Buffer.from(body, 'utf8').toString('utf8')).toBe(body);
  });

  it('leaves out a contact without numbers and answers an empty list with a valid empty book', async () => {
    const body = await renderAll(grandstream, [{ ...MUELLER, phones: [] }]);
    expect(await schemaErrors(body, 'grandstream.xsd')).toEqual([]);
    expect(contactsOf(body)).toEqual([]);
    expect(await schemaErrors(await renderAll(grandstream, []), 'grandstream.xsd')).toEqual([]);
  });
});
