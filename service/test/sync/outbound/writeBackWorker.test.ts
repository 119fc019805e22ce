import pino from 'pino';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import type { Database } from '../../../src/store/types';
import { insertContact } from '../../../src/directory/contacts';
import { upsertOrg } from '../../../src/store/state/orgs';
import { enqueueOutbox, listOutbox, type OutboxOperation } from '../../../src/store/outbox/outbox';
import { getRecordHealth } from '../../../src/store/state/recordHealth';
import { listAudit } from '../../../src/store/audit';
import { createLink } from '../../../src/store/state/links';
import { stableHash } from '../../../src/sync/rules/hash';
import { DEFAULT_MAPPINGS } from '../../../src/sync/rules/fieldMap';
import { DEFAULT_POLICY, type OrgSyncSettings } from '../../../src/sync/rules/context';
import { ApiBudget, type ApiUsage } from '../../../src/sync/outbound/apiBudget';
import { WriteBackWorker, type RecordWriter, type SaveOutcome } from '../../../src/sync/outbound/writeBack';
import type { SaveErrorInfo } from '../../../src/salesforce/saveErrors';
import { DatabaseUnavailableError } from '../../../src/store/availability';

const ORG = 'org-1';
const settings: OrgSyncSettings = {
  orgId: ORG,
  syncId: 'a0A000000000001AAA',
  mappings: DEFAULT_MAPPINGS,
  defaultCountry: 'US',
  objects: ['Contact'],
  policy: DEFAULT_POLICY,
};

const lock: SaveErrorInfo = {
  code: 'UNABLE_TO_LOCK_ROW',
  message: 'unable to obtain exclusive access to this record',
  fields: [],
  transient: true,
};
const refused: SaveErrorInfo = {
  code: 'DELETE_FAILED',
  message: 'Your attempt to delete Ada could not be completed',
  fields: [],
  transient: false,
};
const gone: SaveErrorInfo = { code: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [], transient: false };

/** A Salesforce stand-in: answers each record from `answers` (success by default) and logs the calls. */
function fakeSalesforce(answers: Map<string, SaveErrorInfo>) {
  const calls: Array<{ operation: string; ids: string[]; records?: unknown[] }> = [];
  const outcome = (id: string): SaveOutcome => {
    const error = answers.get(id);
    return error ? { id, success: false, errors: [error] } : { id, success: true, errors: [] };
  };
  const writer: RecordWriter = {
    update: async (_sobject, records) => {
      calls.push({ operation: 'update', ids: records.map((r) => r.Id), records });
      return records.map((r) => outcome(r.Id));
    },
    create: async () => {
      throw new Error('no creates in these tests');
    },
    delete: async (_sobject, ids) => {
      calls.push({ operation: 'delete', ids });
      return ids.map(outcome);
    },
  };
  return { writer, calls };
}

describeEachBackend('write-back worker', (getDb) => {
  let db: Database;
  let n = 0;

  beforeEach(async () => {
    db = getDb();
    await resetDatabase(db);
    await upsertOrg(db, { id: ORG, name: 'Acme', loginUrl: 'https://login.example.com' });
  });

  /** A linked contact and one queued write for its record. */
  async function queued(
    operation: OutboxOperation,
    payload: Record<string, string> = {},
  ): Promise<{ recordId: string; contactId: string }> {
    const recordId = `003${String(++n).padStart(15, '0')}`;
    const contact = await insertContact(db, { lastName: `Person ${n}` }, 'salesforce');
    const link = await createLink(db, {
      orgId: ORG,
      contactId: contact.id,
      sobject: 'Contact',
      recordId,
      sfValues: { LastName: `Person ${n}` },
    });
    await enqueueOutbox(db, {
      orgId: ORG,
      contactId: contact.id,
      linkId: link.id,
      sobject: 'Contact',
      recordId,
      operation,
      payload,
      payloadHash: stableHash(payload),
    });
    return { recordId, contactId: contact.id };
  }

  const worker = (writer: RecordWriter, budget?: ApiBudget) =>
    new WriteBackWorker({
      db,
      orgId: ORG,
      records: writer,
      settings,
      logger: pino({ level: 'silent' }),
      batchSize: 200,
      intervalMs: 10_000,
      budget,
    });

  it('shows a retrying update and a parked delete as failing records, and clears an entry once the write goes through', async () => {
    const update = await queued('update', { Title: 'CEO' });
    const del = await queued('delete');
    const deleted = await queued('delete');
    const answers = new Map([
      [update.recordId, lock],
      [del.recordId, refused],
      [deleted.recordId, gone],
    ]);
    const sf = fakeSalesforce(answers);
    const first = await worker(sf.writer).drainOnce();
    expect(first).toMatchObject({ claimed: 3, written: 1, retried: 1, failed: 1, calls: 2 });

    expect(await getRecordHealth(db, ORG, 'salesforce', update.recordId)).toMatchObject({
      state: 'failing',
      code: 'UNABLE_TO_LOCK_ROW',
      contactId: update.contactId,
      attempts: 1,
      nextRetryAt: expect.any(String),
      reason: 'update failed: unable to obtain exclusive access to this record',
    });
    expect(await getRecordHealth(db, ORG, 'salesforce', del.recordId)).toMatchObject({
      state: 'failing',
      code: 'DELETE_FAILED',
      attempts: 1,
      nextRetryAt: null,
    });
    // Already deleted in Salesforce: nothing left to do.
    expect(await getRecordHealth(db, ORG, 'salesforce', deleted.recordId)).toBeNull();
    const rows = await listOutbox(db, { orgId: ORG, limit: 10 });
    expect(Object.fromEntries(rows.map((r) => [r.recordId, r.state]))).toEqual({
      [update.recordId]: 'pending',
      [del.recordId]: 'failed',
      [deleted.recordId]: 'done',
    });

    // The retry is due (time passes) and the lock is gone.
    await db.query("UPDATE outbox SET next_attempt_at = now() WHERE state = 'pending'");
    answers.delete(update.recordId);
    expect(await worker(sf.writer).drainOnce()).toMatchObject({ claimed: 1, written: 1 });
    expect(await getRecordHealth(db, ORG, 'salesforce', update.recordId)).toBeNull();
    expect((await listAudit(db, { contactId: update.contactId, limit: 5 }))[0]).toMatchObject({
      action: 'written-back',
      recordId: update.recordId,
    });
  });

  it('coalesces the queued edits of one record into one update, the later values winning', async () => {
    const { recordId, contactId } = await queued('update', { Title: 'CEO', Email: 'a@example.com' });
    await enqueueOutbox(db, {
      orgId: ORG,
      contactId,
      linkId: null,
      sobject: 'Contact',
      recordId,
      operation: 'update',
      payload: { Title: 'CTO' },
      payloadHash: 'x',
    });
    const sf = fakeSalesforce(new Map());
    expect(await worker(sf.writer).drainOnce()).toMatchObject({ claimed: 2, written: 1, calls: 1 });
    expect(sf.calls).toEqual([
      { operation: 'update', ids: [recordId], records: [{ Id: recordId, Title: 'CTO', Email: 'a@example.com' }] },
    ]);
  });

  it('stops between calls when the budget runs out, putting the unsent rows back untouched', async () => {
    const updates = await Promise.all(Array.from({ length: 3 }, () => queued('update', { Title: 'CEO' })));
    const deletes = await Promise.all(Array.from({ length: 2 }, () => queued('delete')));
    let usage: ApiUsage = { used: 100, limit: 1000 };
    const sf = fakeSalesforce(new Map());
    const writer: RecordWriter = {
      ...sf.writer,
      update: async (sobject, records) => {
        usage = { used: 950, limit: 1000 };
        return sf.writer.update(sobject, records);
      },
    };
    const budget = new ApiBudget({ observed: () => usage, fetch: async () => usage, onChange: () => undefined });
    const result = await worker(writer, budget).drainOnce();
    expect(result).toMatchObject({ claimed: 5, written: 3, calls: 1, deferred: 2 });
    expect(budget.status()).toMatchObject({ paused: true, percent: 95 });
    const rows = await listOutbox(db, { orgId: ORG, limit: 10 });
    expect(
      rows
        .filter((r) => r.operation === 'delete')
        .map((r) => ({ state: r.state, attempts: r.attempts, leaseUntil: r.leaseUntil })),
    ).toEqual(deletes.map(() => ({ state: 'pending', attempts: 0, leaseUntil: null })));
    expect(rows.filter((r) => r.operation === 'update').every((r) => r.state === 'done')).toBe(true);
    expect(sf.calls.map((c) => c.ids.sort())).toEqual([updates.map((u) => u.recordId).sort()]);
    // Paused: the next round claims nothing.
    expect(await worker(writer, budget).drainOnce()).toMatchObject({ claimed: 0 });
  });

  // CI's chaos trial "private Postgres cluster restarted": a claim's COMMIT reached the database as it shut
  // down, its answer did not; the rows stayed processing under this live worker's name for the whole lease.
  it('takes back its own claim whose commit landed but whose answer was lost, instead of waiting out the lease', async () => {
    const update = await queued('update', { Title: 'CEO' });
    const sf = fakeSalesforce(new Map());
    let loseNextAnswer = true;
    const transaction: Database['transaction'] = async (work) => {
      const result = await db.transaction(work);
      if (loseNextAnswer) {
        loseNextAnswer = false;
        throw new DatabaseUnavailableError(new Error('Connection terminated unexpectedly'));
      }
      return result;
    };
    const flaky = new Proxy(db, {
      get: (target, property) => {
        if (property === 'transaction') return transaction;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const w = new WriteBackWorker({
      db: flaky,
      orgId: ORG,
      records: sf.writer,
      settings,
      logger: pino({ level: 'silent' }),
      batchSize: 200,
      intervalMs: 20,
      leaseMs: 600_000,
    });
    w.start();
    try {
      const deadline = Date.now() + 15_000;
      while (sf.calls.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await w.stop();
    }
    expect(loseNextAnswer).toBe(false);
    expect(sf.calls).toEqual([
      { operation: 'update', ids: [update.recordId], records: [{ Id: update.recordId, Title: 'CEO' }] },
    ]);
    const [row] = await listOutbox(db, { orgId: ORG, limit: 10 });
    // Claimed twice: the lost claim, then the one that sent it.
    expect(row).toMatchObject({ state: 'done', claims: 2 });
  });
});
