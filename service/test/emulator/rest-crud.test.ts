import { API_VERSION, rejectionOf, useRestSession } from './rest-harness';

describe('emulator REST: single-record CRUD', () => {
  const rest = useRestSession();
  const { batches } = rest;

  it('creates, reads, updates and deletes a Contact as the API user', async () => {
    const created = await rest.conn
      .sobject('Contact')
      .create({ FirstName: 'Ada', LastName: 'Lovelace', MobilePhone: '+44 20 7946 0000' });
    expect(created).toEqual({ id: expect.stringMatching(/^003[A-Za-z0-9]{15}$/), success: true, errors: [] });
    const id = created.id as string;
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ sobject: 'Contact', operation: 'create', actor: { integration: true } });

    const full = await rest.conn.sobject('Contact').retrieve(id);
    expect(full).toMatchObject({
      attributes: { type: 'Contact', url: `/services/data/v${API_VERSION}/sobjects/Contact/${id}` },
      Id: id,
      FirstName: 'Ada',
      LastName: 'Lovelace',
      MobilePhone: '+44 20 7946 0000',
      Email: null,
    });

    const updated = await rest.conn.sobject('Contact').update({ Id: id, Email: 'ada@example.com' });
    expect(updated).toEqual({ id, success: true, errors: [] });
    const some = await rest.conn.request<Record<string, unknown>>(
      `/services/data/v${API_VERSION}/sobjects/Contact/${id}?fields=Email,LastModifiedById`,
    );
    expect(some).toEqual({
      attributes: { type: 'Contact', url: `/services/data/v${API_VERSION}/sobjects/Contact/${id}` },
      Email: 'ada@example.com',
      LastModifiedById: rest.org.integrationUser.userId,
    });

    await rest.conn.sobject('Contact').destroy(id);
    expect(rest.org.store.get('Contact', id)).toBeUndefined();
    const gone = await rejectionOf(rest.conn.sobject('Contact').retrieve(id));
    expect(gone.errorCode).toBe('ENTITY_IS_DELETED');
    expect(batches.map((b) => b.operation)).toEqual(['create', 'update', 'delete']);
  });

  it('returns the status codes Salesforce does', async () => {
    const post = await rest.api('POST', '/sobjects/Lead', JSON.stringify({ LastName: 'Codes', Company: 'Status Ltd' }));
    expect(post.status).toBe(201);
    const { id } = post.json() as { id: string };
    const patch = await rest.api('PATCH', `/sobjects/Lead/${id}`, JSON.stringify({ Title: 'CTO' }));
    expect(patch.status).toBe(204);
    expect(patch.text).toBe('');
    const del = await rest.api('DELETE', `/sobjects/Lead/${id}`);
    expect(del.status).toBe(204);
  });

  it('reports validation errors with errorCode and fields', async () => {
    const err = await rejectionOf(rest.conn.sobject('Contact').create({ FirstName: 'No Last Name' }));
    expect(err.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(err.data).toEqual({
      message: 'Required fields are missing: [LastName]',
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: ['LastName'],
    });

    const unknownField = await rejectionOf(rest.conn.sobject('Contact').create({ LastName: 'X', Shoe__c: 'big' }));
    expect(unknownField.errorCode).toBe('INVALID_FIELD');
    expect(unknownField.message).toContain('Shoe__c');
    expect(batches).toHaveLength(0);
  });

  it('answers 404 NOT_FOUND for unknown records, objects and routes', async () => {
    const unknownId = rest.org.store.idFor('Contact', 9999);
    expect((await rejectionOf(rest.conn.sobject('Contact').retrieve(unknownId))).errorCode).toBe('NOT_FOUND');
    expect((await rejectionOf(rest.conn.sobject('Contact').update({ Id: unknownId, Title: 'x' }))).errorCode).toBe(
      'NOT_FOUND',
    );
    expect((await rejectionOf(rest.conn.sobject('Contact').destroy(unknownId))).errorCode).toBe('NOT_FOUND');
    expect((await rejectionOf(rest.conn.sobject('Contact').retrieve('garbage'))).errorCode).toBe('NOT_FOUND');
    expect((await rejectionOf(rest.conn.sobject('Widget__c').create({ Name: 'w' }))).errorCode).toBe('NOT_FOUND');
    const route = await rest.api('GET', '/nothing/here');
    expect(route.status).toBe(404);
    expect(route.json()).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    const outside = await rest.request('GET', '/somewhere/else');
    expect(outside.status).toBe(404);
  });

  it('rejects an unknown field in ?fields= naming it', async () => {
    const id = rest.org.store.idFor('Contact', 0);
    const err = await rejectionOf(rest.conn.sobject('Contact').retrieve(id, { fields: ['LastName', 'Nope'] }));
    expect(err.errorCode).toBe('INVALID_FIELD');
    expect(err.message).toBe("No such column 'Nope' on sobject of type Contact");
  });

  it('reads seeded records', async () => {
    const id = rest.org.store.idFor('Contact', 3);
    const record = await rest.conn.sobject('Contact').retrieve(id, { fields: ['Id', 'LastName'] });
    expect(record.Id).toBe(id);
    expect(typeof record.LastName).toBe('string');
  });

  it('answers JSON_PARSER_ERROR to a body that is not JSON or not an object', async () => {
    const broken = await rest.api('POST', '/sobjects/Contact', '{"LastName": ');
    expect(broken.status).toBe(400);
    expect((broken.json() as { errorCode: string }[])[0].errorCode).toBe('JSON_PARSER_ERROR');
    const array = await rest.api('POST', '/sobjects/Contact', '[]');
    expect(array.status).toBe(400);
    expect(array.json()).toEqual([
      { errorCode: 'JSON_PARSER_ERROR', message: 'The request body must be a JSON object of Contact fields' },
    ]);
  });
});
