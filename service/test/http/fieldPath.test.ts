import { z } from 'zod';
import { ApiError, fieldPath, fromZod } from '../../src/http/errors';

describe('fieldPath', () => {
  it('writes paths the way people do', () => {
    expect(fieldPath([])).toBe('');
    expect(fieldPath(['email'])).toBe('email');
    expect(fieldPath(['phones', 1, 'number'])).toBe('phones[1].number');
    expect(fieldPath(['a', 'b', 0, 2])).toBe('a.b[0][2]');
    expect(fieldPath([0, 'kind'])).toBe('[0].kind');
  });
});

describe('fromZod', () => {
  it('makes a 400 naming the field and the record', () => {
    const result = z
      .object({ phones: z.array(z.object({ number: z.string() })) })
      .safeParse({ phones: [{ number: 5 }] });
    if (result.success) throw new Error('expected a failure');
    const err = fromZod(result.error, 'rec-1');
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid_request');
    expect(err.details).toEqual({ field: 'phones[0].number', record: 'rec-1' });
    expect(err.message).toMatch(/^phones\[0\]\.number: .* \(contact rec-1\)$/);
  });

  it('names an unknown key as the field, under its parent path', () => {
    const schema = z.object({ phones: z.array(z.object({ number: z.string() }).strict()) }).strict();
    const top = schema.safeParse({ phones: [], nickname: 'x' });
    const nested = schema.safeParse({ phones: [{ number: '1', ext: '2' }] });
    if (top.success || nested.success) throw new Error('expected failures');
    expect(fromZod(top.error, 'rec-1').details).toEqual({ field: 'nickname', record: 'rec-1' });
    expect(fromZod(nested.error, 'rec-1').details).toEqual({ field: 'phones[0].ext', record: 'rec-1' });
    expect(fromZod(top.error, 'rec-1').message).toContain('nickname');
  });
});
