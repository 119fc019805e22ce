import { changedAttributes, commonName, entryDn, escapeDnValue, toLdapEntry } from '../../src/ldapMirror/entry';
import type { DirectoryContact } from '../../src/directory/model';

const BASE = 'ou=phonebook,dc=example,dc=com';
const ID = '0b6f3c1e-1d2a-4c55-9a1f-3e2d1c0b9a87';

function contact(fields: Partial<DirectoryContact>): DirectoryContact {
  return {
    id: ID,
    firstName: null,
    lastName: null,
    company: null,
    title: null,
    email: null,
    phones: [],
    source: 'telephony',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...fields,
  };
}

describe('toLdapEntry', () => {
  it('maps every field to its inetOrgPerson attribute under a uid RDN', () => {
    const entry = toLdapEntry(
      contact({
        firstName: 'Jürgen',
        lastName: 'Müller',
        company: 'Bäckerei Groß GmbH',
        title: 'Geschäftsführer',
        email: 'juergen@example.de',
        phones: [
          { kind: 'work', raw: '030 1234567', e164: '+49301234567', extension: null },
          { kind: 'mobile', raw: '0171 2345678', e164: '+491712345678', extension: null },
          { kind: 'home', raw: '030 7654321', e164: '+49307654321', extension: null },
          { kind: 'other', raw: '089 111', e164: '+4989111', extension: '42' },
        ],
      }),
      BASE,
    );
    expect(entry).toEqual({
      dn: `uid=${ID},${BASE}`,
      uid: ID,
      attributes: {
        cn: ['Jürgen Müller'],
        sn: ['Müller'],
        givenName: ['Jürgen'],
        displayName: ['Jürgen Müller'],
        o: ['Bäckerei Groß GmbH'],
        title: ['Geschäftsführer'],
        mail: ['juergen@example.de'],
        telephoneNumber: ['+49301234567', '+4989111 x42'],
        mobile: ['+491712345678'],
        homePhone: ['+49307654321'],
      },
    });
  });

  it('falls back for sn and cn when names are missing', () => {
    expect(toLdapEntry(contact({ firstName: 'Ada' }), BASE).attributes).toMatchObject({
      cn: ['Ada'],
      sn: ['Ada'],
      givenName: ['Ada'],
    });
    expect(toLdapEntry(contact({ company: 'Acme' }), BASE).attributes).toMatchObject({
      cn: ['Acme'],
      sn: ['Acme'],
      givenName: [],
      o: ['Acme'],
    });
    const numberOnly = contact({ phones: [{ kind: 'mobile', raw: '+1 415', e164: '+14155552671', extension: null }] });
    expect(commonName(numberOnly)).toBe('+14155552671');
    expect(commonName(contact({}))).toBe(ID);
  });

  it('keeps invalid numbers as typed, printable only, and drops values the server would call duplicates', () => {
    const entry = toLdapEntry(
      contact({
        lastName: 'X',
        phones: [
          { kind: 'work', raw: '555-CALL #9 ☎', e164: null, extension: null },
          { kind: 'mobile', raw: '0171 2345678', e164: '+491712345678', extension: null },
          { kind: 'mobile', raw: '+49 171 2345678', e164: '+491712345678', extension: null },
          { kind: 'home', raw: '  ', e164: null, extension: null },
        ],
      }),
      BASE,
    );
    expect(entry.attributes.telephoneNumber).toEqual(['555-CALL 9']);
    expect(entry.attributes.mobile).toEqual(['+491712345678']);
    expect(entry.attributes.homePhone).toEqual([]);
  });

  it('sends mail in ASCII: an international domain as punycode, a non-ASCII local part not at all', () => {
    expect(toLdapEntry(contact({ email: 'info@bäcker.de' }), BASE).attributes.mail).toEqual(['info@xn--bcker-gra.de']);
    expect(toLdapEntry(contact({ email: 'jürgen@example.de' }), BASE).attributes.mail).toEqual([]);
  });

  it('folds whitespace and leaves out empty text', () => {
    const entry = toLdapEntry(contact({ firstName: '  Ada \n', lastName: 'Love   lace', title: '   ' }), BASE);
    expect(entry.attributes).toMatchObject({ cn: ['Ada Love lace'], sn: ['Love lace'], title: [] });
  });
});

describe('DNs', () => {
  it('escapes RFC 4514 specials in a value', () => {
    expect(escapeDnValue('a,b+c"d\\e<f>g;h=i')).toBe('a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h\\=i');
    expect(escapeDnValue(' #x ')).toBe('\\ #x\\ ');
    expect(entryDn(ID, BASE)).toBe(`uid=${ID},${BASE}`);
  });
});

describe('changedAttributes', () => {
  const wanted = toLdapEntry(contact({ firstName: 'Ada', lastName: 'Lovelace' }), BASE).attributes;

  it('is empty when the server holds the same values (names in any case, values in any order)', () => {
    expect(
      changedAttributes(
        { CN: ['Ada Lovelace'], SN: ['Lovelace'], givenname: ['Ada'], displayName: ['Ada Lovelace'], uid: [ID] },
        wanted,
      ),
    ).toEqual([]);
  });

  it('names each attribute that differs, appears or disappears', () => {
    expect(
      changedAttributes(
        { cn: ['Ada Lovelace'], sn: ['Byron'], displayName: ['Ada Lovelace'], title: ['Countess'] },
        wanted,
      ),
    ).toEqual(['sn', 'givenName', 'title']);
  });
});
