import { ChangeEventError, decodeChangeEvent, type RawPubSubEvent } from '../../../src/salesforce/pubsub/changeEvent';
import { isSyncedObject } from '../../../src/model/records';

const CONTACT_ID = '003000000000001AAA';
const OTHER_ID = '003000000000002AAA';

function rawEvent(payload: Record<string, unknown>, id = 'evt-1'): RawPubSubEvent {
  return { id, replayId: 42, payload };
}

function goodPayload(
  records: unknown[] = [{ Id: CONTACT_ID, SystemModstamp: '2024-05-01T10:00:00.000Z', FirstName: 'Ada' }],
) {
  return {
    Object_Name__c: 'Contact',
    Operation__c: 'update',
    Payload__c: JSON.stringify(records),
    Sync_Id__c: 'sync-7',
    Chunk_Sequence__c: 1,
    Chunk_Count__c: 2,
  };
}

/** The ChangeEventError a decode throws, so tests can check its field and event id. */
function decodeError(raw: RawPubSubEvent, namespace = ''): ChangeEventError {
  try {
    decodeChangeEvent(raw, namespace);
  } catch (err) {
    if (err instanceof ChangeEventError) return err;
    throw err;
  }
  throw new Error('expected a ChangeEventError');
}

describe('decodeChangeEvent', () => {
  it('reads a good event with all its fields', () => {
    const event = decodeChangeEvent(rawEvent(goodPayload()), '');
    expect(event).toEqual({
      eventId: 'evt-1',
      replayId: 42,
      objectName: 'Contact',
      operation: 'update',
      syncId: 'sync-7',
      records: [{ id: CONTACT_ID, systemModstamp: '2024-05-01T10:00:00.000Z', values: { FirstName: 'Ada' } }],
      rejected: [],
      chunkSequence: 1,
      chunkCount: 2,
    });
  });

  it('defaults optional fields to null', () => {
    const event = decodeChangeEvent(
      rawEvent({
        Object_Name__c: 'Lead',
        Operation__c: 'delete',
        Payload__c: JSON.stringify([{ Id: '00Q000000000001' }]),
      }),
      '',
    );
    expect(event.syncId).toBeNull();
    expect(event.chunkSequence).toBeNull();
    expect(event.chunkCount).toBeNull();
    expect(event.records).toEqual([{ id: '00Q000000000001', systemModstamp: null, values: {} }]);
  });

  it('strips the package namespace from field names', () => {
    const payload = Object.fromEntries(Object.entries(goodPayload()).map(([k, v]) => [`ns__${k}`, v]));
    const event = decodeChangeEvent(rawEvent(payload), 'ns');
    expect(event.objectName).toBe('Contact');
    expect(event.operation).toBe('update');
    expect(event.syncId).toBe('sync-7');
    expect(event.records.map((r) => r.id)).toEqual([CONTACT_ID]);
  });

  it('does not read namespaced fields when no namespace is configured', () => {
    const payload = Object.fromEntries(Object.entries(goodPayload()).map(([k, v]) => [`ns__${k}`, v]));
    expect(decodeError(rawEvent(payload)).field).toBe('Object_Name__c');
  });

  it.each([
    ['an unknown Object_Name__c', { Object_Name__c: 'Opportunity' }, 'Object_Name__c'],
    ['a missing Object_Name__c', { Object_Name__c: undefined }, 'Object_Name__c'],
    ['a bad Operation__c', { Operation__c: 'upsert' }, 'Operation__c'],
    ['a missing Payload__c', { Payload__c: undefined }, 'Payload__c'],
    ['a non-JSON Payload__c', { Payload__c: '[{"Id":' }, 'Payload__c'],
    ['a non-array Payload__c', { Payload__c: JSON.stringify({ Id: CONTACT_ID }) }, 'Payload__c'],
  ])('refuses %s, naming the field and the event', (_label, override, field) => {
    const payload: Record<string, unknown> = { ...goodPayload(), ...override };
    for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
    const err = decodeError(rawEvent(payload, 'evt-bad'));
    expect(err.field).toBe(field);
    expect(err.eventId).toBe('evt-bad');
    expect(err.message).toContain('evt-bad');
    expect(err.message).toContain(field);
  });

  it('puts a bad record in rejected and still decodes the others', () => {
    const event = decodeChangeEvent(
      rawEvent(
        goodPayload([
          { Id: CONTACT_ID, LastName: 'Lovelace' },
          { Id: 'not-an-id', LastName: 'Bad' },
          { Id: OTHER_ID, LastName: { nested: true } },
          'just a string',
          { Id: OTHER_ID, SystemModstamp: 'yesterday' },
          { Id: OTHER_ID, LastName: 'Hopper', Phone: null, DoNotCall: true, Score: 3 },
        ]),
      ),
      '',
    );
    expect(event.records).toEqual([
      { id: CONTACT_ID, systemModstamp: null, values: { LastName: 'Lovelace' } },
      { id: OTHER_ID, systemModstamp: null, values: { LastName: 'Hopper', Phone: null, DoNotCall: true, Score: 3 } },
    ]);
    expect(event.rejected).toHaveLength(4);
    expect(event.rejected.map((r) => [r.index, r.recordId])).toEqual([
      [1, 'not-an-id'],
      [2, OTHER_ID],
      [3, null],
      [4, OTHER_ID],
    ]);
    expect(event.rejected[0].reason).toMatch(/^Id: /);
    expect(event.rejected[0].reason).toContain('is not a Salesforce record id');
    expect(event.rejected[1].reason).toMatch(/^LastName: /);
    expect(event.rejected[3].reason).toMatch(/^SystemModstamp: /);
  });
});

describe('isSyncedObject', () => {
  it('accepts exactly Contact, Lead and Account', () => {
    expect(['Contact', 'Lead', 'Account'].every(isSyncedObject)).toBe(true);
    expect(isSyncedObject('Opportunity')).toBe(false);
    expect(isSyncedObject('contact')).toBe(false);
    expect(isSyncedObject('')).toBe(false);
  });
});
