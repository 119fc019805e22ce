import { asciiText } from '../../src/model/text';
import { callerNameOf, DEFAULT_NAME_OPTIONS } from '../../src/callerId/callerName';
import { DEFAULT_ENTRY_OPTIONS, toEntry } from '../../src/phonebook/entries';

/** One ASCII rule for every name a device shows: caller ID and phone books must not spell a person two ways. */

const NAMES: Array<[string, string]> = [
  ['Anna', 'Müller'],
  ['Jürgen', 'Öztürk-Ärmel'],
  ['Zoë', 'Weiß'],
  ['Łukasz', 'Żółć'],
  ['Дмитрий', 'Шостакович'],
  ['Søren', 'Kierkegaard'],
  // The umlaut written as u + combining diaeresis reads as the umlaut.
  ['Anna', 'Mu\u0308ller'],
];

describe('asciiText', () => {
  it('writes German umlauts as German does without dots, other letters as the library spells them', () => {
    expect(asciiText('Müller')).toBe('Mueller');
    expect(asciiText('ÄÖÜ äöü')).toBe('AeOeUe aeoeue');
    expect(asciiText('Mu\u0308ller')).toBe('Mueller');
    expect(asciiText('Weiß')).toBe('Weiss');
    expect(asciiText('Łódź')).toBe('Lodz');
    expect(asciiText('Дмитрий')).toBe('Dmitriy');
    expect(asciiText('Søren')).toBe('Soren');
  });

  it('leaves only printable ASCII', () => {
    for (const [first, last] of NAMES) expect(asciiText(`${first} ${last}`)).toMatch(/^[\x20-\x7e]*$/);
  });

  it('gives the caller-ID name and the phone-book entry of a person the same spelling', () => {
    for (const [firstName, lastName] of NAMES) {
      const shownByCallerId = callerNameOf(
        { firstName, lastName, company: null },
        { ...DEFAULT_NAME_OPTIONS, transliterate: true },
      );
      const entry = toEntry(
        { id: 'x', firstName, lastName, company: null, title: null, email: null, updatedAt: '', phones: [] },
        { ...DEFAULT_ENTRY_OPTIONS, nameOrder: 'first-last', transliteration: 'ascii' },
      );
      expect(entry.displayName).toBe(shownByCallerId);
    }
  });
});
