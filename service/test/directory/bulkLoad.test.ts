import { getContact, insertContact } from '../../src/directory/contacts';
import { takenMatchKeys } from '../../src/directory/bulkLoad';
import { findLinkByRecord } from '../../src/store/state/links';
import { applyUpsert } from '../../src/sync/inbound/applyChange';
import { applySnapshotPage, prepareRows, prepareRowsInSlices } from '../../src/sync/initialSync/initialSyncPage';
import { DEFAULT_POLICY, type OrgSyncSettings } from '../../src/sync/rules/context';
import { getRecordHealth } from '../../src/store/state/recordHealth';
import type { BulkRow } from '../../src/salesforce/bulk/bulkQuery';
import { describeEachBackend, resetDatabase } from '../support/backends';
import { CONTACT_SYNC, contactFields, ORG_ID, phone, seedOrg } from '../support/fixtures';

const settings = CONTACT_SYNC;

/** A Contact as a Bulk API CSV row carries it (empty cells already null). */
function row(n: number, overrides: BulkRow = {}): BulkRow {
  return {
    Id: `003000000000${String(n).padStart(3, '0')}AAA`,
    SystemModstamp: '2025-01-01T00:00:00.000Z',
    FirstName: 'Grace',
    LastName: `Hopper ${n}`,
    Email: `grace${n}@example.com`,
    Title: ' Rear Admiral ',
    'Account.Name': 'Navy',
    Phone: `(415) 555-${String(1000 + n)}`,
    MobilePhone: null,
    HomePhone: null,
    OtherPhone: null,
    ...overrides,
  };
}

describeEachBackend('bulk load of a snapshot page', (getDb) => {
  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
  });

  const load = (rows: BulkRow[], s: OrgSyncSettings = settings, label = 'test page 1') =>
    getDb().transaction((tx) => applySnapshotPage(tx, s, 'Contact', prepareRows(s, 'Contact', rows), label));

  it('writes a new record exactly as applyUpsert would: contact, phones, link values and hashes', async () => {
    const bulk = row(1);
    const single = row(2, { LastName: 'Hopper 1', Email: 'grace1@example.org', Phone: '(415) 555-1099' });
    expect(await load([bulk])).toMatchObject({ created: 1, excluded: 0, perRecord: 0 });
    await getDb().transaction((tx) =>
      applyUpsert(
        tx,
        settings,
        'Contact',
        { id: String(single.Id), systemModstamp: String(single.SystemModstamp), values: single },
        'test',
      ),
    );
    const [a, b] = await Promise.all([
      findLinkByRecord(getDb(), ORG_ID, String(bulk.Id)),
      findLinkByRecord(getDb(), ORG_ID, String(single.Id)),
    ]);
    const [ca, cb] = await Promise.all([getContact(getDb(), a!.contactId), getContact(getDb(), b!.contactId)]);
    // The two rows differ only in their email and phone digits; everything else must be identical.
    const strip = (c: typeof ca) => ({
      ...c,
      id: '',
      createdAt: '',
      updatedAt: '',
      email: '',
      phones: c!.phones.map((p) => ({ ...p, raw: '', e164: '' })),
    });
    expect(strip(ca)).toEqual(strip(cb));
    expect(ca).toMatchObject({
      firstName: 'Grace',
      lastName: 'Hopper 1',
      title: 'Rear Admiral',
      company: 'Navy',
      source: 'salesforce',
      version: 1,
    });
    expect(ca!.phones).toEqual([phone('work', '+14155551001', '(415) 555-1001')]);
    expect(a).toMatchObject({
      sobject: 'Contact',
      role: 'primary',
      sfModstamp: '2025-01-01T00:00:00.000Z',
      sfValues: {
        FirstName: 'Grace',
        LastName: 'Hopper 1',
        Email: 'grace1@example.com',
        Title: ' Rear Admiral ',
        'Account.Name': 'Navy',
        Phone: '(415) 555-1001',
        MobilePhone: null,
        HomePhone: null,
        OtherPhone: null,
      },
    });
    // Hashes are taken the same way: same values give the same hashes.
    const again = row(3, { LastName: 'Hopper 1', Email: 'grace1@example.com', Phone: '(415) 555-1001' });
    await resetDatabase(getDb());
    await seedOrg(getDb());
    await getDb().transaction((tx) =>
      applyUpsert(
        tx,
        settings,
        'Contact',
        { id: String(again.Id), systemModstamp: String(again.SystemModstamp), values: again },
        'test',
      ),
    );
    const viaRules = await findLinkByRecord(getDb(), ORG_ID, String(again.Id));
    expect({ sfHash: viaRules!.sfHash, telephonyHash: viaRules!.telephonyHash }).toEqual({
      sfHash: a!.sfHash,
      telephonyHash: a!.telephonyHash,
    });
  });

  it('sends possible matches, repeats within the page, linked and unhealthy records through the per-record rules', async () => {
    await insertContact(getDb(), contactFields({ email: 'Taken@Example.com ', phones: [] }), 'telephony');
    await load([row(9)], settings, 'earlier page');
    const rows = [
      row(1), // new: batched
      row(2, { Email: 'taken@example.com' }), // matches the telephony contact by email
      row(3, { Phone: '415.555.1001' }), // same number as row 1, earlier in the page
      row(9, { Title: 'Commodore' }), // already linked
      row(4, { Phone: 'ask reception' }), // excluded: no valid phone
    ];
    expect(await load(rows)).toMatchObject({ created: 1, excluded: 1, perRecord: 3 });
    const joined = await findLinkByRecord(getDb(), ORG_ID, String(rows[1].Id));
    expect((await getContact(getDb(), joined!.contactId))?.source).toBe('telephony');
    const linked = await findLinkByRecord(getDb(), ORG_ID, String(rows[3].Id));
    expect((await getContact(getDb(), linked!.contactId))?.title).toBe('Commodore');
    expect(await findLinkByRecord(getDb(), ORG_ID, String(rows[4].Id))).toBeNull();
    expect(await getRecordHealth(getDb(), ORG_ID, 'salesforce', String(rows[4].Id))).toMatchObject({
      state: 'excluded',
      code: 'EXCLUDED_NO_VALID_PHONE',
      reason: expect.stringContaining('Phone "ask reception"'),
    });
    const { rows: audits } = await getDb().query<{ action: string; rule: string }>(
      "SELECT action, rule FROM audit_log WHERE rule LIKE 'test page 1: % in one batch %' OR rule LIKE 'test page 1: % excluded by %' ORDER BY id",
    );
    expect(audits).toEqual([
      { action: 'create', rule: 'test page 1: 1 new contacts and links in one batch (no match by the match keys)' },
      { action: 'excluded', rule: 'test page 1: 1 records excluded by the validity rules (reasons in record health)' },
    ]);
  });

  it('batches nothing when Salesforce changes may not reach the directory', async () => {
    const outbound = { ...settings, policy: { ...DEFAULT_POLICY, direction: 'toSalesforce' as const } };
    expect(await load([row(1), row(2)], outbound)).toMatchObject({ created: 0, excluded: 0, perRecord: 2 });
  });

  it('finds taken keys as the directory compares them', async () => {
    await insertContact(
      getDb(),
      contactFields({ email: '  Ada@Example.COM', phones: [phone('work', '+14155552671')] }),
      'telephony',
    );
    const taken = await takenMatchKeys(
      getDb(),
      ['+14155552671', '+14155550000'],
      ['ada@example.com', 'bob@example.com'],
    );
    expect(taken).toEqual({ e164s: new Set(['+14155552671']), emails: new Set(['ada@example.com']) });
  });
});

describe('preparing a page in slices', () => {
  const rows = Array.from({ length: 12 }, (_, i) => row(i));

  it('maps exactly what preparing it at once maps', async () => {
    expect(await prepareRowsInSlices(settings, 'Contact', rows, 5)).toEqual(prepareRows(settings, 'Contact', rows));
  });

  it('lets the event loop run between slices (the database answers the page being written meanwhile)', async () => {
    const order: string[] = [];
    const preparing = prepareRowsInSlices(settings, 'Contact', rows, 5).then(() => order.push('prepared'));
    setImmediate(() => order.push('other work'));
    await preparing;
    expect(order).toEqual(['other work', 'prepared']);
  });
});
