/**
 * The outbox row of a call's Task (store/calls.ts): one per org and call; a later report refreshes it while it
 * is queued, gives a row on its way the new values for the settle to send after it, and turns a sent row into an
 * update of the Task (less TaskSubtype, which Salesforce sets on create only).
 */
import { randomUUID } from 'node:crypto';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import type { Database } from '../../../src/store/types';
import { upsertOrg } from '../../../src/store/state/orgs';
import { listOutbox } from '../../../src/store/outbox/outbox';
import { queueCallTask, settleCallTaskRow } from '../../../src/store/calls';

const ORG = 'org-1';
const TASK_ID = '00T000000000001AAA';
const payload = (seconds: number) => ({ TaskSubtype: 'Call', CallObject: 'pbx-1', CallDurationInSeconds: seconds });

describeEachBackend('call Task outbox rows', (getDb) => {
  let db: Database;
  let callId: string;

  beforeEach(async () => {
    db = getDb();
    await resetDatabase(db);
    await upsertOrg(db, { id: ORG, name: 'Acme', loginUrl: 'https://login.example.com' });
    callId = randomUUID();
  });

  const queue = (seconds: number) =>
    queueCallTask(db, { orgId: ORG, callId, payload: payload(seconds), payloadHash: `h${seconds}` });
  const row = async () => {
    const rows = await listOutbox(db, { orgId: ORG, limit: 10 });
    expect(rows).toHaveLength(1);
    return rows[0];
  };

  it('is one create, refreshed while queued; the same values again change nothing', async () => {
    expect(await queue(60)).toBe(true);
    expect(await queue(60)).toBe(false);
    expect(await queue(90)).toBe(true);
    expect(await row()).toMatchObject({ operation: 'create', state: 'pending', payload: payload(90), recordId: null });
  });

  it('gives a row on its way the new values, and the settle queues them as an update of the Task it made', async () => {
    await queue(60);
    await db.query("UPDATE outbox SET state = 'processing', claims = 1");
    expect(await queue(90)).toBe(true);
    expect(await row()).toMatchObject({ operation: 'create', state: 'processing', payload: payload(90) });
    // The create sent the 60 s values (hash h60): the row goes back as an update with the 90 s ones.
    expect(await settleCallTaskRow(db, (await row()).id, 'h60', TASK_ID)).toBe(true);
    expect(await row()).toMatchObject({
      operation: 'update',
      state: 'pending',
      recordId: TASK_ID,
      claims: 0,
      payload: { CallObject: 'pbx-1', CallDurationInSeconds: 90 },
    });
  });

  it('keeps the Task id on a row sent as it stands, and turns it into an update when the call changes later', async () => {
    await queue(60);
    await db.query("UPDATE outbox SET state = 'processing', claims = 1");
    expect(await settleCallTaskRow(db, (await row()).id, 'h60', TASK_ID)).toBe(false);
    await db.query("UPDATE outbox SET state = 'done'");
    expect(await queue(60)).toBe(false);
    expect(await queue(120)).toBe(true);
    expect(await row()).toMatchObject({
      operation: 'update',
      state: 'pending',
      recordId: TASK_ID,
      payload: { CallObject: 'pbx-1', CallDurationInSeconds: 120 },
    });
  });

  it('leaves a parked Task alone', async () => {
    await queue(60);
    await db.query("UPDATE outbox SET state = 'failed'");
    expect(await queue(90)).toBe(false);
    expect(await row()).toMatchObject({ state: 'failed', payload: payload(60) });
  });
});
