import { eventually, linkedContact, startStack, uiCreate, uiUpdate, type Stack } from '../support/harness';
import { getContact } from '../../src/directory/contacts';
import { listAudit } from '../../src/store/audit';
import { outboxStats } from '../../src/store/outbox/outbox';
import { decodeStoredEvent, eventBusOf } from '../../emulator/pubsub/eventBus';
import { getReplayId } from '../../src/store/state/checkpoints';
import { replayIdFromBytes } from '../../src/salesforce/pubsub/replayId';

const TOPIC = '/event/Switchboard_Change__e';

const ORG = 'primary';

/**
 * Proves "nothing else arrived" without sleeping: change a marker record afterwards and wait for it.
 * Events are applied in order, so anything published before the marker has been applied by then.
 */
async function flushEvents(stack: Stack): Promise<void> {
  const marker = uiCreate(stack, 'Contact', { LastName: `Marker ${Date.now()}`, Phone: '+1 206 555 0188' });
  await eventually(() => linkedContact(stack, marker), 'the marker record');
}

describe('first vertical slice: one contact, both directions, through the org emulator', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('applies a Salesforce edit to the directory with every phone in E.164 and the raw value kept', async () => {
    const accountId = stack.emulator.org.store.idFor('Account', 0);
    const id = uiCreate(stack, 'Contact', {
      FirstName: 'Grace',
      LastName: 'Hopper',
      Email: 'grace@navy.example.com',
      AccountId: accountId,
      Phone: '(415) 555-2671',
      MobilePhone: '+44 20 7946 0958',
      HomePhone: '415.555.2671 x12',
      OtherPhone: 'ask reception',
    });
    const contact = await eventually(() => linkedContact(stack, id), 'the new contact');
    expect(contact).toMatchObject({
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@navy.example.com',
      source: 'salesforce',
    });
    expect(contact.company).toBe(stack.emulator.org.store.get('Account', accountId)?.Name);
    expect(contact.phones).toEqual([
      { kind: 'work', raw: '(415) 555-2671', e164: '+14155552671', extension: null },
      { kind: 'mobile', raw: '+44 20 7946 0958', e164: '+442079460958', extension: null },
      { kind: 'home', raw: '415.555.2671 x12', e164: '+14155552671', extension: '12' },
      { kind: 'other', raw: 'ask reception', e164: null, extension: null },
    ]);

    uiUpdate(stack, 'Contact', id, { Title: 'Rear Admiral', MobilePhone: null });
    const updated = await eventually(
      () => linkedContact(stack, id).then((c) => (c?.title === 'Rear Admiral' ? c : undefined)),
      'the update',
    );
    expect(updated.phones.map((p) => p.kind)).toEqual(['work', 'home', 'other']);
    expect(updated.version).toBeGreaterThan(contact.version);
  });

  it('writes a directory edit back to the linked Salesforce Contact, and nothing echoes back', async () => {
    const id = uiCreate(stack, 'Contact', { FirstName: 'Alan', LastName: 'Turing', Phone: '+44 161 306 6000' });
    const contact = await eventually(() => linkedContact(stack, id), 'the contact');
    const bus = eventBusOf(stack.emulator.org);
    const eventsBefore = bus.retained(TOPIC).length;

    const res = await stack.api('PATCH', `/contacts/${contact.id}`, {
      title: 'Codebreaker',
      phones: [{ kind: 'mobile', number: '+44 7911 123456' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.queuedWriteBacks).toBe(1);
    expect(res.body.contact.phones).toEqual([
      { kind: 'mobile', raw: '+44 7911 123456', e164: '+447911123456', extension: null },
    ]);

    const record = await eventually(() => {
      const r = stack.emulator.org.store.get('Contact', id);
      return r?.Title === 'Codebreaker' ? r : undefined;
    }, 'the write-back');
    expect(record).toMatchObject({
      Title: 'Codebreaker',
      MobilePhone: '+44 7911 123456',
      Phone: null,
      FirstName: 'Alan',
    });
    expect(record.LastModifiedById).toBe(stack.emulator.org.integrationUser.userId);
    await eventually(
      async () => (await outboxStats(stack.db, ORG)).done === 1 || undefined,
      'the outbox row to settle',
    );

    // Echo layer 1: the integration user's write published no change event at all.
    expect(bus.retained(TOPIC).length).toBe(eventsBefore);
    await flushEvents(stack);
    const after = await getContact(stack.db, contact.id);
    expect(after?.version).toBe(res.body.contact.version);
    const fromSalesforce = (await listAudit(stack.db, { contactId: contact.id, limit: 50 })).filter(
      (a) => a.origin === 'salesforce',
    );
    expect(fromSalesforce.map((a) => a.action)).toEqual(['create']);
  });

  it('drops an echo by hash when the permission-based suppression is missing', async () => {
    const id = uiCreate(stack, 'Contact', { FirstName: 'Edsger', LastName: 'Dijkstra', Phone: '+31 20 592 9333' });
    const contact = await eventually(() => linkedContact(stack, id), 'the contact');
    const org = stack.emulator.org;
    org.integrationUserIds.delete(org.integrationUser.userId);
    try {
      const bus = eventBusOf(org);
      const before = bus.retained(TOPIC).length;
      const res = await stack.api('PATCH', `/contacts/${contact.id}`, { title: 'Professor' });
      expect(res.status).toBe(200);
      // Without the permission the write-back does publish: the service must recognise its own values.
      await eventually(() => bus.retained(TOPIC).length > before || undefined, 'the echo event');
      await flushEvents(stack);
      const after = await getContact(stack.db, contact.id);
      expect(after?.version).toBe(res.body.contact.version);
      expect(after?.title).toBe('Professor');
    } finally {
      org.integrationUserIds.add(org.integrationUser.userId);
    }
  });

  it('picks up changes made while the service was stopped, from the stored replay id', async () => {
    const id = uiCreate(stack, 'Contact', { FirstName: 'Barbara', LastName: 'Liskov', Phone: '+1 617 253 5851' });
    await eventually(() => linkedContact(stack, id), 'the contact');
    await stack.stopService();
    uiUpdate(stack, 'Contact', id, { Title: 'Institute Professor' });
    const missed = uiCreate(stack, 'Lead', { LastName: 'Offline', Company: 'Stopped Inc', Phone: '+1 617 555 0142' });
    await stack.startServiceAgain();
    const updated = await eventually(
      () => linkedContact(stack, id).then((c) => (c?.title === 'Institute Professor' ? c : undefined)),
      'the change made while stopped',
    );
    expect(updated.lastName).toBe('Liskov');
    const lead = await eventually(() => linkedContact(stack, missed), 'the lead created while stopped');
    expect(lead).toMatchObject({ lastName: 'Offline', company: 'Stopped Inc' });
  });

  it('changes nothing when the same event is delivered twice', async () => {
    const org = stack.service.orgs[0];
    const id = uiCreate(stack, 'Contact', { FirstName: 'Ken', LastName: 'Thompson', Phone: '+1 908 582 3000' });
    const contact = await eventually(() => linkedContact(stack, id), 'the contact');
    const bus = eventBusOf(stack.emulator.org);
    const retained = bus.retained(TOPIC);
    const last = retained[retained.length - 1];
    const raw = {
      id: last.event.id,
      schemaId: last.event.schemaId,
      replayId: Number(last.replay),
      payload: decodeStoredEvent(last),
    };
    expect(JSON.parse(String(raw.payload.Payload__c))[0].Id).toBe(id);
    const again = await org.handleEvent(raw);
    expect(again?.duplicate).toBe(true);
    const after = await getContact(stack.db, contact.id);
    expect(after?.version).toBe(contact.version);
    const audit = await listAudit(stack.db, { contactId: contact.id, limit: 10 });
    expect(audit).toHaveLength(1);
  });

  it('applies a burst of events in one transaction, passing an unreadable one, and keeps the last replay id', async () => {
    const org = stack.service.orgs[0];
    await org.pause();
    const ids = [0, 1, 2].map((i) =>
      uiCreate(stack, 'Contact', { FirstName: 'Burst', LastName: `Event ${i}`, Phone: `+1 908 555 01${i}0` }),
    );
    const retained = eventBusOf(stack.emulator.org).retained(TOPIC).slice(-3);
    const raws = retained.map((r) => ({
      id: r.event.id,
      schemaId: r.event.schemaId,
      replayId: Number(r.replay),
      payload: decodeStoredEvent(r),
    }));
    const unreadable = { ...raws[0], id: 'unreadable-1', payload: { ...raws[0].payload, Payload__c: 'not json' } };

    const results = await org.handleEvents([raws[0], unreadable, raws[1], raws[2]]);
    expect(results.map((r) => (r === null ? null : r.outcomes.map((o) => o.outcome)))).toEqual([
      ['created'],
      null,
      ['created'],
      ['created'],
    ]);
    for (const id of ids) expect(await linkedContact(stack, id)).toMatchObject({ firstName: 'Burst' });
    expect(replayIdFromBytes((await getReplayId(stack.db, 'primary', TOPIC))!)).toBe(raws[2].replayId);
    expect(
      (await listAudit(stack.db, { limit: 20 })).some(
        (e) => e.action === 'rejected' && (e.rule ?? '').includes('Payload__c'),
      ),
    ).toBe(true);
    await org.resume();
  });

  it('resubscribes by itself after the stream drops, and loses no change', async () => {
    const id = uiCreate(stack, 'Contact', { FirstName: 'Radia', LastName: 'Perlman', Phone: '+1 425 555 0100' });
    await eventually(() => linkedContact(stack, id), 'the contact');
    stack.emulator.org.dropPubSubStreams();
    uiUpdate(stack, 'Contact', id, { Title: 'Mother of the Internet' });
    const updated = await eventually(
      () => linkedContact(stack, id).then((c) => (c?.title === 'Mother of the Internet' ? c : undefined)),
      'the change made across the drop',
    );
    expect(updated.lastName).toBe('Perlman');
    expect(stack.service.orgs[0].subscriber.state).toBe('subscribed');
  });
});
