import { createHash } from 'node:crypto';
import { SOBJECT_NAMES, type SObjectName } from '../../emulator/org/schema';
import { DEMO_SEED } from '../../emulator/org/seed';
import { OrgStore, type SfRecord } from '../../emulator/org/store';

/**
 * Seeded records are a pure function of (org, object, index): the demo, the docs and the tests all
 * rely on record i being the same on every run. These values were taken from the generator before it
 * was rewritten for speed; a change here is a change of the demo data, never a side effect.
 */
describe('emulator seed data', () => {
  const org = (orgNumber: number): OrgStore => new OrgStore({ orgNumber, personAccounts: true, seed: DEMO_SEED });
  const one = org(1);
  const seeded = (store: OrgStore, sobject: SObjectName, index: number): SfRecord | undefined =>
    store.get(sobject, store.idFor(sobject, index));

  const admin = '005010000000001AAA';
  const audit = (id: string, stamp: string) => ({
    Id: id,
    IsDeleted: false,
    CreatedDate: stamp,
    CreatedById: admin,
    LastModifiedDate: stamp,
    LastModifiedById: admin,
    SystemModstamp: stamp,
  });

  it('pins Contacts, including one without a first name', () => {
    expect(seeded(one, 'Contact', 0)).toEqual({
      ...audit('003010000000000AAA', '2024-12-31T23:55:00.000Z'),
      OwnerId: admin,
      AccountId: '001010000000000AAA',
      FirstName: 'Mateo',
      LastName: 'Lamarr',
      Name: 'Mateo Lamarr',
      Title: 'Sales Director',
      Email: null,
      Phone: '+1 303 742 6928',
      MobilePhone: null,
      HomePhone: '+44 20 7000 0094',
      OtherPhone: null,
      Department: null,
      Description: null,
    });
    expect(seeded(one, 'Contact', 2)).toMatchObject({
      FirstName: null,
      LastName: 'Lamarr',
      Name: 'Lamarr',
      Email: 'sophie.lamarr2@initech.example.com',
      Phone: '303-699-1481 x578',
      MobilePhone: '+49 30 48022593',
    });
    expect(seeded(one, 'Contact', 17)).toMatchObject({
      Id: '00301000000000HAAQ',
      AccountId: '00101000000000HAAQ',
      Name: 'Dennis Liskov',
      Title: 'Office Manager',
      Email: 'dennis.liskov17@vandelayimports.example.com',
      Phone: null,
      MobilePhone: '212.501.6377',
      OtherPhone: '512.704.0302',
    });
  });

  it('pins a Lead, a business Account, a Person Account and a User', () => {
    expect(seeded(one, 'Lead', 3)).toEqual({
      ...audit('00Q010000000003EAA', '2024-12-31T23:58:03.000Z'),
      OwnerId: admin,
      FirstName: 'Radia',
      LastName: 'Berners-Lee',
      Name: 'Radia Berners-Lee',
      Company: 'Hooli',
      Title: 'Telephony Admin',
      Email: 'radia.bernerslee3@hooli.example.com',
      Phone: '(512) 616-9758',
      MobilePhone: null,
      Status: 'Open - Not Contacted',
      IsConverted: false,
    });
    expect(seeded(one, 'Account', 2)).toMatchObject({
      Name: 'Initech',
      Phone: null,
      IsPersonAccount: false,
      LastName: null,
    });
    expect(seeded(one, 'Account', 45)).toMatchObject({
      Id: '00101000000000jAAA',
      Name: 'Sophie Shannon',
      Phone: '3036715348',
      IsPersonAccount: true,
      PersonEmail: 'sophie.shannon45@mail.example.org',
      PersonMobilePhone: '+49 30 76717880',
    });
    expect(seeded(one, 'User', 3)).toMatchObject({
      Username: 'radia.3@example.com',
      Name: 'Radia Berners-Lee',
      Email: 'user3@example.com',
      Phone: '+1 415 555 0103',
      Extension: '103',
    });
  });

  it('pins every seeded Contact of the demo org (values and field order)', () => {
    const hash = createHash('sha256');
    for (const record of one.scan('Contact')) hash.update(`${JSON.stringify(record)}\n`);
    expect(hash.digest('hex')).toBe('cf63b3f59649b43f0aee063fc8bb0df124cb95942c14287eb8d2ef8e6a097ec5');
  });

  it('generates the same records in every store of the same org, and scan agrees with get', () => {
    const again = org(1);
    for (const sobject of SOBJECT_NAMES) {
      const scanned = [...one.scan(sobject)];
      expect(scanned).toHaveLength(one.seedCount(sobject));
      scanned.forEach((record, index) => {
        expect(seeded(again, sobject, index)).toEqual(record);
      });
    }
  });

  it('gives two orgs disjoint ids and different people', () => {
    const two = org(2);
    const idsOf = (store: OrgStore): string[] =>
      SOBJECT_NAMES.flatMap((sobject) => [...store.scan(sobject)].map((r) => r.Id));
    const first = idsOf(one);
    const second = new Set(idsOf(two));
    expect(first.length).toBeGreaterThan(500);
    expect(second.size).toBe(first.length);
    expect(first.filter((id) => second.has(id))).toEqual([]);
    expect(seeded(two, 'Contact', 0)).toMatchObject({
      Id: '003020000000000AAA',
      Name: 'Edsger McCarthy',
      OwnerId: '005020000000001AAA',
    });
    // Every record points at its own org's users and accounts.
    for (const record of two.scan('Contact')) {
      expect(two.sobjectOfId(String(record.OwnerId))).toBe('User');
      expect(two.sobjectOfId(String(record.AccountId))).toBe('Account');
    }
  });
});
