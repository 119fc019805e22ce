import { contactHealthOf, worstState } from '../../src/directory/views';
import type { Link } from '../../src/store/state/links';
import type { RecordHealth } from '../../src/store/state/recordHealth';

const CONTACT = '0190a6f2-0000-7000-8000-000000000001';

const link = (orgId: string, recordId: string): Link => ({
  id: `${orgId}-${recordId}`,
  orgId,
  contactId: CONTACT,
  sobject: 'Contact',
  recordId,
  sfHash: null,
  telephonyHash: null,
  sfModstamp: null,
  sfValues: null,
  role: 'primary',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
});

const entry = (orgId: string, side: RecordHealth['side'], state: RecordHealth['state']): RecordHealth => ({
  orgId,
  side,
  key: side === 'salesforce' ? '003000000000001AAA' : CONTACT,
  sobject: 'Contact',
  recordId: null,
  contactId: null,
  state,
  code: state === 'failing' ? 'UNABLE_TO_LOCK_ROW' : 'EXCLUDED_NO_VALID_PHONE',
  reason: 'why',
  attempts: state === 'failing' ? 2 : 0,
  nextRetryAt: null,
  ignoredAt: null,
  since: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
});

describe('directory views: a contact’s health', () => {
  it('lets the worst state decide: failing over excluded over in sync', () => {
    expect(worstState([])).toBe('in_sync');
    expect(worstState([{ state: 'excluded' }, { state: 'in_sync' }])).toBe('excluded');
    expect(worstState([{ state: 'excluded' }, { state: 'failing' }])).toBe('failing');
  });

  it('lists every org the contact is linked in or has entries in, sorted, each with its own state', () => {
    const health = contactHealthOf(
      CONTACT,
      [link('org-b', '003000000000002AAA'), link('org-a', '003000000000001AAA')],
      [entry('org-a', 'salesforce', 'excluded'), entry('org-c', 'telephony', 'failing')],
    );
    expect(health.state).toBe('failing');
    expect(health.orgs.map((o) => [o.orgId, o.state, o.records.length, o.entries.length])).toEqual([
      ['org-a', 'excluded', 1, 1],
      ['org-b', 'in_sync', 1, 0],
      ['org-c', 'failing', 0, 1],
    ]);
    // The entry's key names the record on the Salesforce side and the contact on the telephony side.
    expect(health.orgs[0].entries[0]).toMatchObject({ recordId: '003000000000001AAA', contactId: null });
    expect(health.orgs[2].entries[0]).toMatchObject({ recordId: null, contactId: CONTACT, retries: 2 });
  });
});
