import {
  eventually,
  linkedContact,
  linkedContactId,
  quietCreate,
  quietUpdate,
  startStack,
  uiCreate,
  uiUpdate,
  updateSyncRecord,
  type Stack,
} from '../../support/harness';
import { getContact, updateContact } from '../../../src/directory/contacts';
import { listAudit } from '../../../src/store/audit';
import { listOutbox } from '../../../src/store/outbox/outbox';
import { getWatermarks } from '../../../src/store/state/reconcileState';
import { ReconcileUnavailableError } from '../../../src/sync/reconcile/reconcileScheduler';
import { eventBusOf } from '../../../emulator/pubsub/eventBus';
import { soqlDateTime } from '../../../src/salesforce/queries/soql';
import { WATERMARK_OVERLAP_MS } from '../../../src/sync/reconcile/reconcileSalesforce';
import { LEAD_COMPANY_PLACEHOLDER } from '../../../src/sync/outbound/salesforceRequirements';

const ORG = 'primary';
const TOPIC = '/event/Switchboard_Change__e';

describe('scheduled reconcile', () => {
  let stack: Stack;
  const runtime = () => stack.service.orgs[0];
  const newestContactStamp = () =>
    [...stack.emulator.org.store.scan('Contact')]
      .map((r) => String(r.SystemModstamp))
      .sort()
      .pop();
  let newestBeforeFirstRun: string | undefined;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('repairs Salesforce changes whose events were lost, and says so in the status and the audit log', async () => {
    const id = uiCreate(stack, 'Contact', { FirstName: 'Grace', LastName: 'Hopper', Phone: '+1 202 555 0140' });
    const contactId = await linkedContactId(stack, id);
    quietUpdate(stack, 'Contact', id, { Title: 'Rear Admiral' });
    const [born] = quietCreate(stack, 'Contact', [{ FirstName: 'Jean', LastName: 'Sammet', Phone: '+1 202 555 0141' }]);
    newestBeforeFirstRun = newestContactStamp();

    const result = await runtime().runReconcileNow();

    expect((await getContact(stack.db, contactId))?.title).toBe('Rear Admiral');
    expect(await linkedContact(stack, born)).toMatchObject({ firstName: 'Jean', lastName: 'Sammet' });
    expect(result.repaired).toBeGreaterThanOrEqual(2);
    // No initial sync ran and no watermark exists: the first run sweeps every record (12 seeded + 2).
    expect(result.perObject.Contact?.checked).toBeGreaterThanOrEqual(14);
    const status = runtime().status().reconcile;
    expect(status).toMatchObject({
      running: false,
      lastResult: { repaired: result.repaired, checked: result.checked, deleted: 0 },
    });
    expect(status.lastRunAt).not.toBeNull();
    const [entry] = (await listAudit(stack.db, { limit: 50 })).filter((e) => e.action === 'reconcile');
    expect(entry).toMatchObject({
      orgId: ORG,
      origin: 'system',
      after: expect.objectContaining({ repaired: result.repaired }),
    });
    expect(entry.rule).toMatch(/^reconcile: checked \d+, repaired \d+, deleted 0, excluded \d+$/);
  });

  it('advances the watermarks to the newest change seen, and a second run finds nothing to repair', async () => {
    const marks = await getWatermarks(stack.db, ORG);
    // At least the newest change the first run read; later ones only if the service itself wrote since.
    expect(String(marks.get('Contact')?.at) >= String(newestBeforeFirstRun)).toBe(true);
    expect(String(marks.get('Contact')?.at) <= String(newestContactStamp())).toBe(true);
    expect(marks.get('directory')).toBeDefined();
    const again = await runtime().runReconcileNow();
    expect(again.repaired).toBe(0);
    expect(again.deleted).toBe(0);
  });

  it('queues the write-back a directory edit lost, and only the fields Salesforce lacks', async () => {
    const id = uiCreate(stack, 'Contact', {
      FirstName: 'Alan',
      LastName: 'Kay',
      Title: 'Fellow',
      Phone: '+1 408 555 0142',
    });
    const contactId = await linkedContactId(stack, id);
    // Changed in the directory with no outbox row, as if the row had been lost.
    await updateContact(stack.db, contactId, { title: 'Smalltalk designer' });
    expect(await listOutbox(stack.db, { orgId: ORG, limit: 100 })).not.toContainEqual(
      expect.objectContaining({ recordId: id }),
    );

    const result = await runtime().runReconcileNow();

    expect(result.telephony.repaired).toBe(1);
    const [row] = (await listOutbox(stack.db, { orgId: ORG, limit: 100 })).filter((r) => r.recordId === id);
    expect(row.payload).toEqual({ Title: 'Smalltalk designer' });
    await eventually(
      () => stack.emulator.org.store.get('Contact', id)?.Title === 'Smalltalk designer' || undefined,
      'the repaired write-back',
    );
    // Written back: nothing left to queue.
    await eventually(
      async () =>
        (await listOutbox(stack.db, { orgId: ORG, limit: 100 })).find((r) => r.recordId === id)?.state === 'done' ||
        undefined,
      'the write-back to settle',
    );
    expect((await runtime().runReconcileNow()).telephony.repaired).toBe(0);
  });

  it("repairs a lost write-back of a Lead's cleared company with the required Company filled in, never empty", async () => {
    const id = uiCreate(stack, 'Lead', { LastName: 'Dijkstra', Company: 'Burroughs', Phone: '+1 512 555 0145' });
    const contactId = await linkedContactId(stack, id);
    await updateContact(stack.db, contactId, { company: null });

    expect((await runtime().runReconcileNow()).telephony.repaired).toBe(1);
    const [row] = (await listOutbox(stack.db, { orgId: ORG, limit: 100 })).filter((r) => r.recordId === id);
    expect(row.payload).toEqual({ Company: LEAD_COMPANY_PLACEHOLDER });
    await eventually(
      async () =>
        (await listOutbox(stack.db, { orgId: ORG, limit: 100 })).find((r) => r.recordId === id)?.state === 'done' ||
        undefined,
      'the repaired write-back to settle',
    );
    expect(stack.emulator.org.store.get('Lead', id)?.Company).toBe(LEAD_COMPANY_PLACEHOLDER);
  });

  it("runs on the sync's cron schedule (rescheduled when the settings change) and not while paused", async () => {
    await updateSyncRecord(stack, { Frequency__c: 'Custom', Custom_Schedule__c: '*/1 * * * * *' });
    expect(runtime().status().reconcile.nextRunAt).not.toBeNull();
    const id = uiCreate(stack, 'Contact', { LastName: 'Liskov', Phone: '+1 617 555 0143' });
    const contactId = await linkedContactId(stack, id);
    quietUpdate(stack, 'Contact', id, { FirstName: 'Barbara' });
    await eventually(
      async () => (await getContact(stack.db, contactId))?.firstName === 'Barbara' || undefined,
      'a scheduled reconcile',
    );

    await runtime().pause();
    expect(runtime().status().reconcile.nextRunAt).toBeNull();
    await expect(runtime().runReconcileNow()).rejects.toThrow(ReconcileUnavailableError);
    await runtime().resume();
    await updateSyncRecord(stack, { Frequency__c: 'Hourly', Custom_Schedule__c: null });
    const next = Date.parse(String(runtime().status().reconcile.nextRunAt));
    expect(new Date(next).getMinutes()).toBe(0);
  });

  it('recovers the changes of the gap when the stored replay id has expired', async () => {
    const id = uiCreate(stack, 'Contact', { LastName: 'Ritchie', Phone: '+1 908 555 0144' });
    const contactId = await linkedContactId(stack, id);
    await stack.stopService();
    uiUpdate(stack, 'Contact', id, { FirstName: 'Dennis' });
    const bus = eventBusOf(stack.emulator.org);
    bus.expireThrough(TOPIC, bus.latest(TOPIC));
    await stack.startServiceAgain();
    // The change came in no event that can be replayed: the reconcile started by the expiry brings it.
    await eventually(
      async () => (await getContact(stack.db, contactId))?.firstName === 'Dennis' || undefined,
      'the reconcile after the expiry',
    );
    await eventually(
      () => (runtime().status().reconcile.lastRunAt && !runtime().status().needsReconcile) || undefined,
      'the reconcile to finish',
    );
  });
});

describe('reconcile after an initial sync', () => {
  it("starts from the initial sync's start time (less the overlap), not from the beginning", async () => {
    const stack = await startStack({ initialSync: true });
    try {
      const runtime = stack.service.orgs[0];
      const initial = await runtime.initialSyncSettled();
      expect(initial.state).toBe('done');
      const request = jest.spyOn(runtime.session.conn, 'request');
      const result = await runtime.runReconcileNow();
      const queries = request.mock.calls.map(([req]) =>
        decodeURIComponent(String(typeof req === 'string' ? req : req.url)),
      );
      const from = soqlDateTime(new Date(Date.parse(String(initial.startedAt)) - WATERMARK_OVERLAP_MS));
      expect(queries).toContainEqual(
        expect.stringMatching(
          new RegExp(`/query\\?q=SELECT Id, SystemModstamp, .* FROM Contact WHERE SystemModstamp > ${from}$`),
        ),
      );
      expect(queries).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `/queryAll\\?q=SELECT Id, SystemModstamp FROM Contact WHERE IsDeleted = true AND SystemModstamp > ${from}$`,
          ),
        ),
      );
      expect(result.repaired).toBe(0);
    } finally {
      await stack.close();
    }
  });
});
