import { describeCleaning, storableText, storableValues } from '../../../src/sync/rules/storableText';
import { userToContact } from '../../../src/sync/inbound/userDirectory';

describe('text Postgres cannot store (the cleaning rule)', () => {
  it('removes U+0000 and replaces lone surrogates by U+FFFD, keeping surrogate pairs', () => {
    expect(storableText('A\u0000b\u0000')).toEqual({ text: 'Ab', nulRemoved: 2, surrogatesReplaced: 0 });
    expect(storableText('x\ud800y\udc00')).toEqual({ text: 'x\ufffdy\ufffd', nulRemoved: 0, surrogatesReplaced: 2 });
    expect(storableText('😀 \ud83d')).toEqual({ text: '😀 \ufffd', nulRemoved: 0, surrogatesReplaced: 1 });
    expect(storableText('Zoë Ünal')).toEqual({ text: 'Zoë Ünal', nulRemoved: 0, surrogatesReplaced: 0 });
  });

  it('gives the same object back when nothing needs cleaning, and names each cleaned field', () => {
    const clean = { LastName: 'Smith', Phone: null, Count: 3 };
    expect(storableValues(clean)).toEqual({ values: clean, cleaned: [] });
    expect(storableValues(clean).values).toBe(clean);

    const dirty = { LastName: 'Sm\u0000ith', Title: '\udfffBoss', Phone: '+1 415 555 0100' };
    const { values, cleaned } = storableValues(dirty);
    expect(values).toEqual({ LastName: 'Smith', Title: '\ufffdBoss', Phone: '+1 415 555 0100' });
    expect(dirty.LastName).toBe('Sm\u0000ith');
    expect(describeCleaning(cleaned)).toBe('LastName: 1 U+0000 removed; Title: 1 lone surrogate replaced by U+FFFD');
  });

  it('leaves nothing JSON or Postgres would refuse, whatever the code unit', () => {
    const every = Array.from({ length: 0x10000 }, (_, unit) => `a${String.fromCharCode(unit)}`).join('');
    const { text, nulRemoved, surrogatesReplaced } = storableText(every);
    expect(text.includes('\u0000')).toBe(false);
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
    expect({ nulRemoved, surrogatesReplaced }).toEqual({ nulRemoved: 1, surrogatesReplaced: 0x800 });
  });

  it('cleans the users pulled into the directory too (one would fail the whole pull)', () => {
    const user = {
      Id: '005000000000001AAA',
      FirstName: '\u0000',
      LastName: 'Op\u0000erator',
      Email: null,
      Title: 'Desk \udc00',
      Phone: '+1 415 555 0100',
      MobilePhone: null,
      extension: null,
    };
    expect(userToContact(user, 'US')).toMatchObject({ firstName: null, lastName: 'Operator', title: 'Desk \ufffd' });
  });
});
