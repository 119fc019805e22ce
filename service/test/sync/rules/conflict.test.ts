import {
  conflictAudit,
  flatten,
  resolveChange,
  resolveJoin,
  resolveTakeOver,
  sameValue,
  toContactFields,
  type FlatFields,
} from '../../../src/sync/rules/conflict';
import type { DirectoryPhone } from '../../../src/directory/model';

const phone = (
  kind: DirectoryPhone['kind'],
  raw: string,
  e164: string | null,
  extension: string | null = null,
): DirectoryPhone => ({ kind, raw, e164, extension });

describe('field comparison', () => {
  it('compares numbers by E.164 and extension however typed, emails without case, other text exactly', () => {
    expect(
      sameValue(
        'phone.work',
        phone('work', '(415) 555-2671', '+14155552671'),
        phone('work', '+1 415 555 2671', '+14155552671'),
      ),
    ).toBe(true);
    expect(
      sameValue(
        'phone.work',
        phone('work', '415 555 2671 x1', '+14155552671', '1'),
        phone('work', '4155552671', '+14155552671'),
      ),
    ).toBe(false);
    expect(sameValue('phone.other', phone('other', ' ask ', null), phone('other', 'ask', null))).toBe(true);
    expect(sameValue('email', 'Ada@Example.com', 'ada@example.com')).toBe(true);
    expect(sameValue('lastName', 'Lovelace', 'lovelace')).toBe(false);
    expect(sameValue('title', null, undefined)).toBe(true);
  });
});

describe('conflict kind (a): a record joins a contact it was not linked to', () => {
  const directory: FlatFields = {
    firstName: 'Ada',
    title: 'Analyst',
    email: null,
    'phone.work': phone('work', '415 555 2671', '+14155552671'),
    'phone.home': phone('home', '+44 20 7946 0958', '+442079460958'),
  };
  const salesforce: FlatFields = {
    firstName: 'Augusta',
    title: null,
    email: 'ada@example.com',
    'phone.work': phone('work', '(415) 555-2671', '+14155552671'),
    'phone.home': null,
  };

  it('gives differing values to Salesforce when it wins; empty fields fill from the side that has a value', () => {
    const r = resolveJoin(directory, salesforce, 'salesforce');
    expect(r.toDirectory).toEqual({ firstName: 'Augusta', email: 'ada@example.com' });
    expect(r.toSalesforce).toEqual([]);
    expect(r.settledBySalesforce).toEqual(['firstName', 'email']);
    expect(r.conflicts).toEqual([
      { field: 'firstName', winner: 'salesforce', salesforce: 'Augusta', telephony: 'Ada' },
    ]);
  });

  it('keeps the directory values when telephony wins and sends them, and the values Salesforce lacks, to Salesforce', () => {
    const r = resolveJoin(directory, salesforce, 'telephony');
    expect(r.toDirectory).toEqual({ email: 'ada@example.com' });
    expect(r.toSalesforce).toEqual(['firstName', 'title', 'phone.home']);
    expect(r.conflicts).toEqual([{ field: 'firstName', winner: 'telephony', salesforce: 'Augusta', telephony: 'Ada' }]);
    expect(conflictAudit(r.conflicts)).toEqual({ before: { firstName: 'Augusta' }, after: { firstName: 'Ada' } });
  });
});

describe('take-over: a record takes the primary place from another record of the same org', () => {
  // Alice's record was primary; Bob's (same office number) now outranks it.
  const alice: FlatFields = { firstName: 'Alice', lastName: 'Able', title: 'Receptionist', email: null };
  const bob: FlatFields = { firstName: 'Bob', lastName: 'Baker', title: null, email: 'bob@example.com' };

  it("replaces what the contact holds of the previous primary's values, blanks included, whichever side wins", () => {
    for (const winner of ['salesforce', 'telephony'] as const) {
      const r = resolveTakeOver({ ...alice }, bob, alice, winner);
      expect(r.toDirectory).toEqual({ firstName: 'Bob', lastName: 'Baker', title: null, email: 'bob@example.com' });
      expect(r.toSalesforce).toEqual([]);
      expect(r.conflicts).toEqual([]);
    }
  });

  it('joins a field the directory changed since (a phone-side edit) by the rules of kind (a)', () => {
    const directory: FlatFields = { ...alice, title: 'Front desk' };
    const bySalesforce = resolveTakeOver(directory, bob, alice, 'salesforce');
    // Bob has no title: an empty value is no opinion, the phone side's edit stays.
    expect(bySalesforce.toDirectory).toEqual({ firstName: 'Bob', lastName: 'Baker', email: 'bob@example.com' });
    const byTelephony = resolveTakeOver(directory, bob, alice, 'telephony');
    expect(byTelephony.toSalesforce).toEqual(['title']);
  });

  it('is a plain join for fields the previous primary did not feed', () => {
    const r = resolveTakeOver(
      { ...alice, title: 'Analyst' },
      bob,
      { firstName: 'Alice', lastName: 'Able' },
      'salesforce',
    );
    expect(r.toDirectory).toEqual({ firstName: 'Bob', lastName: 'Baker', email: 'bob@example.com' });
  });
});

describe('conflict kind (b): changed on both sides since the last sync', () => {
  const base: FlatFields = { firstName: 'Ada', title: 'Analyst', lastName: 'Lovelace' };

  it('merges a field changed on one side only, and gives a field changed on both to the winner', () => {
    const input = {
      // Directory changed the title; Salesforce changed the first name and the title.
      directory: { firstName: 'Ada', title: 'Countess', lastName: 'Lovelace' },
      salesforce: { firstName: 'Augusta', title: 'Mathematician', lastName: 'Lovelace' },
      base,
      sfChanged: ['firstName', 'title'] as const,
    };
    const sfWins = resolveChange({ ...input, sfChanged: [...input.sfChanged], winner: 'salesforce' });
    expect(sfWins.toDirectory).toEqual({ firstName: 'Augusta', title: 'Mathematician' });
    expect(sfWins.settledBySalesforce).toEqual(['firstName', 'title']);
    expect(sfWins.conflicts).toEqual([
      { field: 'title', winner: 'salesforce', salesforce: 'Mathematician', telephony: 'Countess' },
    ]);
    expect(conflictAudit(sfWins.conflicts)).toEqual({
      before: { title: 'Countess' },
      after: { title: 'Mathematician' },
    });

    const telephonyWins = resolveChange({ ...input, sfChanged: [...input.sfChanged], winner: 'telephony' });
    expect(telephonyWins.toDirectory).toEqual({ firstName: 'Augusta' });
    expect(telephonyWins.toSalesforce).toEqual(['title']);
    expect(telephonyWins.settledBySalesforce).toEqual(['firstName']);
    expect(conflictAudit(telephonyWins.conflicts)).toEqual({
      before: { title: 'Mathematician' },
      after: { title: 'Countess' },
    });
  });

  it('keeps a directory-only change when Salesforce did not touch the field', () => {
    const r = resolveChange({
      directory: { title: 'Countess', lastName: 'King' },
      salesforce: { title: 'Analyst', lastName: 'King' },
      base,
      sfChanged: ['lastName'],
      winner: 'salesforce',
    });
    expect(r.toDirectory).toEqual({});
    expect(r.conflicts).toEqual([]);
  });

  it('sees no conflict when both sides changed a field to the same value, and applies a field without history', () => {
    const r = resolveChange({
      directory: { title: 'Countess', email: 'x@y.z' },
      salesforce: { title: 'Countess', email: 'a@b.c' },
      base: { title: 'Analyst' },
      sfChanged: ['title', 'email'],
      winner: 'telephony',
    });
    expect(r.conflicts).toEqual([]);
    expect(r.toDirectory).toEqual({ email: 'a@b.c' });
  });
});

describe('flat fields and contacts', () => {
  it('reads the first number of each kind and writes a kind back without touching the other numbers', () => {
    const phones = [
      phone('work', 'w1', null),
      phone('mobile', 'm1', null),
      phone('mobile', 'm2', null),
      phone('home', 'h', null),
    ];
    expect(flatten({ firstName: 'Ada', phones }, ['firstName', 'phone.mobile', 'phone.other'])).toEqual({
      firstName: 'Ada',
      'phone.mobile': phones[1],
      'phone.other': null,
    });
    expect(
      toContactFields(phones, { title: null, 'phone.mobile': phone('mobile', 'm3', null), 'phone.home': null }),
    ).toEqual({
      title: null,
      phones: [phones[0], phone('mobile', 'm3', null)],
    });
  });
});
