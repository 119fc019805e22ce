import { matchResults, parseBulkError } from '../../../src/salesforce/bulk/bulkIngest';

describe('Bulk API 2.0 ingest results matched back to the uploaded rows', () => {
  it('matches inserts by their uploaded cells, whatever order the results come in', () => {
    const header = ['FirstName', 'LastName'];
    const cells = [
      ['Ada', 'Lovelace'],
      ['', 'Hopper'],
      ['Alan', 'Turing'],
    ];
    const outcomes = matchResults(
      header,
      cells,
      'insert',
      [
        { sf__Id: '003B', sf__Created: 'true', FirstName: 'Alan', LastName: 'Turing' },
        { sf__Id: '003A', sf__Created: 'true', FirstName: 'Ada', LastName: 'Lovelace' },
      ],
      [
        {
          sf__Id: '',
          sf__Error: 'DUPLICATES_DETECTED:Use one of these records?: --',
          FirstName: '',
          LastName: 'Hopper',
        },
      ],
    );
    expect(outcomes).toEqual([
      { success: true, id: '003A', error: null },
      {
        success: false,
        id: null,
        error: { code: 'DUPLICATES_DETECTED', message: 'Use one of these records?', fields: [], transient: false },
      },
      { success: true, id: '003B', error: null },
    ]);
  });

  it('hands identical insert rows their results in turn, and reports a row without a result as unprocessed', () => {
    const outcomes = matchResults(
      ['LastName'],
      [['Twin'], ['Twin'], ['Twin']],
      'insert',
      [
        { sf__Id: '003X', sf__Created: 'true', LastName: 'Twin' },
        { sf__Id: '003Y', sf__Created: 'true', LastName: 'Twin' },
      ],
      [],
    );
    expect(outcomes.map((o) => o.id)).toEqual(['003X', '003Y', null]);
    expect(outcomes[2].error).toMatchObject({ code: 'BULK_UNPROCESSED', transient: true });
  });

  it('matches updates and deletes by Id', () => {
    const outcomes = matchResults(
      ['Id', 'Title'],
      [
        ['003A', 'CEO'],
        ['003B', 'CTO'],
      ],
      'update',
      [{ sf__Id: '003B', sf__Created: 'false', Id: '003B', Title: 'CTO' }],
      [{ sf__Id: '003A', sf__Error: 'ENTITY_IS_DELETED:entity is deleted: --', Id: '003A', Title: 'CEO' }],
    );
    expect(outcomes).toEqual([
      {
        success: false,
        id: '003A',
        error: { code: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [], transient: false },
      },
      { success: true, id: '003B', error: null },
    ]);
  });

  it('reads sf__Error with its fields, and a transient code as transient', () => {
    expect(
      parseBulkError('REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName,Company --'),
    ).toEqual({
      code: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [LastName]',
      fields: ['LastName', 'Company'],
      transient: false,
    });
    expect(parseBulkError('UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record: --')).toMatchObject({
      code: 'UNABLE_TO_LOCK_ROW',
      transient: true,
    });
  });
});
