import { mappedRecord, unchangedForLink, type LinkMemory } from '../../../src/sync/rules/unchangedRecord';
import type { SfChangeRecord, SfValue } from '../../../src/model/records';
import { CONTACT_SYNC } from '../../support/fixtures';
import type { OrgSyncSettings } from '../../../src/sync/rules/context';

const values: Record<string, SfValue> = {
  FirstName: 'Ada',
  LastName: 'Lovelace',
  Phone: '(415) 555-2671',
  Email: 'ada@example.com',
};

/** The link the load left: the record's mapped values, their hash, its SystemModstamp. */
function linkOf(settings: OrgSyncSettings, recordValues: Record<string, SfValue>, at: string): LinkMemory {
  const mapped = mappedRecord(settings, 'Contact', recordValues, null);
  return { sfValues: mapped.values, sfHash: mapped.sfHash, sfModstamp: at };
}

const record = (v: Record<string, SfValue>, at = '2026-12-07T10:05:00.000Z'): SfChangeRecord => ({
  id: '003000000000001AAA',
  systemModstamp: at,
  values: v,
});

describe('a linked record applied again, decided without I/O', () => {
  const link = linkOf(CONTACT_SYNC, values, '2026-12-07T10:00:00.000Z');

  it('changes nothing when its values are those the link holds (only its SystemModstamp moved: a status write)', () => {
    expect(unchangedForLink(CONTACT_SYNC, 'Contact', record(values), link)).toBe(true);
    // A record carrying fewer fields than mapped: the link's values fill in, as the apply does.
    expect(unchangedForLink(CONTACT_SYNC, 'Contact', record({ LastName: 'Lovelace' }), link)).toBe(true);
  });

  it('changes nothing when it is older than what the link saw, whatever it holds', () => {
    const older = record({ ...values, LastName: 'Byron' }, '2026-12-07T09:00:00.000Z');
    expect(unchangedForLink(CONTACT_SYNC, 'Contact', older, link)).toBe(true);
  });

  it('is not known here when a value differs, when text needs cleaning, or when the validity rules now refuse it', () => {
    expect(unchangedForLink(CONTACT_SYNC, 'Contact', record({ ...values, Title: 'Countess' }), link)).toBe(false);
    expect(unchangedForLink(CONTACT_SYNC, 'Contact', record({ ...values, LastName: 'Love\u0000lace' }), link)).toBe(
      false,
    );
    const strict: OrgSyncSettings = {
      ...CONTACT_SYNC,
      policy: {
        ...CONTACT_SYNC.policy,
        validity: { ...CONTACT_SYNC.policy.validity, requireFirstName: true },
      },
    };
    const noFirstName = { ...values, FirstName: null };
    const linkWithout = linkOf(strict, noFirstName, '2026-12-07T10:00:00.000Z');
    expect(unchangedForLink(strict, 'Contact', record(noFirstName), linkWithout)).toBe(false);
    expect(unchangedForLink(CONTACT_SYNC, 'Contact', record(noFirstName), linkWithout)).toBe(true);
  });

  it('on a sync that only writes to Salesforce, the values alone decide (no validity rule removes anything)', () => {
    const toSalesforce: OrgSyncSettings = {
      ...CONTACT_SYNC,
      policy: {
        ...CONTACT_SYNC.policy,
        direction: 'toSalesforce',
        validity: { ...CONTACT_SYNC.policy.validity, requireFirstName: true },
      },
    };
    const noFirstName = { ...values, FirstName: null };
    const linked = linkOf(toSalesforce, noFirstName, '2026-12-07T10:00:00.000Z');
    expect(unchangedForLink(toSalesforce, 'Contact', record(noFirstName), linked)).toBe(true);
    expect(unchangedForLink(toSalesforce, 'Contact', record({ ...noFirstName, LastName: 'B' }), linked)).toBe(false);
  });
});
