import { eventually, linkedContactId, startStack, uiCreate, uiUpdate, type Stack } from '../support/harness';
import { getContact } from '../../src/directory/contacts';
import { listAudit } from '../../src/store/audit';
import { listOutbox } from '../../src/store/outbox/outbox';
import { eventBusOf } from '../../emulator/pubsub/eventBus';

const ORG = 'primary';
const TOPIC = '/event/Switchboard_Change__e';

describe('write-back and subscription under failure', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('retries a write-back that met UNABLE_TO_LOCK_ROW and then writes it', async () => {
    const id = uiCreate(stack, 'Contact', { LastName: 'Lamarr', Phone: '+1 310 555 0101' });
    const contactId = await linkedContactId(stack, id);
    const org = stack.emulator.org;
    // The read of the record before the round (which then goes as it is), and the update itself.
    Object.assign(org.faults, { errorKinds: ['UNABLE_TO_LOCK_ROW'], failNextRequests: 2 });
    const res = await stack.api('PATCH', `/contacts/${contactId}`, { firstName: 'Hedy' });
    expect(res.status).toBe(200);
    await eventually(
      () => org.store.get('Contact', id)?.FirstName === 'Hedy' || undefined,
      'the retried write-back',
      30_000,
    );
    // Salesforce has the value a moment before the worker's settle transaction commits.
    const row = await eventually(async () => {
      const found = (await listOutbox(stack.db, { orgId: ORG, limit: 50 })).find((r) => r.recordId === id);
      return found?.state === 'done' ? found : undefined;
    }, 'the outbox row to settle');
    expect(row).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('parks a write-back Salesforce refuses for good, with its error code, and keeps going', async () => {
    const gone = uiCreate(stack, 'Contact', { LastName: 'Deleted Later', Phone: '+1 310 555 0102' });
    const fine = uiCreate(stack, 'Contact', { LastName: 'Still Here', Phone: '+1 310 555 0103' });
    const goneContact = await linkedContactId(stack, gone);
    const fineContact = await linkedContactId(stack, fine);
    // Deleted by the integration user: no change event, so the directory still links the record.
    stack.emulator.org.store.delete('Contact', [gone], stack.emulator.org.integrationUser);

    expect((await stack.api('PATCH', `/contacts/${goneContact}`, { title: 'Ghost' })).status).toBe(200);
    expect((await stack.api('PATCH', `/contacts/${fineContact}`, { title: 'Alive' })).status).toBe(200);

    await eventually(
      () => stack.emulator.org.store.get('Contact', fine)?.Title === 'Alive' || undefined,
      'the good write-back',
    );
    const parked = await eventually(async () => {
      const rows = await listOutbox(stack.db, { orgId: ORG, state: 'failed', limit: 50 });
      return rows.find((r) => r.recordId === gone);
    }, 'the refused write-back to be parked');
    expect(parked.lastErrorCode).toBe('ENTITY_IS_DELETED');
    expect(parked.lastError).toBe('entity is deleted');
    const audit = await listAudit(stack.db, { contactId: goneContact, limit: 10 });
    expect(audit[0]).toMatchObject({ action: 'write-back-failed', origin: 'telephony' });
    expect(audit[0].rule).toMatch(/^ENTITY_IS_DELETED: /);
  });

  it('signs in again when the access token expires, without losing the write', async () => {
    const id = uiCreate(stack, 'Contact', { LastName: 'Shannon', Phone: '+1 617 555 0104' });
    const contactId = await linkedContactId(stack, id);
    stack.emulator.org.expireAllTokens();
    expect((await stack.api('PATCH', `/contacts/${contactId}`, { firstName: 'Claude' })).status).toBe(200);
    await eventually(
      () => stack.emulator.org.store.get('Contact', id)?.FirstName === 'Claude' || undefined,
      'the write-back after re-sign-in',
    );
  });

  it('falls back to a fresh subscription and reconciles when the stored replay id has expired', async () => {
    const id = uiCreate(stack, 'Contact', { LastName: 'McCarthy', Phone: '+1 650 555 0105' });
    const contactId = await linkedContactId(stack, id);
    await stack.stopService();
    uiUpdate(stack, 'Contact', id, { FirstName: 'John' });
    // Everything published so far ages out of retention, including the stored replay id's event.
    const bus = eventBusOf(stack.emulator.org);
    bus.expireThrough(TOPIC, bus.latest(TOPIC));
    await stack.startServiceAgain();
    // The change made in the gap came in no event we could replay: the reconcile the expiry starts brings it …
    await eventually(
      async () => (await getContact(stack.db, contactId))?.firstName === 'John' || undefined,
      'the reconcile after the expiry',
    );
    await eventually(
      () =>
        (stack.service.orgs[0].status().reconcile.lastRunAt && !stack.service.orgs[0].status().needsReconcile) ||
        undefined,
      'the reconcile to finish',
    );
    // … and the stream is live again from the newest event, once the server has taken the new subscription.
    await eventually(() => stack.service.orgs[0].subscriber.live, 'the fresh subscription to be live');
    uiUpdate(stack, 'Contact', id, { Title: 'AI pioneer' });
    await eventually(
      async () => (await getContact(stack.db, contactId))?.title === 'AI pioneer' || undefined,
      'a change after the fallback',
    );
  });
});

describe('JWT bearer sign-in on the embedded PGlite database', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ authFlow: 'jwt', backend: 'pglite' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('syncs both ways', async () => {
    expect(stack.db.kind).toBe('pglite');
    const id = uiCreate(stack, 'Lead', { LastName: 'Hamilton', Company: 'MIT', MobilePhone: '(617) 555-0106' });
    const contactId = await linkedContactId(stack, id);
    const contact = await getContact(stack.db, contactId);
    expect(contact).toMatchObject({ lastName: 'Hamilton', company: 'MIT' });
    expect(contact?.phones).toEqual([{ kind: 'mobile', raw: '(617) 555-0106', e164: '+16175550106', extension: null }]);
    expect(
      (await stack.api('PATCH', `/contacts/${contactId}`, { firstName: 'Margaret', company: 'Draper Lab' })).status,
    ).toBe(200);
    await eventually(() => {
      const lead = stack.emulator.org.store.get('Lead', id);
      return lead?.FirstName === 'Margaret' && lead.Company === 'Draper Lab' ? lead : undefined;
    }, 'the lead write-back');
  });
});
