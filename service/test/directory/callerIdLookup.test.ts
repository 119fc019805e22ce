import { describeEachBackend, resetDatabase } from '../support/backends';
import {
  CALLER_ID_SQL,
  callerDetailByEmail,
  callerDetailByNumbers,
  callerNameByNumbers,
} from '../../src/directory/callerIdLookup';
import { insertContact } from '../../src/directory/contacts';
import type { ContactFields, ContactSource, DirectoryPhone } from '../../src/directory/model';
import { createLink } from '../../src/store/state/links';
import { upsertOrg } from '../../src/store/state/orgs';
import type { Database } from '../../src/store/types';

const NUMBER = '+4930123456';
const phone = (
  e164: string,
  extension: string | null = null,
  kind: DirectoryPhone['kind'] = 'work',
): DirectoryPhone => ({
  kind,
  raw: e164,
  e164,
  extension,
});

describeEachBackend('caller-ID lookup SQL', (getDb) => {
  let db: Database;
  let serial = 0;
  beforeEach(async () => {
    db = getDb();
    await resetDatabase(db);
    await upsertOrg(db, {
      id: 'emea',
      name: 'EMEA',
      loginUrl: 'https://login.example.com',
      instanceUrl: 'https://emea.my.salesforce.com',
    });
    await upsertOrg(db, { id: 'us', name: 'US', loginUrl: 'https://login.example.com' });
  });

  async function contact(
    lastName: string,
    phones: DirectoryPhone[],
    more: ContactFields = {},
    source: ContactSource = 'salesforce',
  ) {
    const made = await insertContact(db, { firstName: 'A', lastName, phones, ...more }, source);
    return made.id;
  }
  async function link(contactId: string, sobject: string, orgId = 'emea', modstamp: string | null = null) {
    serial++;
    await createLink(db, {
      orgId,
      contactId,
      sobject,
      recordId: `${sobject.slice(0, 3)}${String(serial).padStart(15, '0')}`,
      sfModstamp: modstamp,
    });
  }
  const nameOf = async (e164s: string[], extension: string | null = null) =>
    (await callerNameByNumbers(db, e164s, extension))?.lastName ?? null;

  it('finds the contact a number belongs to, and nobody for an unknown number', async () => {
    await contact('Müller', [phone('+4940999'), phone(NUMBER, null, 'mobile')], { company: 'ACME' });
    expect(await callerNameByNumbers(db, [NUMBER], null)).toEqual({
      firstName: 'A',
      lastName: 'Müller',
      company: 'ACME',
      e164: NUMBER,
    });
    expect(await callerNameByNumbers(db, ['+4930999999'], null)).toBeNull();
    expect(await callerNameByNumbers(db, [], null)).toBeNull();
  });

  it('ranks Contact > Lead > Person Account, whatever was modified last', async () => {
    const account = await contact('Account', [phone(NUMBER)]);
    await link(account, 'Account', 'emea', '2026-12-01T00:00:00Z');
    const lead = await contact('Lead', [phone(NUMBER)]);
    await link(lead, 'Lead', 'emea', '2026-11-01T00:00:00Z');
    expect(await nameOf([NUMBER])).toBe('Lead');
    const contactRecord = await contact('Contact', [phone(NUMBER)]);
    await link(contactRecord, 'Contact', 'us', '2020-01-01T00:00:00Z');
    expect(await nameOf([NUMBER])).toBe('Contact');
  });

  it('a contact is ranked by its best record (a Lead that is also a Contact in another org is a Contact)', async () => {
    const lead = await contact('LeadOnly', [phone(NUMBER)]);
    await link(lead, 'Lead', 'emea', '2026-12-01T00:00:00Z');
    const both = await contact('Both', [phone(NUMBER)]);
    await link(both, 'Lead', 'emea', '2026-12-02T00:00:00Z');
    await link(both, 'Contact', 'us', '2019-01-01T00:00:00Z');
    expect(await nameOf([NUMBER])).toBe('Both');
  });

  it('same object: the older record (lower record id) wins, whatever was modified last', async () => {
    const older = await contact('Older', [phone(NUMBER)]);
    await link(older, 'Contact', 'emea', '2026-01-01T00:00:00Z');
    const newer = await contact('Newer', [phone(NUMBER)]);
    await link(newer, 'Contact', 'us', '2026-06-01T00:00:00Z');
    expect(await nameOf([NUMBER])).toBe('Older');
    // A later edit of the newer record (or the service's own status write) does not swap who is shown.
    await db.query(`UPDATE links SET sf_modstamp = '2027-01-01T00:00:00Z' WHERE contact_id = $1`, [newer]);
    await db.query(`UPDATE directory_contacts SET updated_at = now() + interval '1 day' WHERE id = $1`, [newer]);
    expect(await nameOf([NUMBER])).toBe('Older');
  });

  it('contacts without links (telephony-born) come after linked ones, the older first among themselves', async () => {
    await contact('Telephony', [phone(NUMBER)], {}, 'telephony');
    const account = await contact('PersonAccount', [phone(NUMBER)]);
    await link(account, 'Account', 'emea', '2000-01-01T00:00:00Z');
    expect(await nameOf([NUMBER])).toBe('PersonAccount');
    await resetDatabase(db);
    await contact('First', [phone(NUMBER)], {}, 'telephony');
    const second = await contact('Second', [phone(NUMBER)], {}, 'telephony');
    await db.query(`UPDATE directory_contacts SET updated_at = now() + interval '1 minute' WHERE id = $1`, [second]);
    expect(await nameOf([NUMBER])).toBe('First');
  });

  it('the candidates in the order given decide before the ranking; an asked extension before the main line', async () => {
    const lead = await contact('Lead', [phone('+4933123456789')]);
    await link(lead, 'Lead');
    const contactRecord = await contact('Contact', [phone('+33123456789')]);
    await link(contactRecord, 'Contact');
    expect(await nameOf(['+4933123456789', '+33123456789'])).toBe('Lead');
    expect(await nameOf(['+33123456789', '+4933123456789'])).toBe('Contact');

    await resetDatabase(db);
    await contact('Reception', [phone(NUMBER)], {}, 'telephony');
    await contact('Desk12', [phone(NUMBER, '12')], {}, 'telephony');
    expect(await nameOf([NUMBER], '12')).toBe('Desk12');
    expect(await nameOf([NUMBER], null)).toBe('Reception');
    expect(await nameOf([NUMBER], '99')).not.toBeNull();
  });

  it('the detail: phones in order, every record with its org instance URL, best first', async () => {
    const id = await contact('Müller', [phone('+4940999', null, 'mobile'), phone(NUMBER, '7')], {
      company: 'ACME',
      title: 'CEO',
      email: 'Anna@Example.com',
    });
    await link(id, 'Lead', 'us', '2026-12-01T00:00:00Z');
    await link(id, 'Contact', 'emea', '2026-01-01T00:00:00Z');
    const detail = await callerDetailByNumbers(db, [NUMBER], null);
    expect(detail).toEqual({
      matched: NUMBER,
      id,
      firstName: 'A',
      lastName: 'Müller',
      company: 'ACME',
      title: 'CEO',
      email: 'Anna@Example.com',
      phones: [phone('+4940999', null, 'mobile'), phone(NUMBER, '7')],
      records: [
        {
          orgId: 'emea',
          sobject: 'Contact',
          recordId: expect.stringMatching(/^Con/),
          instanceUrl: 'https://emea.my.salesforce.com',
        },
        { orgId: 'us', sobject: 'Lead', recordId: expect.stringMatching(/^Lea/), instanceUrl: null },
      ],
    });
    expect(await callerDetailByEmail(db, '  anna@example.COM ')).toEqual({ ...detail, matched: null });
    expect(await callerDetailByEmail(db, 'nobody@example.com')).toBeNull();
    expect(await callerDetailByNumbers(db, ['+4930999999'], null)).toBeNull();
  });

  it('a contact with no phones or links answers empty lists', async () => {
    const id = await contact('Solo', [], { email: 'solo@example.com' }, 'telephony');
    expect(await callerDetailByEmail(db, 'solo@example.com')).toMatchObject({ id, phones: [], records: [] });
  });

  it('is one probe of the e164 index (the plan at a realistic size)', async () => {
    await db.query(`INSERT INTO directory_contacts (id, last_name, source)
      SELECT md5(i::text)::uuid, 'N' || i, 'salesforce' FROM generate_series(1, 5000) i`);
    await db.query(`INSERT INTO directory_phones (contact_id, kind, raw, e164, position)
      SELECT md5(i::text)::uuid, 'work', '', '+4930' || (1000000 + i), 0 FROM generate_series(1, 5000) i`);
    await db.query(`INSERT INTO links (org_id, contact_id, sobject, record_id)
      SELECT 'emea', md5(i::text)::uuid, 'Contact', 'C' || i FROM generate_series(1, 5000) i`);
    await db.query('ANALYZE');
    for (const sql of [CALLER_ID_SQL.nameByNumber, CALLER_ID_SQL.detailByNumber]) {
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [
        ['+49301000001', '+301000001'],
        null,
      ]);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(
        /Index (Only )?Scan using directory_phones_e164_idx|Bitmap Index Scan on directory_phones_e164_idx/,
      );
      // org_connections holds a handful of rows: scanning it is what a plan should do.
      expect(plan).not.toMatch(/Seq Scan on (directory_phones|directory_contacts|links)/);
    }
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${CALLER_ID_SQL.detailByEmail}`, [
      'n1@example.com',
    ]);
    expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/directory_contacts_email_lower_idx/);
    expect(await nameOf(['+49301000001'])).toBe('N1');
  });
});
