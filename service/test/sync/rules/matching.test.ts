import {
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
      'candidates Contact 003C (modified 2024-06-01T00:00:00.000Z), Lead 00QL (modified 2024-06-02T00:00:00.000Z), Person Account 001P (modified 2024-06-03T00:00:00.000Z): primary Contact 003C (Contact outranks Lead)',
    );
  });

  it('breaks a tie on the object by the most recent modification, then by id', () => {
    const older = rec('Lead', '00QA', '2024-06-01T00:00:00.000Z');
    const newer = rec('Lead', '00QB', '2024-06-05T00:00:00.000Z');
    expect(rankCandidates([older, newer])[0]).toBe(newer);
    expect(describeChoice(rankCandidates([older, newer]))).toContain(
      'primary Lead 00QB (both Lead, 00QB modified more recently)',
    );
    expect(compareCandidates(rec('Contact', '003A', null), rec('Contact', '003B', null))).toBeLessThan(0);
    expect(
      compareCandidates(rec('Contact', '003A', null), rec('Contact', '003B', '2024-01-01T00:00:00.000Z')),
    ).toBeGreaterThan(0);
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
