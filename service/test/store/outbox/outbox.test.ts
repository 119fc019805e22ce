import { randomUUID } from 'node:crypto';
import {
  claimOutboxBatch,
  completeOutbox,
  enqueueOutbox,
  failOutbox,
  listOutbox,
  outboxStats,
  pendingOutboxForContact,
  pruneOutbox,
  requeueFailedOutbox,
  retryOutbox,
  type NewOutboxItem,
  type OutboxItem,
} from '../../../src/store/outbox/outbox';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import { ORG_ID, seedOrg } from '../../support/fixtures';

function item(overrides: Partial<NewOutboxItem> = {}): NewOutboxItem {
  return {
    orgId: ORG_ID,
    contactId: randomUUID(),
    linkId: null,
    sobject: 'Contact',
    recordId: null,
    operation: 'create',
    payload: { LastName: 'Lovelace', Phone: '+14155552671' },
    payloadHash: 'h1',
    ...overrides,
  };
}

const LEASE = { orgId: ORG_ID, leaseMs: 60_000 };

describeEachBackend('outbox', (getDb, backend) => {
  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
    await seedOrg(getDb(), 'org-2');
  });

  async function enqueueMany(n: number, overrides: Partial<NewOutboxItem> = {}) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push((await enqueueOutbox(getDb(), item({ payloadHash: `h${i}`, ...overrides }))).id);
    return ids;
  }

  it('enqueues a pending item with its payload', async () => {
    const contactId = randomUUID();
    const queued = await enqueueOutbox(
      getDb(),
      item({ contactId, linkId: '7', recordId: '003A', operation: 'update', payload: { Title: 'CEO', Tags: ['a'] } }),
    );
    expect(queued).toMatchObject({
      orgId: ORG_ID,
      contactId,
      linkId: '7',
      sobject: 'Contact',
      recordId: '003A',
      operation: 'update',
      payload: { Title: 'CEO', Tags: ['a'] },
      state: 'pending',
      attempts: 0,
      lastError: null,
      leaseUntil: null,
    });
    expect(await pendingOutboxForContact(getDb(), contactId)).toEqual([queued]);
  });

  it('rejects bad items naming the field', async () => {
    await expect(enqueueOutbox(getDb(), item({ operation: 'upsert' as never }))).rejects.toThrow(
      /operation: expects one of create, update, delete/,
    );
    await expect(enqueueOutbox(getDb(), item({ operation: 'update', recordId: null }))).rejects.toThrow(
      /recordId: is required for update/,
    );
    await expect(enqueueOutbox(getDb(), item({ contactId: 'c-1' }))).rejects.toThrow(/contactId: expects a contact id/);
    await expect(enqueueOutbox(getDb(), item({ payload: [] as never }))).rejects.toThrow(/payload: expects an object/);
    await expect(claimOutboxBatch(getDb(), { ...LEASE, limit: 0 })).rejects.toThrow(/limit: expects an integer/);
  });

  it('claims due items oldest first, up to the limit, and leases them', async () => {
    const ids = await enqueueMany(5);
    await enqueueOutbox(getDb(), item({ orgId: 'org-2' }));

    const first = await claimOutboxBatch(getDb(), { ...LEASE, limit: 3 });
    expect(first.map((i) => i.id)).toEqual(ids.slice(0, 3));
    for (const claimed of first) {
      expect(claimed.state).toBe('processing');
      expect(Date.parse(claimed.leaseUntil ?? '')).toBeGreaterThan(Date.now() + 30_000);
    }
    const second = await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 });
    expect(second.map((i) => i.id)).toEqual(ids.slice(3));
    expect(await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 })).toEqual([]);
    expect(await outboxStats(getDb(), ORG_ID)).toEqual({ pending: 0, processing: 5, failed: 0, done: 0, held: 0 });
    expect(await outboxStats(getDb())).toEqual({ pending: 1, processing: 5, failed: 0, done: 0, held: 0 });
  });

  it('re-claims items whose lease ran out (a crashed worker)', async () => {
    const [id] = await enqueueMany(1);
    expect((await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 })).map((i) => i.id)).toEqual([id]);
    expect(await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 })).toEqual([]);
    await getDb().query("UPDATE outbox SET lease_until = now() - interval '1 second'");
    const again = await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 });
    expect(again.map((i) => [i.id, i.state, i.attempts])).toEqual([[id, 'processing', 0]]);
  });

  it('completes, retries later, and parks failures', async () => {
    const [a, b, c] = await enqueueMany(3);
    await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 });

    await completeOutbox(getDb(), [a as string]);
    await retryOutbox(
      getDb(),
      b as string,
      { code: 'UNABLE_TO_LOCK_ROW', message: 'row locked' },
      new Date(Date.now() + 3_600_000),
    );
    await failOutbox(getDb(), c as string, { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Phone is invalid' });
    expect(await outboxStats(getDb(), ORG_ID)).toEqual({ pending: 1, processing: 0, failed: 1, done: 1, held: 0 });

    const [failed] = await listOutbox(getDb(), { state: 'failed', limit: 10 });
    expect(failed).toMatchObject({
      id: c,
      attempts: 1,
      lastErrorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      lastError: 'Phone is invalid',
      leaseUntil: null,
    });
    const [retrying] = await listOutbox(getDb(), { state: 'pending', limit: 10 });
    expect(retrying).toMatchObject({ id: b, attempts: 1, lastErrorCode: 'UNABLE_TO_LOCK_ROW' });

    // Not due yet: nothing to claim. Once due, it comes back.
    expect(await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 })).toEqual([]);
    await retryOutbox(
      getDb(),
      b as string,
      { code: 'UNABLE_TO_LOCK_ROW', message: 'again' },
      new Date(Date.now() - 1000),
    );
    const due = await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 });
    expect(due.map((i) => [i.id, i.attempts])).toEqual([[b, 2]]);

    expect(await requeueFailedOutbox(getDb(), [c as string, a as string])).toBe(1);
    expect((await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 })).map((i) => i.id)).toEqual([c]);
  });

  it('keeps one contact or record in order: newer items wait while an older one is in flight or backing off', async () => {
    const contactId = randomUUID();
    const create = await enqueueOutbox(getDb(), item({ contactId, operation: 'create' }));
    const update = await enqueueOutbox(getDb(), item({ contactId, operation: 'update', recordId: '003A' }));
    const recordUpdate = await enqueueOutbox(getDb(), item({ contactId: null, operation: 'update', recordId: '003B' }));
    const recordDelete = await enqueueOutbox(getDb(), item({ contactId: null, operation: 'delete', recordId: '003B' }));
    const unrelated = await enqueueOutbox(getDb(), item());

    // One worker takes the oldest; another must not take the newer items of the same contact or record.
    expect((await claimOutboxBatch(getDb(), { ...LEASE, limit: 1 })).map((i) => i.id)).toEqual([create.id]);
    expect((await claimOutboxBatch(getDb(), { ...LEASE, limit: 1 })).map((i) => i.id)).toEqual([recordUpdate.id]);
    expect((await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 })).map((i) => i.id)).toEqual([unrelated.id]);

    await completeOutbox(getDb(), [create.id]);
    expect((await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 })).map((i) => i.id)).toEqual([update.id]);

    // A retry that is not due yet holds the record's later changes back; a parked failure does not.
    await retryOutbox(
      getDb(),
      recordUpdate.id,
      { code: 'UNABLE_TO_LOCK_ROW', message: 'busy' },
      new Date(Date.now() + 3_600_000),
    );
    expect(await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 })).toEqual([]);
    await failOutbox(getDb(), recordUpdate.id, { code: 'X', message: 'parked' });
    expect((await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 })).map((i) => i.id)).toEqual([recordDelete.id]);
  });

  it('claims all due items of one record together, so a worker can coalesce them', async () => {
    const ids = await enqueueMany(3, { contactId: null, operation: 'update', recordId: '003C' });
    expect((await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 })).map((i) => i.id)).toEqual(ids);
  });

  it('prunes old finished items only', async () => {
    const [a, b] = await enqueueMany(3);
    await completeOutbox(getDb(), [a as string, b as string]);
    await getDb().query(`UPDATE outbox SET updated_at = now() - interval '8 days' WHERE id = $1`, [a]);
    expect(await pruneOutbox(getDb(), new Date(Date.now() - 7 * 86_400_000))).toBe(1);
    expect(await outboxStats(getDb())).toEqual({ pending: 1, processing: 0, failed: 0, done: 1, held: 0 });
  });

  if (backend.kind === 'postgres') {
    it('skips rows another worker holds locked instead of waiting for them', async () => {
      const ids = await enqueueMany(6);
      const held = ids.slice(0, 3);
      let claim: Promise<OutboxItem[]> | undefined;
      const outcome = await getDb().transaction(async (tx) => {
        await tx.query('SELECT id FROM outbox WHERE id = ANY($1::bigint[]) FOR UPDATE', [held]);
        // Runs on a second connection while this transaction keeps the three rows locked. Without SKIP
        // LOCKED it would wait for this transaction, which waits for it: the timer turns that into a failure.
        claim = claimOutboxBatch(getDb(), { ...LEASE, limit: 10 });
        return Promise.race([
          claim,
          new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 15_000).unref()),
        ]);
      });
      await claim;
      expect(outcome === 'blocked' ? outcome : outcome.map((i) => i.id)).toEqual(ids.slice(3));
      expect((await claimOutboxBatch(getDb(), { ...LEASE, limit: 10 })).map((i) => i.id)).toEqual(held);
    }, 30_000);

    it('gives concurrent claims disjoint items', async () => {
      const ids = await enqueueMany(40);
      const batches = await Promise.all(
        Array.from({ length: 4 }, () => claimOutboxBatch(getDb(), { ...LEASE, limit: 15 })),
      );
      const rest = await claimOutboxBatch(getDb(), { ...LEASE, limit: 40 });
      const all = [...batches.flat(), ...rest].map((i) => i.id);
      expect(new Set(all).size).toBe(all.length);
      expect(all.sort()).toEqual([...ids].sort());
    });
  }
});
