import { API_VERSION, rejectionOf, useRestSession } from './rest-harness';

interface SaveResultBody {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

const contacts = (count: number, prefix: string): Record<string, unknown>[] =>
  Array.from({ length: count }, (_, i) => ({ FirstName: prefix, LastName: `${prefix} ${i}` }));

describe('emulator REST: sObject Collections', () => {
  const rest = useRestSession();
  const { batches } = rest;

  const raw = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await rest.api(method, path, body === undefined ? undefined : JSON.stringify(body));
    return { status: res.status, json: res.json() };
  };

  it('creates 200 records with a bad one in the middle: per-record results in order, one DML batch', async () => {
    const before = rest.org.store.count('Contact');
    const records = contacts(200, 'Bulk');
    records[100] = { FirstName: 'Missing last name' };
    const results = (await rest.conn.sobject('Contact').create(records)) as SaveResultBody[];
    expect(results).toHaveLength(200);
    expect(results[100]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [LastName]',
          fields: ['LastName'],
        },
      ],
    });
    expect(results.filter((r) => r.success)).toHaveLength(199);
    expect(results[0]).toEqual({ id: expect.stringMatching(/^003/), success: true, errors: [] });
    expect(rest.org.store.get('Contact', results[199].id as string)?.LastName).toBe('Bulk 199');
    expect(rest.org.store.count('Contact')).toBe(before + 199);
    expect(batches).toHaveLength(1);
    expect(batches[0].changes).toHaveLength(199);
  });

  it('rolls everything back with allOrNone', async () => {
    const before = rest.org.store.count('Contact');
    const records = contacts(5, 'Atomic');
    records[2] = { LastName: 'x'.repeat(81) };
    const results = (await rest.conn.sobject('Contact').create(records, { allOrNone: true })) as SaveResultBody[];
    expect(results.every((r) => !r.success && r.id === undefined)).toBe(true);
    expect(results[2].errors[0].statusCode).toBe('STRING_TOO_LONG');
    expect(results[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(rest.org.store.count('Contact')).toBe(before);
    expect(batches).toHaveLength(0);
  });

  it('refuses more than 200 records, and jsforce allowRecursive splits them', async () => {
    const err = await rejectionOf(rest.conn.sobject('Contact').create(contacts(201, 'Too many')));
    expect(err.errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(batches).toHaveLength(0);
    const split = (await rest.conn
      .sobject('Contact')
      .create(contacts(201, 'Split'), { allowRecursive: true })) as SaveResultBody[];
    expect(split.filter((r) => r.success)).toHaveLength(201);
    expect(batches.map((b) => b.changes.length)).toEqual([200, 1]);

    const ids = split.map((r) => r.id as string);
    const deleteTooMany = await raw('DELETE', `/composite/sobjects?ids=${ids.join(',')}`);
    expect(deleteTooMany.status).toBe(400);
    expect((deleteTooMany.json as { errorCode: string }[])[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
  });

  it('updates records of several types, one DML statement per consecutive chunk of a type', async () => {
    const contactIds = [0, 1].map((i) => rest.org.store.idFor('Contact', i));
    const leadId = rest.org.store.idFor('Lead', 0);
    const response = await raw('PATCH', '/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Contact' }, id: contactIds[0], Title: 'Chunk one' },
        { attributes: { type: 'Contact' }, id: contactIds[1], Title: 'Chunk one' },
        { attributes: { type: 'Lead' }, id: leadId, Title: 'Chunk two' },
      ],
    });
    expect((response.json as SaveResultBody[]).map((r) => r.success)).toEqual([true, true, true]);
    expect(batches.map((b) => [b.sobject, b.operation, b.changes.length])).toEqual([
      ['Contact', 'update', 2],
      ['Lead', 'update', 1],
    ]);
    expect(rest.org.store.get('Lead', leadId)?.Title).toBe('Chunk two');
  });

  it('creates mixed types as Salesforce chunks them (A, A, B, A = three statements)', async () => {
    const response = await raw('POST', '/composite/sobjects', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Account' }, Name: 'One' },
        { attributes: { type: 'Account' }, Name: 'Two' },
        { attributes: { type: 'Contact' }, LastName: 'Three' },
        { attributes: { type: 'Account' }, Name: 'Four' },
      ],
    });
    expect(response.status).toBe(200);
    expect((response.json as SaveResultBody[]).map((r) => r.id?.slice(0, 3))).toEqual(['001', '001', '003', '001']);
    expect(batches.map((b) => b.sobject)).toEqual(['Account', 'Contact', 'Account']);
  });

  it('reports an update without id per record', async () => {
    const response = await raw('PATCH', '/composite/sobjects', {
      records: [
        { attributes: { type: 'Contact' }, Title: 'No id' },
        { attributes: { type: 'Contact' }, id: rest.org.store.idFor('Contact', 2), Title: 'Has id' },
      ],
    });
    expect(response.json).toEqual([
      {
        success: false,
        errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }],
      },
      { id: rest.org.store.idFor('Contact', 2), success: true, errors: [] },
    ]);
  });

  it('refuses malformed collection requests as a whole, naming the record', async () => {
    const noType = await raw('POST', '/composite/sobjects', { records: [{ LastName: 'A' }, { LastName: 'B' }] });
    expect(noType.status).toBe(400);
    expect(noType.json).toEqual([
      {
        errorCode: 'INVALID_TYPE',
        message: 'records[0]: attributes.type is required (the sObject type of the record)',
        fields: ['records[0].attributes.type'],
      },
    ]);
    const unknownType = await raw('POST', '/composite/sobjects', {
      records: [{ attributes: { type: 'Lead' }, LastName: 'x', Company: 'y' }, { attributes: { type: 'Gadget' } }],
    });
    expect(unknownType.status).toBe(400);
    expect((unknownType.json as { message: string }[])[0].message).toBe(
      "records[1]: sObject type 'Gadget' is not supported.",
    );
    const notCollection = await raw('POST', '/composite/sobjects', { LastName: 'A' });
    expect(notCollection.status).toBe(400);
    const badFlag = await raw('POST', '/composite/sobjects', { allOrNone: 'maybe', records: [] });
    expect(badFlag.json).toEqual([
      {
        errorCode: 'JSON_PARSER_ERROR',
        message: 'allOrNone must be true or false, got "maybe"',
        fields: ['allOrNone'],
      },
    ]);
    expect(batches).toHaveLength(0);
  });

  it('retrieves many records by GET and POST, null where an id does not resolve', async () => {
    const ids = [
      rest.org.store.idFor('Contact', 4),
      rest.org.store.idFor('Contact', 5000),
      rest.org.store.idFor('Lead', 1),
    ];
    const viaJsforce = (await rest.conn
      .sobject('Contact')
      .retrieve(ids, { fields: ['Id', 'LastName'] })) as unknown as (Record<string, unknown> | null)[];
    expect(viaJsforce).toHaveLength(3);
    expect(viaJsforce[0]).toEqual({
      attributes: { type: 'Contact', url: `/services/data/v${API_VERSION}/sobjects/Contact/${ids[0]}` },
      Id: ids[0],
      LastName: expect.any(String),
    });
    expect(viaJsforce[1]).toBeNull();
    expect(viaJsforce[2]).toBeNull();

    const viaGet = await raw('GET', `/composite/sobjects/Contact?ids=${ids[0]}&fields=Email`);
    expect((viaGet.json as Record<string, unknown>[])[0]).toHaveProperty('Email');
    const badField = await raw('GET', `/composite/sobjects/Contact?ids=${ids[0]}&fields=Nope`);
    expect(badField.status).toBe(400);
    expect((badField.json as { errorCode: string }[])[0].errorCode).toBe('INVALID_FIELD');
    const noFields = await raw('GET', `/composite/sobjects/Contact?ids=${ids[0]}`);
    expect(noFields.status).toBe(400);
    expect((noFields.json as { fields: string[] }[])[0].fields).toEqual(['fields']);
  });

  it('deletes many with per-record errors, and allOrNone keeps them all', async () => {
    const created = (await rest.conn.sobject('Lead').create([
      { LastName: 'Del 1', Company: 'C' },
      { LastName: 'Del 2', Company: 'C' },
    ])) as SaveResultBody[];
    const [first, second] = created.map((r) => r.id as string);
    batches.length = 0;

    const atomic = (await rest.conn
      .sobject('Lead')
      .destroy([first, 'bogus-id'], { allOrNone: true })) as SaveResultBody[];
    expect(atomic.map((r) => r.errors[0].statusCode)).toEqual(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'MALFORMED_ID']);
    expect(rest.org.store.get('Lead', first)).toBeDefined();

    const partial = (await rest.conn.sobject('Lead').destroy([first, 'bogus-id', second])) as SaveResultBody[];
    expect(partial).toEqual([
      { id: first, success: true, errors: [] },
      { success: false, errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id bogus-id', fields: [] }] },
      { id: second, success: true, errors: [] },
    ]);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ sobject: 'Lead', operation: 'delete' });
  });
});
