import {
  addedMatchKeys,
  compareCandidates,
  describeChoice,
  matchKeysOf,
  pickContact,
  rankCandidates,
  type CandidateRecord,
  type MatchedContact,
  type RankedLink,
} from '../../../src/sync/rules/matching';
import type { ContactFields } from '../../../src/directory/model';

const rec = (sobject: string, recordId: string, modstamp: string | null): CandidateRecord => ({
  sobject,
  recordId,
  modstamp,
});

describe('candidate priority', () => {
  it('ranks Contact over Lead over Person Account, whatever their modification times', () => {
    const ranked = rankCandidates([
      rec('Account', '001P', '2024-06-03T00:00:00.000Z'),
      rec('Lead', '00QL', '2024-06-02T00:00:00.000Z'),
      rec('Contact', '003C', '2024-06-01T00:00:00.000Z'),
    ]);
    expect(ranked.map((r) => r.recordId)).toEqual(['003C', '00QL', '001P']);
    expect(describeChoice(ranked)).toBe(
      'candidates Contact 003C, Lead 00QL, Person Account 001P: primary Contact 003C (Contact outranks Lead)',
    );
  });

  it('breaks a tie on the object by the record id (the older record), never by modification time', () => {
    const older = rec('Lead', '00QA', '2024-06-01T00:00:00.000Z');
    const newer = rec('Lead', '00QB', '2024-06-05T00:00:00.000Z');
    expect(rankCandidates([newer, older])[0]).toBe(older);
    expect(describeChoice(rankCandidates([newer, older]))).toBe(
      'candidates Lead 00QA, Lead 00QB: primary Lead 00QA (both Lead, 00QA is the older record (lower record id))',
    );
    // A later SystemModstamp (the service's own status write, a colleague's edit) changes nothing.
    expect(
      compareCandidates(rec('Contact', '003A', null), rec('Contact', '003B', '2024-01-01T00:00:00.000Z')),
    ).toBeLessThan(0);
    expect(
      compareCandidates(rec('Contact', '003B', '2030-01-01T00:00:00.000Z'), rec('Contact', '003A', null)),
    ).toBeGreaterThan(0);
    // The 18-character form ranks as its 15-character id (the suffix is a checksum of its case).
    expect(compareCandidates(rec('Contact', '003000000000001AAA', null), rec('Contact', '003000000000001', null))).toBe(
      0,
    );
    expect(
      compareCandidates(rec('Contact', '003000000000001ZZZ', null), rec('Contact', '003000000000002AAA', null)),
    ).toBeLessThan(0);
  });

  it('describes no choice for a single candidate', () => {
    expect(describeChoice([rec('Contact', '003A', null)])).toBe('');
  });
});

describe('match keys', () => {
  const fields: ContactFields = {
    email: 'Ada@Example.com',
    phones: [
      { kind: 'work', raw: '(415) 555-2671', e164: '+14155552671', extension: null },
      { kind: 'home', raw: '415.555.2671 x12', e164: '+14155552671', extension: '12' },
      { kind: 'other', raw: 'ask', e164: null, extension: null },
    ],
  };

  it('uses every E.164 number and the email for "both", only one kind otherwise', () => {
    expect(matchKeysOf(fields, 'both')).toEqual({ e164s: ['+14155552671'], email: 'Ada@Example.com' });
    expect(matchKeysOf(fields, 'phone')).toEqual({ e164s: ['+14155552671'], email: null });
    expect(matchKeysOf(fields, 'email')).toEqual({ e164s: [], email: 'Ada@Example.com' });
  });
});

describe('which directory contact an unlinked record joins', () => {
  const match = (contactId: string, byPhone: boolean, byEmail: boolean, updatedAt: string): MatchedContact => ({
    contactId,
    byPhone,
    byEmail,
    updatedAt,
  });
  const link = (contactId: string, sobject: string, recordId: string, sfModstamp: string | null): RankedLink => ({
    contactId,
    sobject,
    recordId,
    sfModstamp,
    role: 'primary',
  });

  it('joins nothing when no contact matched', () => {
    expect(pickContact([], [])).toBeNull();
  });

  it('prefers a contact the org does not link yet, even if a linked one matched more keys', () => {
    const pick = pickContact(
      [match('c-linked', true, true, '2026-01-02T00:00:00Z'), match('c-free', true, false, '2026-01-01T00:00:00Z')],
      [link('c-linked', 'Contact', '003A', null)],
    );
    expect(pick).toEqual({ contactId: 'c-free', matchedBy: 'phone', orgLinks: [] });
  });

  it('among free contacts: more shared keys, then the latest update, then the lower id', () => {
    expect(
      pickContact(
        [match('c-1', true, false, '2026-02-01T00:00:00Z'), match('c-2', true, true, '2026-01-01T00:00:00Z')],
        [],
      )?.contactId,
    ).toBe('c-2');
    expect(
      pickContact(
        [match('c-1', true, false, '2026-01-01T00:00:00Z'), match('c-2', true, false, '2026-02-01T00:00:00Z')],
        [],
      )?.contactId,
    ).toBe('c-2');
    expect(
      pickContact(
        [match('c-2', false, true, '2026-01-01T00:00:00Z'), match('c-1', false, true, '2026-01-01T00:00:00Z')],
        [],
      ),
    ).toEqual({ contactId: 'c-1', matchedBy: 'email', orgLinks: [] });
  });

  it('when every match is linked, joins the contact whose primary record ranks highest and hands back its links', () => {
    const leadLink = link('c-lead', 'Lead', '00QA', '2026-03-01T00:00:00Z');
    const contactLink = link('c-contact', 'Contact', '003B', '2026-01-01T00:00:00Z');
    const pick = pickContact(
      [match('c-lead', true, true, '2026-03-01T00:00:00Z'), match('c-contact', true, false, '2026-01-01T00:00:00Z')],
      [leadLink, contactLink],
    );
    expect(pick).toEqual({ contactId: 'c-contact', matchedBy: 'phone', orgLinks: [contactLink] });
  });
});

describe('addedMatchKeys: the keys a write gives a contact that it did not carry', () => {
  const phone = (e164: string | null, raw = e164 ?? 'ext. 12') => ({
    kind: 'work' as const,
    raw,
    e164,
    extension: null,
  });
  const before: ContactFields = { email: 'Grace@Example.com', phones: [phone('+14155550100')] };

  it('names new numbers and a new email only', () => {
    expect(
      addedMatchKeys(before, {
        phones: [phone('+14155550100'), phone('+14155550199'), phone(null)],
        email: ' grace@example.com ',
      }),
    ).toEqual({ e164s: ['+14155550199'], email: null });
    expect(addedMatchKeys(before, { email: 'New@Example.com' })).toEqual({ e164s: [], email: 'new@example.com' });
  });

  it('a write without phones or email adds nothing; a cleared email is no key', () => {
    expect(addedMatchKeys(before, { title: 'Admiral' })).toEqual({ e164s: [], email: null });
    expect(addedMatchKeys(before, { email: null, phones: [] })).toEqual({ e164s: [], email: null });
  });

  it('every key of a new contact', () => {
    expect(addedMatchKeys({}, before)).toEqual({ e164s: ['+14155550100'], email: 'grace@example.com' });
  });
});
