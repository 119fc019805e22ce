import { readFileSync } from 'node:fs';
import pino from 'pino';
import { eventually, linkedContactId, startStack, uiCreate, type Stack } from '../../support/harness';
import { eventBusOf } from '../../../emulator/pubsub/eventBus';
import { ChangeSubscriber } from '../../../src/salesforce/pubsub/subscriber';
import type { RawPubSubEvent } from '../../../src/salesforce/pubsub/changeEvent';
import { clearRecordHealth, setRecordHealth } from '../../../src/store/state/recordHealth';

/** Status back to the org, through the emulator: the sync record, the status event, error records, record fields. */
const STATUS_TOPIC = '/event/Switchboard_Status__e';
const CHANGE_TOPIC = '/event/Switchboard_Change__e';

describe('status reporting to the org', () => {
  let stack: Stack;
  const syncId = () => stack.emulator.org.store.idFor('Switchboard_Sync__c', 0);
  const syncRecord = () => stack.emulator.org.store.get('Switchboard_Sync__c', syncId());
  const runtime = () => stack.service.orgs[0];
  const errorRow = (key: string) => {
    const [id] = stack.emulator.org.store.findByExternalId('Switchboard_Sync_Error__c', 'Error_Key__c', key);
    return id ? stack.emulator.org.store.get('Switchboard_Sync_Error__c', id) : undefined;
  };

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('writes status, counters and heartbeat to the sync record, and follows pause and resume', async () => {
    await runtime().reporter.flush();
    expect(syncRecord()).toMatchObject({
      Status__c: 'Active',
      Synced_Count__c: 0,
      Excluded_Count__c: 0,
      Failing_Count__c: 0,
      Last_Error__c: null,
    });
    expect(Date.now() - Date.parse(String(syncRecord()?.Service_Heartbeat__c))).toBeLessThan(60_000);

    await runtime().pause();
    expect(syncRecord()?.Status__c).toBe('Paused');
    await runtime().resume();
    expect(syncRecord()?.Status__c).toBe('Active');
  });

  it('publishes the same snapshot as a Switchboard_Status__e that a Pub/Sub subscriber receives', async () => {
    const received: RawPubSubEvent[] = [];
    const subscriber = new ChangeSubscriber({
      session: runtime().session,
      topic: STATUS_TOPIC,
      pubSubEndpoint: stack.config.salesforce?.pubSubEndpoint as string,
      extraCaPem: readFileSync(stack.emulator.certPath, 'utf8'),
      logger: pino({ level: 'silent' }),
      loadReplayId: async () => null,
      handle: async (event) => {
        received.push(event);
      },
      onReplayExpired: async () => undefined,
    });
    subscriber.start();
    try {
      await eventually(() => subscriber.live, 'the status subscriber to be live');
      await runtime().pause();
      const event = await eventually(
        () => received.find((e) => e.payload.Status__c === 'Paused'),
        'a Paused status event',
      );
      expect(event.payload).toMatchObject({
        Sync_Id__c: syncId(),
        Status__c: 'Paused',
        Synced_Count__c: 0,
        Excluded_Count__c: 0,
      });
      await runtime().resume();
      await eventually(() => received.some((e) => e.payload.Status__c === 'Active'), 'an Active status event');
    } finally {
      await subscriber.stop();
    }
  });

  it('mirrors an exclusion as a sync error record and on the record, and resolves it when it clears', async () => {
    const org = stack.emulator.org;
    const recordId = org.store.idFor('Contact', 3);
    const key = `${recordId}|Telephony|EXCLUDED_NO_PHONE`;
    const orgId = runtime().settings.orgId;
    await setRecordHealth(stack.db, {
      orgId,
      side: 'salesforce',
      key: recordId,
      sobject: 'Contact',
      recordId,
      state: 'excluded',
      code: 'EXCLUDED_NO_PHONE',
      reason: 'No valid phone number',
    });
    const changesBefore = eventBusOf(org).retained(CHANGE_TOPIC).length;
    await runtime().reporter.flush();

    expect(errorRow(key)).toMatchObject({
      Sync__c: syncId(),
      Record_Id__c: recordId,
      Side__c: 'Telephony',
      Error_Code__c: 'EXCLUDED_NO_PHONE',
      Message__c: 'No valid phone number',
      State__c: 'Failing',
    });
    expect(org.store.get('Contact', recordId)).toMatchObject({
      Switchboard_Sync_State__c: 'Excluded',
      Switchboard_Sync_Note__c: 'No valid phone number',
    });
    expect(syncRecord()).toMatchObject({ Excluded_Count__c: 1 });
    expect(runtime().status().health.excluded).toBe(1);
    // The integration user's writes publish no change event (no sync loop).
    expect(eventBusOf(org).retained(CHANGE_TOPIC).length).toBe(changesBefore);

    // An admin's Ignored stays while the entry is only refreshed.
    const errorId = org.store.findByExternalId('Switchboard_Sync_Error__c', 'Error_Key__c', key)[0];
    org.store.update('Switchboard_Sync_Error__c', [{ Id: errorId, State__c: 'Ignored' }], org.adminUser);
    await setRecordHealth(stack.db, {
      orgId,
      side: 'salesforce',
      key: recordId,
      sobject: 'Contact',
      recordId,
      state: 'excluded',
      code: 'EXCLUDED_NO_PHONE',
      reason: 'No valid phone number (re-checked)',
    });
    await runtime().reporter.flush();
    expect(errorRow(key)).toMatchObject({ State__c: 'Ignored', Message__c: 'No valid phone number (re-checked)' });

    await clearRecordHealth(stack.db, orgId, 'salesforce', recordId);
    await runtime().reporter.flush();
    expect(errorRow(key)?.State__c).toBe('Resolved');
    expect(org.store.get('Contact', recordId)?.Switchboard_Sync_State__c).toBe('NotSynced');
    expect(syncRecord()).toMatchObject({ Excluded_Count__c: 0 });
  });

  it('sets the record status fields on a linked Contact, once', async () => {
    const org = stack.emulator.org;
    const recordId = uiCreate(stack, 'Contact', { FirstName: 'Status', LastName: 'Fields', Phone: '+1 415 555 0142' });
    const contactId = await linkedContactId(stack, recordId);
    await runtime().reporter.flush();
    const record = org.store.get('Contact', recordId);
    expect(record).toMatchObject({
      Switchboard_Sync_State__c: 'InSync',
      Switchboard_Directory_Id__c: contactId,
      Switchboard_Sync_Note__c: null,
    });
    expect(record?.Switchboard_Last_Synced__c).toEqual(expect.any(String));

    const writes: string[] = [];
    const off = org.store.onCommit((batch) => batch.sobject === 'Contact' && writes.push(batch.operation));
    await runtime().reporter.flush();
    off();
    expect(writes).toEqual([]);
  });
});
