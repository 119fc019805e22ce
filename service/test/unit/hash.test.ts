import { canonicalJson, stableHash } from '../../src/sync/hash';

describe('stableHash', () => {
  it('does not depend on key order, at any depth', () => {
    expect(stableHash({ a: 1, b: { c: 2, d: [1, 2] } })).toBe(stableHash({ b: { d: [1, 2], c: 2 }, a: 1 }));
    expect(canonicalJson({ b: 1, a: { z: null, y: 'x' } })).toBe('{"a":{"y":"x","z":null},"b":1}');
  });

  it('drops undefined values', () => {
    expect(stableHash({ a: 1, b: undefined })).toBe(stableHash({ a: 1 }));
    expect(stableHash({ a: 1, b: null })).not.toBe(stableHash({ a: 1 }));
  });

  it('is sensitive to array order and to values', () => {
    expect(stableHash([1, 2])).not.toBe(stableHash([2, 1]));
    expect(stableHash({ a: '1' })).not.toBe(stableHash({ a: 1 }));
  });

  it('is a base64url sha-256', () => {
    expect(stableHash({})).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(canonicalJson(undefined)).toBe('null');
  });
});
