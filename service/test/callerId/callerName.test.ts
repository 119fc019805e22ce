import { callerNameOf, nameOptionsOf, DEFAULT_NAME_OPTIONS } from '../../src/callerId/callerName';

const anna = { firstName: 'Anna', lastName: 'Müller', company: 'Müller & Söhne GmbH' };

describe('callerNameOf: the name a PBX shows', () => {
  it('orders first and last name per key', () => {
    expect(callerNameOf(anna)).toBe('Anna Müller');
    expect(callerNameOf(anna, { ...DEFAULT_NAME_OPTIONS, nameOrder: 'last-first' })).toBe('Müller, Anna');
  });

  it('uses what there is of the name, then the company, then nothing', () => {
    expect(callerNameOf({ firstName: null, lastName: 'Müller', company: 'X' })).toBe('Müller');
    expect(
      callerNameOf(
        { firstName: 'Anna', lastName: '  ', company: 'X' },
        { ...DEFAULT_NAME_OPTIONS, nameOrder: 'last-first' },
      ),
    ).toBe('Anna');
    expect(callerNameOf({ firstName: null, lastName: null, company: 'Acme Switchboard' })).toBe('Acme Switchboard');
    expect(callerNameOf({ firstName: ' ', lastName: null, company: null })).toBe('');
  });

  it('caps the length at grapheme clusters, without a dangling comma or space', () => {
    const cnam = { ...DEFAULT_NAME_OPTIONS, maxLength: 15 };
    expect(callerNameOf({ firstName: 'Maximilian', lastName: 'Mustermann-Schmidt', company: null }, cnam)).toBe(
      'Maximilian Must',
    );
    expect(
      callerNameOf({ firstName: 'Anna', lastName: 'Abcdefghijk', company: null }, { ...cnam, nameOrder: 'last-first' }),
    ).toBe('Abcdefghijk, An');
    expect(
      callerNameOf(
        { firstName: 'Anna', lastName: 'Abcdefghijkl', company: null },
        { ...cnam, maxLength: 13, nameOrder: 'last-first' },
      ),
    ).toBe('Abcdefghijkl');
    // e + combining acute is one character on screen; a flag emoji is two code points.
    expect(callerNameOf({ firstName: 'Rene\u0301', lastName: 'X', company: null }, { ...cnam, maxLength: 4 })).toBe(
      'Rene\u0301',
    );
    expect(callerNameOf({ firstName: '🇩🇪🇩🇪', lastName: null, company: null }, { ...cnam, maxLength: 1 })).toBe('🇩🇪');
  });

  it('transliterates to ASCII on request, before the cap', () => {
    const ascii = { ...DEFAULT_NAME_OPTIONS, transliterate: true };
    expect(callerNameOf(anna, ascii)).toBe('Anna Mueller');
    expect(callerNameOf({ firstName: 'Jürgen', lastName: 'Groß', company: null }, ascii)).toBe('Juergen Gross');
    expect(callerNameOf({ firstName: 'Дмитрий', lastName: 'Ødegård', company: null }, ascii)).toBe('Dmitriy Odegard');
    expect(callerNameOf({ firstName: 'Zoë 🎉', lastName: 'Smith', company: null }, ascii)).toBe('Zoe Smith');
    expect(
      callerNameOf({ firstName: 'Łukasz', lastName: 'Żółć-Wiśniewski', company: null }, { ...ascii, maxLength: 15 }),
    ).toBe('Lukasz Zolc-Wis');
  });

  it('is one line of printable text whatever the directory holds (no SIP header injection)', () => {
    expect(callerNameOf({ firstName: 'Robert "Bob"', lastName: 'Tables\\', company: null })).toBe(
      "Robert 'Bob' Tables",
    );
    const name = callerNameOf({ firstName: 'Eve\r\nX-Injected: 1', lastName: 'Evil\u0000\u202e', company: null });
    expect(name).toBe('Eve X-Injected: 1 Evil');
    // eslint-disable-next-line no-control-regex -- the assertion is that no control character is left
    expect(name).not.toMatch(/[\r\n\u0000-\u001f]/);
  });
});

describe('nameOptionsOf: an access key options as name options', () => {
  it('reads the three options and keeps defaults for what is missing or malformed', () => {
    expect(nameOptionsOf({ nameOrder: 'last-first', maxLength: 15, transliterate: true })).toEqual({
      nameOrder: 'last-first',
      maxLength: 15,
      transliterate: true,
    });
    expect(nameOptionsOf(undefined)).toEqual(DEFAULT_NAME_OPTIONS);
    expect(nameOptionsOf({ nameOrder: 'sideways', maxLength: -3, transliterate: 'yes' })).toEqual(DEFAULT_NAME_OPTIONS);
    expect(nameOptionsOf({ maxLength: 2.5 }).maxLength).toBeNull();
  });
});
