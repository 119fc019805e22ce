import { canonicalJson, stableHash } from '../../../src/sync/rules/hash';

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

describe('canonicalJson', () => {
  it('writes the text the stored hashes were made of (pinned)', () => {
    const link = {
      Phone: '+1 415 555 0100',
      FirstName: 'Ada',
      Email: undefined,
      'Account.Name': 'Analytical Engines',
      Ünïcode: 'é "quoted" \\ \n',
      MobilePhone: null,
      nested: [{ b: 2, a: [1, 'x', null, true] }, [], {}],
      Z: 0,
      a: -1.5,
    };
    expect(canonicalJson(link)).toBe(
      '{"Account.Name":"Analytical Engines","FirstName":"Ada","MobilePhone":null,"Phone":"+1 415 555 0100","Z":0,"a":-1.5,' +
        '"nested":[{"a":[1,"x",null,true],"b":2},[],{}],"Ünïcode":"é \\"quoted\\" \\\\ \\n"}',
    );
    expect(stableHash(link)).toBe('m_9qv8voi-vWkfRPAj2c05n_vPF_sM1hOgmyj1b1r3M');
  });
});
