import { eventually, linkedContact, startStack, uiUpdate, type Stack } from '../../support/harness';
import { bulkJobsOf, type BulkJobs } from '../../../emulator/bulk/routes';
import { findLinkByRecord } from '../../../src/store/state/links';
import { countContacts, getContact, insertContact } from '../../../src/directory/contacts';
import { normalizePhone } from '../../../src/sync/rules/phones';
import { listOutbox } from '../../../src/store/outbox/outbox';
import { countRecordHealth } from '../../../src/store/state/recordHealth';

const SEED = { contacts: 40, leads: 15, businessAccounts: 4, personAccounts: 6, users: 3 };

describe('initial sync on first start', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ emulator: { seed: SEED }, initialSync: true });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('loads every Contact, Lead and Person Account (never a business Account) through Bulk API 2.0', async () => {
    const status = await stack.service.orgs[0].initialSyncSettled();
    const all = SEED.contacts + SEED.leads + SEED.personAccounts;
    expect(status).toMatchObject({ state: 'done', records: all, done: all, total: all, etaSeconds: 0, error: null });
    expect(status.ratePerSecond).toBeGreaterThan(0);
    expect(status.objects).toEqual([
      { sobject: 'Contact', state: 'done', done: SEED.contacts, total: SEED.contacts, pages: 1 },
      { sobject: 'Lead', state: 'done', done: SEED.leads, total: SEED.leads, pages: 1 },
      { sobject: 'Account', state: 'done', done: SEED.personAccounts, total: SEED.personAccounts, pages: 1 },
    ]);
    const store = stack.emulator.org.store;
    const linked = async (sobject: 'Contact' | 'Lead' | 'Account', index: number) =>
      findLinkByRecord(stack.db, 'primary', store.idFor(sobject, index));
    expect(await linked('Contact', SEED.contacts - 1)).not.toBeNull();
    expect(await linked('Lead', 0)).not.toBeNull();
    expect(await linked('Account', SEED.businessAccounts)).not.toBeNull();
    expect(await linked('Account', 0)).toBeNull();
    expect(await countContacts(stack.db)).toBeLessThanOrEqual(SEED.contacts + SEED.leads + SEED.personAccounts);

    const contact = store.get('Contact', store.idFor('Contact', 3))!;
    const link = await linked('Contact', 3);
    const row = await getContact(stack.db, link!.contactId);
    expect(row).toMatchObject({ lastName: contact.LastName, email: contact.Email, source: 'salesforce' });
    // Batch-loaded contacts get time-ordered ids (UUID version 7), so a large load appends to its indexes.
    expect(row?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row?.company).toBe(store.resolvePath('Contact', contact, 'Account.Name'));
  });

  it('leaves the planner statistics describing the loaded tables, not the empty ones', async () => {
    await stack.service.orgs[0].initialSyncSettled();
    const { rows } = await stack.db.query<{ relname: string; reltuples: number; rows: number }>(
      `SELECT c.relname, c.reltuples::int AS reltuples,
              (CASE c.relname WHEN 'links' THEN (SELECT count(*) FROM links) ELSE (SELECT count(*) FROM directory_contacts) END)::int AS rows
         FROM pg_class c WHERE c.relname IN ('links', 'directory_contacts') ORDER BY c.relname`,
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.rows).toBeGreaterThan(0);
      expect({ table: row.relname, estimate: row.reltuples }).toEqual({ table: row.relname, estimate: row.rows });
    }
  });

  it('does not run again on the next start, and live changes keep flowing', async () => {
    await stack.restart();
    expect(stack.service.orgs[0].status().initialSync).toMatchObject({
      state: 'done',
      done: SEED.contacts + SEED.leads + SEED.personAccounts,
    });
    const id = stack.emulator.org.store.idFor('Lead', 2);
    uiUpdate(stack, 'Lead', id, { Title: 'Chief Listener' });
    await eventually(async () => {
      const link = await findLinkByRecord(stack.db, 'primary', id);
      return link && (await getContact(stack.db, link.contactId))?.title === 'Chief Listener' ? true : undefined;
    }, 'the live change after restart');
  });
});

describe('changes during the initial sync', () => {
  const PAGE = 10;
  let stack: Stack;
  let hold: ReturnType<BulkJobs['holdResultsAfter']> | undefined;

  beforeAll(async () => {
    stack = await startStack({
      emulator: {
        seed: { contacts: 30, leads: 0, businessAccounts: 2, personAccounts: 0, users: 2 },
        personAccounts: false,
      },
      initialSync: true,
      initialSyncPageSize: PAGE,
      // The second page is read, then held: its rows are older than what happens meanwhile.
      beforeService: (emulator) => {
        hold = bulkJobsOf(emulator.org).holdResultsAfter(1);
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('reports progress while loading, and leaves the counters, error records and record status fields for the end', async () => {
    await hold!.reached;
    const store = stack.emulator.org.store;
    const runtime = stack.service.orgs[0];
    const sync = () => store.get('Switchboard_Sync__c', store.idFor('Switchboard_Sync__c', 0));
    // The first page is written while the second is held (pages are read one ahead).
    await eventually(() => runtime.status().initialSync.done === PAGE, 'the first page written');
    const writes: string[] = [];
    const watched = ['Contact', 'Lead', 'Switchboard_Sync_Error__c'];
    const off = store.onCommit(
      (batch) => watched.includes(batch.sobject) && writes.push(`${batch.sobject} ${batch.operation}`),
    );
    try {
      await runtime.reporter.flush();
    } finally {
      off();
    }
    // The first page is in the directory, with its exclusions, but neither counted nor written back onto the records yet.
    expect(await countContacts(stack.db)).toBeGreaterThanOrEqual(PAGE / 2);
    expect((await countRecordHealth(stack.db, 'primary')).excluded).toBeGreaterThan(0);
    expect(sync()).toMatchObject({
      Status__c: 'InitialSync',
      Initial_Sync_Done__c: PAGE,
      Initial_Sync_Total__c: 30,
      Synced_Count__c: 0,
    });
    expect(writes).toEqual([]);
    expect(store.get('Contact', store.idFor('Contact', 0))?.Switchboard_Sync_State__c ?? null).toBeNull();
  });

  it('keeps a change made during the snapshot over the older snapshot row, and then pushes telephony-only contacts', async () => {
    await hold!.reached;
    const store = stack.emulator.org.store;
    // A record of the held page that the validity rules let in, old and new.
    const index = [...Array(PAGE).keys()]
      .map((i) => PAGE + i)
      .find((i) => {
        const phone = store.get('Contact', store.idFor('Contact', i))?.Phone;
        return typeof phone === 'string' && normalizePhone(phone, 'US').e164 !== null;
      })!;
    const id = store.idFor('Contact', index);
    uiUpdate(stack, 'Contact', id, { Title: 'Changed during the snapshot' });
    await eventually(
      async () => (await linkedContact(stack, id))?.title === 'Changed during the snapshot',
      'the change event applied',
    );
    const phoneBorn = await insertContact(
      stack.db,
      {
        firstName: 'Paula',
        lastName: 'Phonebook',
        phones: [{ kind: 'work', raw: '+1 415 555 0142', e164: '+14155550142', extension: null }],
      },
      'telephony',
    );
    hold!.release();

    expect(await stack.service.orgs[0].initialSyncSettled()).toMatchObject({ state: 'done', done: 30 });
    expect((await linkedContact(stack, id))?.title).toBe('Changed during the snapshot');

    const creates = (await listOutbox(stack.db, { orgId: 'primary', limit: 100 })).filter(
      (item) => item.operation === 'create',
    );
    expect(creates).toEqual([
      expect.objectContaining({
        contactId: phoneBorn.id,
        sobject: 'Contact',
        payload: { FirstName: 'Paula', LastName: 'Phonebook', Phone: '+1 415 555 0142' },
      }),
    ]);
    const created = await eventually(() => linkedRecordOf(stack, phoneBorn.id), 'the Contact created in Salesforce');
    expect(store.get('Contact', created)).toMatchObject({ FirstName: 'Paula', LastName: 'Phonebook' });

    await stack.service.orgs[0].reporter.flush();
    const sync = store.get('Switchboard_Sync__c', store.idFor('Switchboard_Sync__c', 0));
    const linked = await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM links WHERE org_id = 'primary'`);
    expect(sync).toMatchObject({ Status__c: 'Active', Synced_Count__c: linked.rows[0].n });
    // The exclusions found during the load are error records now.
    expect([...store.scan('Switchboard_Sync_Error__c')].length).toBeGreaterThan(0);
    expect(store.get('Contact', id)?.Switchboard_Sync_State__c).toBe('InSync');
  });
});

async function linkedRecordOf(stack: Stack, contactId: string): Promise<string | undefined> {
  const { rows } = await stack.db.query<{ record_id: string }>(
    `SELECT record_id FROM links WHERE org_id = 'primary' AND contact_id = $1`,
    [contactId],
  );
  return rows[0]?.record_id;
}
