/**
 * A worker dies between Salesforce committing its creates and the outbox settling them: the org has the
 * records, the database still has the rows claimed. A fresh worker on the same database (the restarted
 * process) must create nothing twice, link every contact to the record that was made, and take the dead
 * worker's rows at once instead of waiting out its lease.
 */
import pino from 'pino';
import { runtimeOf, startStack, type Stack } from '../../support/harness';
import { insertContact } from '../../../src/directory/contacts';
import { listOutbox, startClaimant, type Claimant } from '../../../src/store/outbox/outbox';
import { findLinksByContact } from '../../../src/store/state/links';
import { queueCreate } from '../../../src/sync/outbound/telephonyCreate';
import { WriteBackWorker, type RecordWriter } from '../../../src/sync/outbound/writeBack';
import { JsforceRecordWriter } from '../../../src/salesforce/records';
import type { OrgSyncSettings } from '../../../src/sync/rules/context';
import type { Connection } from 'jsforce';

const ORG = 'primary';
const silent = pino({ level: 'silent' });

/** The org takes the create and commits it; the process "dies" before the answer is back. */
function dyingAfterCreate(real: RecordWriter): { writer: RecordWriter; created: Promise<void> } {
  let reached!: () => void;
  const created = new Promise<void>((resolve) => (reached = resolve));
  const writer = Object.assign(Object.create(real) as RecordWriter, {
    async create(...args: Parameters<RecordWriter['create']>) {
      await real.create(...args);
      reached();
      return new Promise<never>(() => undefined);
    },
  });
  return { writer, created };
}

describe('write-back: a crash after the org committed the creates', () => {
  let stack: Stack;
  let conn: Connection;
  let settings: OrgSyncSettings;
  let people = 0;

  beforeAll(async () => {
    stack = await startStack();
    conn = runtimeOf(stack).session.conn;
    settings = runtimeOf(stack).settings;
    // The workers under test are the only ones draining the outbox.
    await stack.stopService();
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** Telephony-born contacts, each with its create queued. */
  async function queuedCreates(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const n = String(people++).padStart(4, '0');
      await stack.db.transaction(async (tx) => {
        const contact = await insertContact(
          tx,
          {
            firstName: 'Crash',
            lastName: `Survivor ${n}`,
            phones: [{ kind: 'work', raw: `+1 212 555 ${n}`, e164: `+1212555${n}`, extension: null }],
          },
          'telephony',
        );
        expect(await queueCreate(tx, settings, contact)).toBe('queued');
        ids.push(contact.id);
      });
    }
    return ids;
  }

  function worker(
    records: RecordWriter,
    leaseMs?: number,
    claimant?: Claimant,
    deadClaimConfirmMs?: number,
  ): WriteBackWorker {
    return new WriteBackWorker({
      db: stack.db,
      orgId: ORG,
      records,
      settings,
      logger: silent,
      batchSize: 200,
      intervalMs: 50,
      leaseMs,
      claimant,
      deadClaimConfirmMs,
    });
  }

  async function expectCreatedOnce(contactIds: string[], before: number): Promise<void> {
    expect(stack.emulator.org.store.count('Contact') - before).toBe(contactIds.length);
    for (const contactId of contactIds) {
      const links = (await findLinksByContact(stack.db, contactId)).filter((l) => l.orgId === ORG);
      expect(links).toHaveLength(1);
      expect(stack.emulator.org.store.get('Contact', links[0]?.recordId as string)).toBeDefined();
    }
    const rows = (await listOutbox(stack.db, { limit: 1000 })).filter((r) => contactIds.includes(r.contactId ?? ''));
    expect(rows.map((r) => r.state)).toEqual(contactIds.map(() => 'done'));
  }

  it('sends no create twice once the dead claim has run out', async () => {
    const contactIds = await queuedCreates(5);
    const before = stack.emulator.org.store.count('Contact');
    const dying = dyingAfterCreate(new JsforceRecordWriter(conn));
    void worker(dying.writer, 50).drainOnce();
    await dying.created;
    await new Promise((resolve) => setTimeout(resolve, 100));

    const result = await worker(new JsforceRecordWriter(conn)).drainOnce();
    expect(result.claimed).toBe(5);
    await expectCreatedOnce(contactIds, before);
  });

  it('takes a dead worker’s rows once it has stayed dead, without waiting out its lease, and creates nothing twice', async () => {
    const contactIds = await queuedCreates(5);
    const before = stack.emulator.org.store.count('Contact');
    const dying = dyingAfterCreate(new JsforceRecordWriter(conn));
    const claimant = await startClaimant(stack.db);
    void worker(dying.writer, 120_000, claimant).drainOnce();
    await dying.created;
    // The process dies: its connections close, and with them the lock that said it was alive.
    await claimant.end();

    const survivor = worker(new JsforceRecordWriter(conn), undefined, undefined, 300);
    expect((await survivor.drainOnce()).claimed).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await survivor.drainOnce()).claimed).toBe(5);
    await expectCreatedOnce(contactIds, before);
  });

  // Only real Postgres has lock connections to lose (PGlite is one session of this process).
  (process.env.DATABASE_URL ? it : it.skip)(
    'a live worker whose lock connection broke mid-create keeps its rows: nobody sends the create again',
    async () => {
      const contactIds = await queuedCreates(3);
      const before = stack.emulator.org.store.count('Contact');
      let open!: () => void;
      let reached!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const waiting = new Promise<void>((resolve) => (reached = resolve));
      const real = new JsforceRecordWriter(conn);
      const slow = Object.assign(Object.create(real) as RecordWriter, {
        async create(...args: Parameters<RecordWriter['create']>) {
          reached();
          await gate;
          return real.create(...args);
        },
      });
      const claimant = await startClaimant(stack.db);
      const round = worker(slow, 120_000, claimant).drainOnce();
      await waiting;

      // The backend holding the worker's lock is terminated while its create call is on its way.
      const { rows } = await stack.db.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = hashtext($1)::oid`,
        [claimant.id],
      );
      expect(rows).toHaveLength(1);
      await stack.db.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);

      // Another worker keeps looking, longer than it waits before taking a dead worker's rows.
      const other = worker(real, undefined, undefined, 300);
      for (let look = 0; look < 4; look++) {
        expect((await other.drainOnce()).claimed).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      open();
      expect((await round).written).toBe(3);
      expect((await other.drainOnce()).claimed).toBe(0);
      await expectCreatedOnce(contactIds, before);
      await claimant.end();
    },
  );
});
