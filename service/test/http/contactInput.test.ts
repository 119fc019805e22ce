import { contactPatchSchema, patchToFields } from '../../src/http/contactInput';
import { fieldPath } from '../../src/http/errors';

/** The first issue of a refused patch, as the API reports it: field path and message. */
function refusal(body: unknown): { field: string; message: string } {
  const result = contactPatchSchema.safeParse(body);
  if (result.success) throw new Error(`expected ${JSON.stringify(body)} to be refused`);
  const issue = result.error.issues[0];
  return { field: fieldPath(issue.path), message: issue.message };
}

describe('contactPatchSchema', () => {
  it('accepts a full patch and trims text', () => {
    const result = contactPatchSchema.parse({
      firstName: ' Ada ',
      lastName: 'Lovelace',
      company: null,
      title: 'Analyst',
      email: ' ada@example.com ',
      phones: [{ kind: 'work', number: ' (415) 555-2671 ' }],
      version: 3,
    });
    expect(result).toEqual({
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: null,
      title: 'Analyst',
      email: 'ada@example.com',
      phones: [{ kind: 'work', number: '(415) 555-2671' }],
      version: 3,
    });
  });

  // Issue 12: an empty PATCH used to answer 200 having changed nothing; it is a client mistake.
  it('refuses an empty patch, naming the body', () => {
    expect(refusal({})).toEqual({ field: '', message: expect.stringContaining('changes nothing') });
    expect(refusal({ version: 2 }).message).toContain('changes nothing');
  });

  it('refuses unknown keys', () => {
    expect(refusal({ lastName: 'X', nickname: 'Y' }).message).toContain('nickname');
    expect(refusal({ phones: [{ kind: 'work', number: '1', ext: '2' }] }).field).toBe('phones[0]');
  });

  it('refuses an empty last name', () => {
    expect(refusal({ lastName: '   ' })).toEqual({
      field: 'lastName',
      message: 'cannot be empty: Salesforce requires a last name',
    });
  });

  it('refuses a bad email', () => {
    expect(refusal({ email: 'not-an-email' })).toEqual({ field: 'email', message: 'is not a valid email address' });
  });

  it('refuses strings that are too long', () => {
    expect(refusal({ firstName: 'x'.repeat(41) })).toEqual({
      field: 'firstName',
      message: 'must be at most 40 characters',
    });
    expect(refusal({ title: 'x'.repeat(129) }).field).toBe('title');
    expect(refusal({ phones: [{ kind: 'work', number: '1'.repeat(41) }] })).toEqual({
      field: 'phones[0].number',
      message: 'must be at most 40 characters',
    });
  });

  it('refuses two numbers of the same kind, an unknown kind and an empty number', () => {
    expect(
      refusal({
        phones: [
          { kind: 'work', number: '1' },
          { kind: 'work', number: '2' },
        ],
      }),
    ).toEqual({ field: 'phones', message: 'can hold at most one number per kind' });
    expect(refusal({ phones: [{ kind: 'fax', number: '1' }] }).field).toBe('phones[0].kind');
    expect(refusal({ phones: [{ kind: 'home', number: ' ' }] })).toEqual({
      field: 'phones[0].number',
      message: 'cannot be empty',
    });
  });

  it('refuses a version that is not a positive integer', () => {
    expect(refusal({ version: 0 }).field).toBe('version');
    expect(refusal({ version: 1.5 }).field).toBe('version');
  });
});

describe('patchToFields', () => {
  it('drops the version and normalizes phones', () => {
    expect(
      patchToFields({ lastName: 'Byron', version: 2, phones: [{ kind: 'mobile', number: '(415) 555-2671 x7' }] }, 'US'),
    ).toEqual({
      fields: {
        lastName: 'Byron',
        phones: [{ kind: 'mobile', raw: '(415) 555-2671 x7', e164: '+14155552671', extension: '7' }],
      },
    });
  });

  it('reports the first invalid phone with its field path', () => {
    const { invalidPhone, fields } = patchToFields(
      {
        phones: [
          { kind: 'work', number: '(415) 555-2671' },
          { kind: 'mobile', number: '030 1234567' },
        ],
      },
      'US',
    );
    expect(invalidPhone?.field).toBe('phones[1].number');
    // The number is not repeated in the message: messages can end up in logs, and a number is personal data.
    expect(invalidPhone?.message).toContain('is not a valid phone number');
    expect(invalidPhone?.message).not.toContain('030 1234567');
    expect(invalidPhone?.message).toContain('US');
    expect(fields.phones).toBeUndefined();
  });

  it('judges national numbers by the default country', () => {
    expect(patchToFields({ phones: [{ kind: 'work', number: '030 1234567' }] }, 'DE').invalidPhone).toBeUndefined();
  });
});
