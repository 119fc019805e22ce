import type { BookContact } from '../../src/directory/phoneBookReads';
import { DEFAULT_ENTRY_OPTIONS, toEntry } from '../../src/phonebook/entries';

const MUELLER: BookContact = {
  id: '0b6f3e0c-1d2a-4c53-9a57-5d1f0e6a0001',
  firstName: 'Jürgen',
  lastName: 'Müller-Lüdenscheidt',
  company: 'Bäcker & Söhne',
  title: 'Chef\nde cuisine',
  email: null,
  updatedAt: '2026-03-01T10:20:30.000Z',
  phones: [
    { kind: 'work', raw: '030 123456', e164: '+4930123456', extension: null },
    { kind: 'other', raw: 'ext 12 only', e164: null, extension: '12' },
  ],
};

describe('phone-book entries', () => {
  it('orders names last-first by default and first-last on request', () => {
    expect(toEntry(MUELLER, DEFAULT_ENTRY_OPTIONS).displayName).toBe('Müller-Lüdenscheidt, Jürgen');
    expect(toEntry(MUELLER, { ...DEFAULT_ENTRY_OPTIONS, nameOrder: 'first-last' }).displayName).toBe(
      'Jürgen Müller-Lüdenscheidt',
    );
  });

  it('cuts the display name to the cap without a dangling comma', () => {
    expect(toEntry(MUELLER, { ...DEFAULT_ENTRY_OPTIONS, nameMaxLength: 20 }).displayName).toBe('Müller-Lüdenscheidt');
    expect(toEntry(MUELLER, { ...DEFAULT_ENTRY_OPTIONS, nameMaxLength: 8 }).displayName).toBe('Müller-L');
    // An accent written as a combining mark stays with its letter.
    const combining = { ...MUELLER, firstName: null, lastName: 'Mu\u0308ller' };
    expect(toEntry(combining, { ...DEFAULT_ENTRY_OPTIONS, nameMaxLength: 2 }).displayName).toBe('Mu\u0308');
  });

  it('transliterates every text to ASCII on request ("Müller" → "Mueller")', () => {
    const entry = toEntry(
      { ...MUELLER, firstName: 'Дмитрий', lastName: 'Weiß' },
      { ...DEFAULT_ENTRY_OPTIONS, transliteration: 'ascii' },
    );
    expect(entry.displayName).toBe('Weiss, Dmitriy');
    expect(entry.company).toBe('Baecker & Soehne');
    expect(toEntry(MUELLER, { ...DEFAULT_ENTRY_OPTIONS, transliteration: 'ascii' }).lastName).toBe(
      'Mueller-Luedenscheidt',
    );
  });

  it('keeps every phone with its kind, E.164 where known, and writes every text on one line', () => {
    const entry = toEntry(MUELLER, DEFAULT_ENTRY_OPTIONS);
    expect(entry.phones).toEqual([
      { kind: 'work', number: '+4930123456', extension: null },
      { kind: 'other', number: 'ext 12 only', extension: '12' },
    ]);
    expect(entry.title).toBe('Chef de cuisine');
    expect(entry.email).toBeNull();
  });

  it('shows the company, then the first number, when a contact has no name', () => {
    const company = { ...MUELLER, firstName: null, lastName: null };
    expect(toEntry(company, DEFAULT_ENTRY_OPTIONS).displayName).toBe('Bäcker & Söhne');
    expect(toEntry({ ...company, company: null }, DEFAULT_ENTRY_OPTIONS).displayName).toBe('+4930123456');
  });
});
