/** carddav/vcardInput.ts: a PUT body to the REST API's contact fields, and what it refuses, naming the property. */
import { parseVcard, VcardInputError } from '../../src/carddav/vcardInput';
import { entryOf } from '../../src/carddav/cards';
import { vcardOf } from '../../src/phonebook/formats/vcard';
import type { DirectoryContact } from '../../src/directory/model';

const CONTACT: DirectoryContact = {
  id: '3f0c2b1a-1111-4222-8333-444455556666',
  firstName: 'Anna',
  lastName: 'Müller; Schmidt',
  company: 'Müller, Schmidt & Co',
  title: 'Head of purchasing',
  email: 'anna@example.com',
  phones: [
    { kind: 'work', raw: '030 1234567', e164: '+49301234567', extension: '12' },
    { kind: 'mobile', raw: '0171 1234567', e164: '+491711234567', extension: null },
    { kind: 'home', raw: '030 7654321', e164: '+49307654321', extension: null },
    { kind: 'other', raw: '+1 415 555 2671', e164: '+14155552671', extension: null },
  ],
  source: 'salesforce',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-03-01T10:20:30.000Z',
  version: 3,
};

function refusal(body: string): VcardInputError {
  try {
    parseVcard(body);
  } catch (err) {
    if (err instanceof VcardInputError) return err;
    throw err;
  }
  throw new Error('parseVcard accepted the body');
}

describe('parseVcard', () => {
  it.each(['3.0', '4.0'] as const)(
    'reads back what the service serves as vCard %s (escapes, kinds, extension)',
    (version) => {
      const parsed = parseVcard(vcardOf(entryOf(CONTACT, 'client-uid'), version));
      expect(parsed.uid).toBe('client-uid');
      expect(parsed.input).toEqual({
        firstName: 'Anna',
        lastName: 'Müller; Schmidt',
        company: 'Müller, Schmidt & Co',
        title: 'Head of purchasing',
        email: 'anna@example.com',
        phones: [
          { kind: 'work', number: '+49301234567 x12' },
          { kind: 'mobile', number: '+491711234567' },
          { kind: 'home', number: '+49307654321' },
          { kind: 'other', number: '+14155552671' },
        ],
      });
      expect(parsed.phoneSources).toEqual([1, 2, 3, 4]);
    },
  );

  const card = (...lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', 'FN:X', ...lines, 'END:VCARD', ''].join('\r\n');

  it('maps TEL types the way clients write them to kinds; a second number of a kind goes to other', () => {
    const parsed = parseVcard(
      card(
        'TEL;type=WORK;type=CELL;type=pref:+1 212 555 0100',
        'TEL;TYPE="home,voice":+1 212 555 0102',
        'TEL;TYPE=HOME:+1 212 555 0103',
        'TEL;TYPE=WORK:+1 212 555 0104',
        'TEL:',
      ),
    );
    expect(parsed.input.phones).toEqual([
      { kind: 'mobile', number: '+1 212 555 0100' },
      { kind: 'home', number: '+1 212 555 0102' },
      { kind: 'other', number: '+1 212 555 0103' },
      { kind: 'work', number: '+1 212 555 0104' },
    ]);
    expect(parseVcard(card('TEL;TYPE=FAX,WORK:+1 212 555 0101')).input.phones).toEqual([
      { kind: 'other', number: '+1 212 555 0101' },
    ]);
    expect(parseVcard(card('item1.TEL:+1 212 555 0105')).input.phones).toEqual([
      { kind: 'other', number: '+1 212 555 0105' },
    ]);
    const v4 = ['BEGIN:VCARD', 'VERSION:4.0', 'FN:X', 'TEL;VALUE=uri;TYPE=cell:tel:+49-171-1234567;ext=9', 'END:VCARD'];
    expect(parseVcard(v4.join('\r\n')).input.phones).toEqual([{ kind: 'mobile', number: '+49-171-1234567 x9' }]);
  });

  it('takes the preferred EMAIL, the first ORG part, and leaves the last name out when N has none', () => {
    const parsed = parseVcard(
      card('N:;Cher;;;', 'ORG:Acme;Sales;EMEA', 'EMAIL;TYPE=HOME:a@example.com', 'EMAIL;TYPE=WORK,PREF:b@example.com'),
    );
    expect(parsed.input).toEqual({
      firstName: 'Cher',
      company: 'Acme',
      title: null,
      email: 'b@example.com',
      phones: [],
    });
    expect(parsed.uid).toBeNull();
  });

  it.each([
    ['garbage', 'hello', 'BEGIN'],
    ['a calendar', 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', 'BEGIN'],
    ['no FN', card('N:Doe;Jane;;;').replace('FN:X\r\n', ''), 'FN'],
    ['vCard 2.1', card().replace('3.0', '2.1'), 'VERSION'],
    ['five numbers for four kinds', card(...[0, 1, 2, 3, 4].map((i) => `TEL;TYPE=CELL:+1 212 555 010${i}`)), 'TEL'],
  ])('refuses %s, naming %s', (_what, body, property) => {
    expect(refusal(body).property).toBe(property);
  });
});
