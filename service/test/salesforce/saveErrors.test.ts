import { classifySaveError } from '../../src/salesforce/saveErrors';

describe('classifySaveError', () => {
  it('reads a per-record collections error with its fields', () => {
    expect(
      classifySaveError({
        statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: 'Phone is required',
        fields: ['Phone'],
      }),
    ).toEqual({
      code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Phone is required',
      fields: ['Phone'],
      transient: false,
    });
  });

  it('marks a row lock as transient', () => {
    expect(classifySaveError({ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'locked', fields: [] })).toMatchObject({
      code: 'UNABLE_TO_LOCK_ROW',
      transient: true,
    });
  });

  it('reads a thrown jsforce error by errorCode, then by name', () => {
    const withCode = Object.assign(new Error('Session expired or invalid'), { errorCode: 'INVALID_SESSION_ID' });
    expect(classifySaveError(withCode)).toEqual({
      code: 'INVALID_SESSION_ID',
      message: 'Session expired or invalid',
      fields: [],
      transient: true,
    });
    const named = Object.assign(new Error('entity is deleted'), { name: 'ENTITY_IS_DELETED' });
    expect(classifySaveError(named)).toMatchObject({ code: 'ENTITY_IS_DELETED', transient: false });
  });

  it('reads HTTP 5xx codes as transient', () => {
    expect(classifySaveError({ errorCode: 'ERROR_HTTP_503', message: 'down' }).transient).toBe(true);
    expect(classifySaveError({ errorCode: 'ERROR_HTTP_500', message: 'oops' }).transient).toBe(true);
    expect(classifySaveError({ errorCode: 'ERROR_HTTP_400', message: 'bad' }).transient).toBe(false);
  });

  it('reads a socket error code as transient', () => {
    const err = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(classifySaveError(err)).toEqual({
      code: 'ECONNRESET',
      message: 'read ECONNRESET',
      fields: [],
      transient: true,
    });
  });

  it('calls anything else UNKNOWN and permanent', () => {
    // A plain Error's name is "Error", which is no Salesforce code.
    expect(classifySaveError(new Error('weird'))).toEqual({
      code: 'UNKNOWN',
      message: 'weird',
      fields: [],
      transient: false,
    });
    expect(classifySaveError('text only')).toEqual({
      code: 'UNKNOWN',
      message: 'text only',
      fields: [],
      transient: false,
    });
    expect(classifySaveError({})).toEqual({ code: 'UNKNOWN', message: 'UNKNOWN', fields: [], transient: false });
  });
});
