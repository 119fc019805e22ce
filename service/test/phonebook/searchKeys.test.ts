import { insertContact } from '../../src/directory/contacts';
import { bookSearch, FOLD_FROM, FOLD_TO, foldText, keypadDigits, nameKeys } from '../../src/phonebook/searchText';
import { describeEachBackend, resetDatabase } from '../support/backends';

/** Names with every kind of character the fold treats: case, Latin-1, Latin Extended-A, ß, æ, digits, marks. */
const NAMES: Array<{ firstName: string | null; lastName: string | null; company: string | null }> = [
  { firstName: 'Anna', lastName: 'Müller', company: 'Bäckerei Größe' },
  { firstName: 'ÉLODIE', lastName: "D'Aubigné-Çava", company: null },
  { firstName: null, lastName: null, company: 'Ærø Søfart A/S' },
  { firstName: 'Łukasz', lastName: 'Żółkiewski', company: 'Škoda Ğıda' },
  { firstName: 'Zoë', lastName: 'Ÿves Œuvre', company: '3M' },
  { firstName: 'Jürgen', lastName: null, company: 'Straße 1&1' },
  { firstName: 'Сергей', lastName: 'Иванов', company: 'ООО Ромашка' },
  { firstName: '  ', lastName: 'Brontë ', company: '  Weiß  ' },
];

describe('search text (pure)', () => {
  it('folds case and diacritics one character for one', () => {
    expect([...FOLD_FROM]).toHaveLength([...FOLD_TO].length);
    expect(foldText('Müller')).toBe('muller');
    expect(foldText('STRAẞE Weiß')).toBe('straẞe weis');
    expect(foldText('Иванов')).toBe('Иванов');
  });

  it('maps letters with diacritics to their keypad digits, so 685 starts Müller', () => {
    expect(keypadDigits('Müller')).toBe('685537');
    expect(keypadDigits('Müller').startsWith('685')).toBe(true);
    expect(keypadDigits('Öztürk')).toBe('698875');
    expect(keypadDigits('Weiß')).toBe('9347');
    expect(keypadDigits("O'Brien-3")).toBe('6274363');
  });

  it('reads a typed search as text, keypad digits and number prefixes', () => {
    const e164 = (text: string) => (text.replace(/\D/g, '') === '0301234567' ? '+49301234567' : null);
    expect(bookSearch('Mül', e164)).toEqual({ texts: ['mul'], keypad: null, numberPrefixes: [] });
    expect(bookSearch('Mueller', e164)).toEqual({ texts: ['mueller', 'muller'], keypad: null, numberPrefixes: [] });
    expect(bookSearch('Manuel', e164)).toEqual({ texts: ['manuel', 'manul'], keypad: null, numberPrefixes: [] });
    expect(bookSearch('685', e164)).toEqual({ texts: ['685'], keypad: '685', numberPrefixes: ['685'] });
    expect(bookSearch('030 123-4567', e164)).toEqual({
      texts: [],
      keypad: null,
      numberPrefixes: ['0301234567', '49301234567'],
    });
    expect(bookSearch('0049 30 1234567', e164)?.numberPrefixes).toEqual(['0049301234567', '49301234567']);
    expect(bookSearch('#SEARCH', e164)).toBeNull();
    expect(bookSearch('  ', e164)).toBeNull();
  });
});

describeEachBackend('search keys: the generated columns agree with phonebook/searchText.ts', (getDb) => {
  beforeEach(() => resetDatabase(getDb()));

  it('computes the same folded names and keypad digits as the TypeScript rule for every name', async () => {
    for (const name of NAMES) await insertContact(getDb(), { ...name, phones: [] }, 'telephony');
    const { rows } = await getDb().query<{
      first_name: string | null;
      last_name: string | null;
      company: string | null;
      book_name_lf: string;
      book_name_fl: string;
      book_company: string;
      keypad_lf: string;
      keypad_fl: string;
      keypad_company: string;
    }>(
      `SELECT first_name, last_name, company, book_name_lf, book_name_fl, book_company, keypad_lf, keypad_fl,
              keypad_company FROM directory_contacts`,
    );
    expect(rows).toHaveLength(NAMES.length);
    for (const row of rows) {
      const keys = nameKeys({ firstName: row.first_name, lastName: row.last_name, company: row.company });
      const lastFirst = `${row.last_name ?? ''} ${row.first_name ?? ''}`.trim() || (row.company ?? '').trim();
      const firstLast = `${row.first_name ?? ''} ${row.last_name ?? ''}`.trim() || (row.company ?? '').trim();
      expect({
        lf: row.book_name_lf,
        fl: row.book_name_fl,
        company: row.book_company,
        keypadLf: row.keypad_lf,
        keypadFl: row.keypad_fl,
        keypadCompany: row.keypad_company,
      }).toEqual({
        lf: keys.lastFirst,
        fl: keys.firstLast,
        company: keys.company,
        keypadLf: keypadDigits(lastFirst),
        keypadFl: keypadDigits(firstLast),
        keypadCompany: keypadDigits((row.company ?? '').trim()),
      });
    }
  });

  it('folds every character of the map in the migration as in TypeScript', async () => {
    await insertContact(getDb(), { company: FOLD_FROM, phones: [] }, 'telephony');
    const { rows } = await getDb().query<{ book_company: string; keypad_company: string }>(
      'SELECT book_company, keypad_company FROM directory_contacts',
    );
    expect(rows[0]).toEqual({ book_company: foldText(FOLD_FROM), keypad_company: keypadDigits(FOLD_FROM) });
  });
});
