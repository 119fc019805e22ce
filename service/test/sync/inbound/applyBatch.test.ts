/**
 * What applying a burst of change events costs and what it must still get right: issue 18 asks for 1,000
 * changes a second, and every statement of the apply is a round trip to the database, so the statements a
 * linked record's change takes are counted here (a figure that does not depend on how busy the machine is).
 */
import { randomUUID } from 'node:crypto';
import { applyChangeEvents, type DeliveredEvent } from '../../../src/sync/inbound/applyChange';
import type { ChangeEvent } from '../../../src/salesforce/pubsub/changeEvent';
import type { Database, Queryable } from '../../../src/store/types';
import { findLinkByRecord } from '../../../src/store/state/links';
import { getContact } from '../../../src/directory/contacts';
import { listAudit } from '../../../src/store/audit';
import { claimOutboxBatch, enqueueOutbox, listOutbox, trimPendingUpdates } from '../../../src/store/outbox/outbox';
import { CONTACT_SYNC, seedOrg } from '../../support/fixtures';
import { describeEachBackend, resetDatabase } from '../../support/backends';

const TOPIC = '/event/Switchboard_Change__e';

let replay = 0;
function updateEvent(recordId: string, values: Record<string, string>, eventId = randomUUID()): DeliveredEvent {
  const event: ChangeEvent = {
    eventId,
    replayId: ++replay,
    objectName: 'Contact',
    operation: replay === 1 ? 'create' : 'update',
    syncId: CONTACT_SYNC.syncId,
    records: [{ id: recordId, systemModstamp: new Date(Date.UTC(2026, 0, 1, 0, 0, replay)).toISOString(), values }],
    rejected: [],
    chunkSequence: null,
    chunkCount: null,
  };
  return { event, replayId: event.replayId };
}

/** `db`, with every statement the apply sends through its transaction written down. */
function recording(db: Database): { db: Database; statements: string[] } {
  const statements: string[] = [];
  const wrapped: Database = {
    ...db,
    transaction: (fn) =>
      db.transaction((tx) => {
        const counted: Queryable = {
          query: (text, params) => {
            statements.push(text.replace(/\s+/g, ' ').trim().slice(0, 60));
            return tx.query(text, params);
          },
        };
        return fn(counted);
      }),
  };
  return { db: wrapped, statements };
}

const RECORD = '003000000000001AAA';
const title = (view: unknown): string | null => (view as { title?: string } | null)?.title ?? null;
const PERSON = { FirstName: 'Grace', LastName: 'Hopper', Phone: '+1 415 555 0199', Title: 'Captain' };

/** An update of RECORD queued by a telephony edit, as the write-back worker will send it. */
async function queueUpdateOfRecord(q: Queryable, payload: Record<string, unknown>): Promise<void> {
  const link = await findLinkByRecord(q, CONTACT_SYNC.orgId, RECORD);
  await enqueueOutbox(q, {
    orgId: CONTACT_SYNC.orgId,
    contactId: link!.contactId,
    linkId: link!.id,
    sobject: 'Contact',
    recordId: RECORD,
    operation: 'update',
    payload,
    payloadHash: 'h',
  });
}

describeEachBackend('applying a burst of change events', (getDb) => {
  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
    replay = 0;
    await applyChangeEvents(getDb(), CONTACT_SYNC, TOPIC, [updateEvent(RECORD, PERSON)]);
  });

  it("applies a burst of linked records' changes in a fixed number of statements, whatever its size", async () => {
    // Forty records linked first (each its own person), then one burst changing each one's title.
    const records = Array.from({ length: 40 }, (_, n) => ({ id: `003000000000${String(100 + n)}AAA`, n }));
    const person = (n: number) => ({ ...PERSON, LastName: `Hopper ${n}`, Phone: `+1 415 555 ${String(2000 + n)}` });
    for (const { id, n } of records)
      await applyChangeEvents(getDb(), CONTACT_SYNC, TOPIC, [updateEvent(id, person(n))]);
    const { db, statements } = recording(getDb());
    const edits = records.map(({ id, n }) => updateEvent(id, { ...person(n), Title: `Title ${n}` }));
    const results = await applyChangeEvents(db, CONTACT_SYNC, TOPIC, edits);
    expect(results.map((r) => r?.outcomes.map((o) => o.outcome))).toEqual(records.map(() => ['updated']));
    // The events' marks and the replay position; per run, the links (with what is on their way), the
    // contacts, then one write each of the contacts, the links and the audit entries, and a look at the
    // outbox. Runs read 8 records, then twice as many while they take all they read: 8 + 16 + 16.
    expect(statements.filter((s) => s.startsWith('UPDATE directory_contacts'))).toHaveLength(3);
    expect(statements).toHaveLength(2 + 3 * 6);
    for (const { id, n } of records) {
      const link = await findLinkByRecord(getDb(), CONTACT_SYNC.orgId, id);
      const contact = await getContact(getDb(), link!.contactId);
      expect(contact).toMatchObject({ title: `Title ${n}`, lastName: `Hopper ${n}` });
      expect(link?.sfValues).toMatchObject({ Title: `Title ${n}` });
      const audit = await listAudit(getDb(), { contactId: contact!.id, limit: 10 });
      expect(audit.map((a) => [a.action, title(a.before), title(a.after)])).toEqual([
        ['update', 'Captain', `Title ${n}`],
        ['create', null, 'Captain'],
      ]);
    }
  });

  it('keeps event order when a burst mixes what runs take with what the per-record rules apply', async () => {
    const other = '003000000000200AAA';
    await applyChangeEvents(getDb(), CONTACT_SYNC, TOPIC, [
      updateEvent(other, { ...PERSON, LastName: 'Other', Phone: '+1 415 555 3000' }),
    ]);
    const fresh = '003000000000201AAA';
    const burst = [
      updateEvent(RECORD, { ...PERSON, Title: 'One' }),
      // A phone change goes through the rules that lock match keys; the run before it is written first.
      updateEvent(other, { ...PERSON, LastName: 'Other', Phone: '+1 415 555 3001' }),
      updateEvent(RECORD, { ...PERSON, Title: 'Two' }),
      // A new record with the number the other record just gave up: it must not join that contact.
      updateEvent(fresh, { ...PERSON, LastName: 'Fresh', Phone: '+1 415 555 3000' }),
      updateEvent(RECORD, { ...PERSON, Title: 'Three' }),
    ];
    const stale = updateEvent(RECORD, { ...PERSON, Title: 'Stale' });
    if ('event' in stale) stale.event.records[0].systemModstamp = '2025-01-01T00:00:00.000Z';
    const results = await applyChangeEvents(getDb(), CONTACT_SYNC, TOPIC, [...burst, stale]);
    expect(results.map((r) => r?.outcomes.map((o) => o.outcome))).toEqual([
      ['updated'],
      ['updated'],
      ['updated'],
      ['created'],
      ['updated'],
      ['stale'],
    ]);
    const mine = await findLinkByRecord(getDb(), CONTACT_SYNC.orgId, RECORD);
    expect((await getContact(getDb(), mine!.contactId))?.title).toBe('Three');
    const otherLink = await findLinkByRecord(getDb(), CONTACT_SYNC.orgId, other);
    const freshLink = await findLinkByRecord(getDb(), CONTACT_SYNC.orgId, fresh);
    expect(freshLink?.contactId).not.toBe(otherLink?.contactId);
    const titles = (await listAudit(getDb(), { contactId: mine!.contactId, limit: 10 })).map((a) => title(a.after));
    expect(titles).toEqual(['Three', 'Two', 'One', 'Captain']);
  });

  it('settles a write-back a telephony edit queued while the burst was applied, as the per-record rules do', async () => {
    // The telephony edit commits between the burst's read and its write of the contact: its update of the
    // record is in the outbox by the time the contact is written.
    const racing: Database = {
      ...getDb(),
      transaction: (fn) =>
        getDb().transaction((tx) =>
          fn({
            async query(text, params) {
              if (/^UPDATE directory_contacts c SET/.test(text.trim())) {
                await queueUpdateOfRecord(tx, { Title: 'Typed on the phone', Email: 'grace@example.org' });
              }
              return tx.query(text, params);
            },
          }),
        ),
    };
    const results = await applyChangeEvents(racing, CONTACT_SYNC, TOPIC, [
      updateEvent(RECORD, { ...PERSON, Title: 'Typed in Salesforce' }),
    ]);
    expect(results[0]?.outcomes.map((o) => o.outcome)).toEqual(['updated']);
    const rows = await listOutbox(getDb(), { orgId: CONTACT_SYNC.orgId, limit: 10 });
    // Salesforce's title won: the queued update keeps only what Salesforce did not settle.
    expect(rows.map((r) => r.payload)).toEqual([{ Email: 'grace@example.org' }]);
  });

  it('applies an event that comes twice in one burst once, and reports the second copy a duplicate', async () => {
    const edit = updateEvent(RECORD, { ...PERSON, Title: 'Commodore' });
    const results = await applyChangeEvents(getDb(), CONTACT_SYNC, TOPIC, [edit, edit]);
    expect(results.map((r) => r?.duplicate)).toEqual([false, true]);
    expect(results[0]?.outcomes.map((o) => o.outcome)).toEqual(['updated']);
    const link = await findLinkByRecord(getDb(), CONTACT_SYNC.orgId, RECORD);
    const audit = await listAudit(getDb(), { contactId: link!.contactId, limit: 10 });
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'update']);
    const again = await applyChangeEvents(getDb(), CONTACT_SYNC, TOPIC, [edit]);
    expect(again[0]?.duplicate).toBe(true);
  });

  it("tells the echo of a write-back on its way from a person's edit, on one read of the link", async () => {
    await queueUpdateOfRecord(getDb(), { Title: 'Typed on the phone' });
    const echo = await applyChangeEvents(getDb(), CONTACT_SYNC, TOPIC, [
      updateEvent(RECORD, { ...PERSON, Title: 'Typed on the phone' }),
    ]);
    expect(echo[0]?.outcomes.map((o) => o.outcome)).toEqual(['unchanged']);
    const edit = await applyChangeEvents(getDb(), CONTACT_SYNC, TOPIC, [
      updateEvent(RECORD, { ...PERSON, Title: 'Typed in Salesforce' }),
    ]);
    expect(edit[0]?.outcomes.map((o) => o.outcome)).toEqual(['updated']);
  });
});

describeEachBackend('settling fields Salesforce won against queued write-backs', (getDb) => {
  const recordId = '003000000000009AAA';
  const queue = (payload: Record<string, unknown>) =>
    enqueueOutbox(getDb(), {
      orgId: CONTACT_SYNC.orgId,
      contactId: randomUUID(),
      linkId: null,
      sobject: 'Contact',
      recordId,
      operation: 'update',
      payload,
      payloadHash: 'h',
    });

  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
  });

  it('trims waiting rows, withdraws emptied ones, and marks claimed ones superseded', async () => {
    await queue({ Title: 'Claimed', Phone: '+14155550100' });
    const [claimed] = await claimOutboxBatch(getDb(), { orgId: CONTACT_SYNC.orgId, leaseMs: 60_000, limit: 1 });
    expect(claimed.payload).toMatchObject({ Title: 'Claimed' });
    await queue({ Title: 'Waiting', Email: 'w@example.org' });
    await queue({ Title: 'Only the title' });
    const trimmed = await getDb().transaction((tx) =>
      trimPendingUpdates(tx, CONTACT_SYNC.orgId, recordId, ['Title'], (p) => `rehashed ${Object.keys(p).join()}`),
    );
    expect(trimmed).toEqual({ trimmed: 2, inFlight: ['Title'] });
    const rows = await listOutbox(getDb(), { orgId: CONTACT_SYNC.orgId, limit: 10 });
    // Newest first.
    expect(rows.map((r) => [r.state, r.payload, r.payloadHash, r.superseded])).toEqual([
      ['pending', { Email: 'w@example.org' }, 'rehashed Email', []],
      ['processing', { Title: 'Claimed', Phone: '+14155550100' }, 'h', ['Title']],
    ]);
  });

  it('changes nothing when nothing queued carries the fields', async () => {
    await queue({ Email: 'e@example.org' });
    const trimmed = await getDb().transaction((tx) =>
      trimPendingUpdates(tx, CONTACT_SYNC.orgId, recordId, ['Title'], () => 'unused'),
    );
    expect(trimmed).toEqual({ trimmed: 0, inFlight: [] });
    const rows = await listOutbox(getDb(), { orgId: CONTACT_SYNC.orgId, limit: 10 });
    expect(rows.map((r) => r.payload)).toEqual([{ Email: 'e@example.org' }]);
  });
});
