import { decodeStoredEvent, eventBusOf } from '../../emulator/pubsub/eventBus';
import { rejectionOf, useRestSession } from './rest-harness';

/**
 * Contract: upsert by external id, unique fields, the package's record status fields and platform
 * event publishing through REST, driven with the unmodified jsforce where it has a call for it.
 */
const ERRORS = 'Switchboard_Sync_Error__c';
const KEY = 'Error_Key__c';

interface UpsertResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

describe('emulator REST: upsert by external id', () => {
  const rest = useRestSession();

  const raw = async (method: string, path: string, body?: unknown) => {
    const res = await rest.api(method, path, body === undefined ? undefined : JSON.stringify(body));
    return { status: res.status, json: res.text ? res.json() : null };
  };

  it('creates (201, created true) then updates (200, created false) one record by Error_Key__c', async () => {
    const first = await raw('PATCH', `/sobjects/${ERRORS}/${KEY}/003A|Telephony|EXCLUDED_NO_PHONE`, {
      Error_Code__c: 'EXCLUDED_NO_PHONE',
    });
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ id: expect.stringMatching(/^a0C/), success: true, errors: [], created: true });
    const id = (first.json as { id: string }).id;
    const second = await raw('PATCH', `/sobjects/${ERRORS}/${KEY}/003A|Telephony|EXCLUDED_NO_PHONE`, {
      Retry_Count__c: 2,
    });
    expect(second).toEqual({ status: 200, json: { id, success: true, errors: [], created: false } });
    expect(rest.org.store.get(ERRORS, id)).toMatchObject({
      Error_Code__c: 'EXCLUDED_NO_PHONE',
      Retry_Count__c: 2,
      State__c: 'Failing',
    });
    expect(rest.batches.map((b) => b.operation)).toEqual(['create', 'update']);
  });

  it('answers an update with 204 and no body before API 46.0', async () => {
    await raw('PATCH', `/sobjects/${ERRORS}/${KEY}/old-version-key`, {});
    const res = await rest.request('PATCH', `/services/data/v45.0/sobjects/${ERRORS}/${KEY}/old-version-key`, {
      headers: { authorization: `Bearer ${rest.conn.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Retry_Count__c: 1 }),
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });

  it('refuses a field that is no external id with 404 NOT_FOUND, and a key in the body with 400', async () => {
    expect(await raw('PATCH', `/sobjects/${ERRORS}/Message__c/x`, {})).toEqual({
      status: 404,
      json: [
        {
          errorCode: 'NOT_FOUND',
          message: 'Provided external ID field does not exist or is not accessible: Message__c',
        },
      ],
    });
    const inBody = await raw('PATCH', `/sobjects/${ERRORS}/${KEY}/body-key`, { Error_Key__c: 'body-key' });
    expect(inBody.status).toBe(400);
    expect((inBody.json as Array<{ errorCode: string }>)[0].errorCode).toBe('INVALID_FIELD');
  });

  it('upserts a collection with jsforce: created and updated per record, one DML per kind', async () => {
    await rest.conn.sobject(ERRORS).upsert({ [KEY]: 'bulk-0', Error_Code__c: 'A' }, KEY);
    rest.batches.length = 0;
    const results = (await rest.conn.sobject(ERRORS).upsert(
      [
        { [KEY]: 'bulk-0', Error_Code__c: 'B' },
        { [KEY]: 'bulk-1', Error_Code__c: 'C' },
        { [KEY]: 'bulk-2', Side__c: 'Nowhere' },
      ],
      KEY,
    )) as UpsertResult[];
    expect(results[0]).toMatchObject({ success: true, created: false });
    expect(results[1]).toMatchObject({ success: true, created: true });
    expect(results[2]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' }],
    });
    expect(
      rest.org.store.findByExternalId(ERRORS, KEY, 'bulk-0').map((id) => rest.org.store.get(ERRORS, id)?.Error_Code__c),
    ).toEqual(['B']);
    expect(rest.batches.map((b) => `${b.operation}:${b.changes.length}`)).toEqual(['create:1', 'update:1']);
  });

  it('fails a value given twice in one call, and keeps keys case-sensitive as the field says', async () => {
    const results = (await rest.conn
      .sobject(ERRORS)
      .upsert([{ [KEY]: 'twice' }, { [KEY]: 'twice' }, { [KEY]: 'TWICE' }], KEY)) as UpsertResult[];
    expect(results.map((r) => r.success)).toEqual([true, false, true]);
    expect(results[1].errors[0].statusCode).toBe('DUPLICATE_VALUE');
    expect(results[0].id).not.toBe(results[2].id);
  });

  it('refuses a duplicate unique value on insert and update with DUPLICATE_VALUE', async () => {
    const [a] = (await rest.conn.sobject(ERRORS).create([{ [KEY]: 'unique-a' }])) as UpsertResult[];
    const [dup] = (await rest.conn.sobject(ERRORS).create([{ [KEY]: 'unique-a' }])) as UpsertResult[];
    expect(dup).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'DUPLICATE_VALUE',
          message: `duplicate value found: ${KEY} duplicates value on record with id: ${a.id}`,
          fields: [],
        },
      ],
    });
    const [b] = (await rest.conn.sobject(ERRORS).create([{ [KEY]: 'unique-b' }])) as UpsertResult[];
    const err = await rejectionOf(rest.conn.sobject(ERRORS).update({ Id: b.id as string, [KEY]: 'unique-a' }));
    expect(err.errorCode).toBe('DUPLICATE_VALUE');
  });

  it('describes Error_Key__c as a unique, case-sensitive external id', async () => {
    const describe = await rest.conn.sobject(ERRORS).describe();
    expect(describe.fields.find((f) => f.name === KEY)).toMatchObject({
      externalId: true,
      unique: true,
      caseSensitive: true,
      custom: true,
    });
  });
});

describe('emulator REST: the package fields on Contact, Lead and person accounts', () => {
  const rest = useRestSession({ personAccounts: true });

  it('lists the record status fields, on Account with the __pc suffix', async () => {
    const names = async (sobject: string) => (await rest.conn.sobject(sobject).describe()).fields.map((f) => f.name);
    expect(await names('Contact')).toEqual(
      expect.arrayContaining(['Switchboard_Sync_State__c', 'Switchboard_Directory_Id__c']),
    );
    expect(await names('Lead')).toEqual(
      expect.arrayContaining(['Switchboard_Last_Synced__c', 'Switchboard_Sync_Note__c']),
    );
    expect(await names('Account')).toEqual(
      expect.arrayContaining(['Switchboard_Sync_State__pc', 'Switchboard_Sync_Note__pc']),
    );
  });

  it('takes the restricted Sync State picklist values and refuses others', async () => {
    const id = rest.org.store.idFor('Contact', 0);
    await rest.conn
      .sobject('Contact')
      .update({ Id: id, Switchboard_Sync_State__c: 'Excluded', Switchboard_Sync_Note__c: 'No phone' });
    expect(rest.org.store.get('Contact', id)).toMatchObject({
      Switchboard_Sync_State__c: 'Excluded',
      Switchboard_Sync_Note__c: 'No phone',
    });
    const err = await rejectionOf(rest.conn.sobject('Contact').update({ Id: id, Switchboard_Sync_State__c: 'Happy' }));
    expect(err.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  });
});

describe('emulator REST: publishing a platform event', () => {
  const rest = useRestSession();

  it('POST /sobjects/Switchboard_Status__e: 201 OPERATION_ENQUEUED, on the bus as the calling user', async () => {
    const bus = eventBusOf(rest.org);
    const result = (await rest.conn
      .sobject('Switchboard_Status__e')
      .create({ Sync_Id__c: 'a0A000000000001AAA', Status__c: 'Active', Synced_Count__c: 3 })) as UpsertResult;
    expect(result).toEqual({
      id: expect.stringMatching(/^e01/),
      success: true,
      errors: [{ statusCode: 'OPERATION_ENQUEUED', message: expect.stringMatching(/^[0-9a-f-]{36}$/), fields: [] }],
    });
    const [stored] = bus.retained('/event/Switchboard_Status__e');
    expect(decodeStoredEvent(stored)).toMatchObject({
      Status__c: 'Active',
      Synced_Count__c: 3,
      CreatedById: rest.org.integrationUser.userId,
    });
  });

  it('refuses an unknown field and a too long text', async () => {
    expect((await rejectionOf(rest.conn.sobject('Switchboard_Status__e').create({ Nope__c: 1 }))).errorCode).toBe(
      'INVALID_FIELD',
    );
    expect(
      (await rejectionOf(rest.conn.sobject('Switchboard_Status__e').create({ Message__c: 'x'.repeat(256) }))).errorCode,
    ).toBe('STRING_TOO_LONG');
  });
});
