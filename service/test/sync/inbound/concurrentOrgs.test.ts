/**
 * Two orgs' streams bring the same new person at the same moment. Each stream applies its event in its
 * own transaction on its own connection; the test makes them interleave at the worst point — the first
 * transaction has matched (nothing) and is about to create the contact — and lets it go on only once the
 * second has either finished or is waiting in the database. Whatever the locking, the two must end as
 * one directory contact with a link from each org.
 */
import pg from 'pg';
import { applyChangeEvent } from '../../../src/sync/inbound/applyChange';
import { editContactFromTelephony } from '../../../src/sync/outbound/telephonyEdit';
import { insertContact } from '../../../src/directory/contacts';
import { applySnapshotPage, prepareRows } from '../../../src/sync/initialSync/initialSyncPage';
import type { ChangeEvent } from '../../../src/salesforce/pubsub/changeEvent';
import { openDatabase } from '../../../src/store/db';
import { migrate } from '../../../src/store/migrate';
import type { Database, Queryable } from '../../../src/store/types';
import { findLinksByContact } from '../../../src/store/state/links';
import { CONTACT_SYNC, seedOrg } from '../../support/fixtures';
import { createTemporaryDatabase, postgresUrlFromEnv, type TemporaryDatabase } from '../../support/backends';

const postgresUrl = postgresUrlFromEnv();

/** Resolves when `done` settles or a backend of this database waits on a lock. */
async function blockedOrDone(monitor: pg.Client, done: Promise<unknown>): Promise<'blocked' | 'done'> {
  let finished = false;
  void done.then(
    () => (finished = true),
    () => (finished = true),
  );
  for (let i = 0; i < 2000; i++) {
    if (finished) return 'done';
    const { rows } = await monitor.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if ((rows[0]?.n ?? 0) > 0) return 'blocked';
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the second stream neither finished nor waited');
}

/** The database, but the transaction's INSERT of a directory contact (one or many) waits for `gate` first. */
function holdingBeforeCreate(db: Database, reached: () => void, gate: Promise<void>): Database {
  return holdingBefore(/INSERT INTO directory_contacts/, db, reached, gate);
}

/** The database, but the transaction's first statement matching `statement` waits for `gate` first. */
function holdingBefore(statement: RegExp, db: Database, reached: () => void, gate: Promise<void>): Database {
  return {
    ...db,
    transaction: (fn) =>
      db.transaction((tx) => {
        const held: Queryable = {
          async query(text, params) {
            if (statement.test(text)) {
              reached();
              await gate;
            }
            return tx.query(text, params);
          },
        };
        return fn(held);
      }),
  };
}

const GRACE = { FirstName: 'Grace', LastName: 'Hopper', Phone: '+1 415 555 0199', Email: 'Grace@Example.com' };

function createEvent(
  eventId: string,
  recordId: string,
  values: Record<string, string> = GRACE,
  operation: ChangeEvent['operation'] = 'create',
): ChangeEvent {
  return {
    eventId,
    replayId: 1,
    objectName: 'Contact',
    operation,
    syncId: CONTACT_SYNC.syncId,
    records: [{ id: recordId, systemModstamp: '2026-01-01T00:00:00.000Z', values }],
    rejected: [],
    chunkSequence: null,
    chunkCount: null,
  };
}

(postgresUrl ? describe : describe.skip)('two orgs, the same new person, the same moment (postgres)', () => {
  let temporary: TemporaryDatabase;
  let dbA: Database;
  let dbB: Database;
  let monitor: pg.Client;

  beforeAll(async () => {
    temporary = await createTemporaryDatabase(postgresUrl as string);
    dbA = await openDatabase({ databaseUrl: temporary.url });
    dbB = await openDatabase({ databaseUrl: temporary.url });
    await migrate(dbA);
    await seedOrg(dbA, 'org-a');
    await seedOrg(dbA, 'org-b');
    monitor = new pg.Client({ connectionString: temporary.url });
    await monitor.connect();
  }, 60_000);

  afterAll(async () => {
    await monitor?.end();
    await dbA?.close();
    await dbB?.close();
    await temporary?.drop();
  }, 60_000);

  beforeEach(async () => {
    await dbA.query('TRUNCATE directory_contacts, links, processed_events, audit_log CASCADE');
  });

  it('makes one directory contact with a link from each org', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atCreate = new Promise<void>((resolve) => (reached = resolve));

    const first = applyChangeEvent(
      holdingBeforeCreate(dbA, reached, gate),
      { ...CONTACT_SYNC, orgId: 'org-a' },
      'topic',
      createEvent('event-a', '003000000000001AAA'),
    );
    await atCreate;
    const second = applyChangeEvent(
      dbB,
      { ...CONTACT_SYNC, orgId: 'org-b' },
      'topic',
      createEvent('event-b', '003000000000002AAA'),
    );
    await blockedOrDone(monitor, second);
    release();
    const [a, b] = await Promise.all([first, second]);

    const { rows } = await dbA.query<{ id: string }>('SELECT id FROM directory_contacts');
    expect(rows).toHaveLength(1);
    expect(a.outcomes[0]?.contactId).toBe(rows[0]?.id);
    expect(b.outcomes[0]?.contactId).toBe(rows[0]?.id);
    const links = await findLinksByContact(dbA, rows[0]?.id as string);
    expect(links.map((l) => [l.orgId, l.recordId, l.role]).sort()).toEqual([
      ['org-a', '003000000000001AAA', 'primary'],
      ['org-b', '003000000000002AAA', 'primary'],
    ]);
  });

  it('makes one directory contact when an initial sync page of one org and an event of another bring the person', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atCreate = new Promise<void>((resolve) => (reached = resolve));
    const settingsA = { ...CONTACT_SYNC, orgId: 'org-a' };
    const rows = prepareRows(settingsA, 'Contact', [
      {
        Id: '003000000000003AAA',
        SystemModstamp: '2026-01-01T00:00:00.000Z',
        FirstName: 'Grace',
        LastName: 'Hopper',
        Phone: '+1 415 555 0199',
        Email: 'grace@example.com',
      },
    ]);
    const page = holdingBeforeCreate(dbA, reached, gate).transaction((tx) =>
      applySnapshotPage(tx, settingsA, 'Contact', rows, 'initial sync Contact page 1'),
    );
    await atCreate;
    const event = applyChangeEvent(
      dbB,
      { ...CONTACT_SYNC, orgId: 'org-b' },
      'topic',
      createEvent('event-c', '003000000000004AAA'),
    );
    await blockedOrDone(monitor, event);
    release();
    await Promise.all([page, event]);

    const { rows: contacts } = await dbA.query<{ id: string }>('SELECT id FROM directory_contacts');
    expect(contacts).toHaveLength(1);
    const links = await findLinksByContact(dbA, contacts[0]?.id as string);
    expect(links.map((l) => [l.orgId, l.recordId]).sort()).toEqual([
      ['org-a', '003000000000003AAA'],
      ['org-b', '003000000000004AAA'],
    ]);
  });

  it("makes one directory contact when a linked record takes a number and email while another org's new record brings them", async () => {
    const settingsA = { ...CONTACT_SYNC, orgId: 'org-a' };
    const before = { ...GRACE, Phone: '+1 415 555 0100', Email: 'grace.old@example.com' };
    await applyChangeEvent(dbA, settingsA, 'topic', createEvent('event-d', '003000000000005AAA', before));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atUpdate = new Promise<void>((resolve) => (reached = resolve));

    // Org A's record changes to Grace's number and email; its transaction is held before the directory write.
    const first = applyChangeEvent(
      holdingBefore(/UPDATE directory_contacts/, dbA, reached, gate),
      settingsA,
      'topic',
      createEvent('event-e', '003000000000005AAA', GRACE, 'update'),
    );
    await atUpdate;
    const second = applyChangeEvent(
      dbB,
      { ...CONTACT_SYNC, orgId: 'org-b' },
      'topic',
      createEvent('event-f', '003000000000006AAA'),
    );
    const waited = await blockedOrDone(monitor, second);
    release();
    expect(waited).toBe('blocked');
    const [a, b] = await Promise.all([first, second]);

    const { rows } = await dbA.query<{ id: string }>('SELECT id FROM directory_contacts');
    expect(rows).toHaveLength(1);
    expect(a.outcomes[0]?.contactId).toBe(rows[0]?.id);
    expect(b.outcomes[0]?.contactId).toBe(rows[0]?.id);
    const links = await findLinksByContact(dbA, rows[0]?.id as string);
    expect(links.map((l) => [l.orgId, l.recordId]).sort()).toEqual([
      ['org-a', '003000000000005AAA'],
      ['org-b', '003000000000006AAA'],
    ]);
  });

  it("makes one directory contact when a phone-side edit gives a contact the number another org's new record brings", async () => {
    const contact = await insertContact(dbA, { firstName: 'Grace', lastName: 'Hopper' }, 'telephony');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atUpdate = new Promise<void>((resolve) => (reached = resolve));
    const edit = editContactFromTelephony(
      holdingBefore(/UPDATE directory_contacts/, dbA, reached, gate),
      () => undefined,
      contact.id,
      { phones: [{ kind: 'work', raw: '+1 415 555 0199', e164: '+14155550199', extension: null }] },
    );
    await atUpdate;
    const event = applyChangeEvent(
      dbB,
      { ...CONTACT_SYNC, orgId: 'org-b' },
      'topic',
      createEvent('event-g', '003000000000007AAA', { ...GRACE, Email: 'someone.else@example.com' }),
    );
    const waited = await blockedOrDone(monitor, event);
    release();
    expect(waited).toBe('blocked');
    const [, applied] = await Promise.all([edit, event]);

    const { rows } = await dbA.query<{ id: string }>('SELECT id FROM directory_contacts');
    expect(rows.map((r) => r.id)).toEqual([contact.id]);
    expect(applied.outcomes[0]?.contactId).toBe(contact.id);
  });
});
