/** The pure parts of access keys: the key's shape and hash, CIDR parsing and matching, options, the rate window. */
import { generateAccessKey, hashAccessKey, looksLikeAccessKey, sameDigest } from '../../src/deviceAccess/keys';
import { accessKeyOptionsSchema, addressAllowed, parseCidr } from '../../src/deviceAccess/keySettings';
import { KeyRateLimiter } from '../../src/deviceAccess/rateLimit';
import { withoutKeyParam } from '../../src/deviceAccess/keyFromRequest';

describe('access keys', () => {
  it('are sbk_ and 32 random bytes (base64url), different every time', () => {
    const keys = new Set(Array.from({ length: 200 }, generateAccessKey));
    expect(keys.size).toBe(200);
    for (const key of keys) {
      expect(key).toMatch(/^sbk_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key.slice(4), 'base64url')).toHaveLength(32);
      expect(looksLikeAccessKey(key)).toBe(true);
    }
    expect(looksLikeAccessKey('sbk_short')).toBe(false);
    expect(looksLikeAccessKey(`xyz_${'a'.repeat(43)}`)).toBe(false);
  });

  it('are stored as their SHA-256 in hex, compared as digests', () => {
    const key = generateAccessKey();
    const hash = hashAccessKey(key);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key.slice(4, 12));
    expect(hashAccessKey(key)).toBe(hash);
    expect(sameDigest(hash, hashAccessKey(key))).toBe(true);
    expect(sameDigest(hash, hashAccessKey(`${key}x`))).toBe(false);
    expect(sameDigest(hash, '')).toBe(false);
  });
});

describe('CIDR allow-lists', () => {
  it.each([
    ['10.0.0.0/8', { address: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    ['192.0.2.7', { address: '192.0.2.7', prefix: 32, family: 'ipv4' }],
    ['2001:DB8::/32', { address: '2001:db8::', prefix: 32, family: 'ipv6' }],
    ['::1', { address: '::1', prefix: 128, family: 'ipv6' }],
    [' 0.0.0.0/0 ', { address: '0.0.0.0', prefix: 0, family: 'ipv4' }],
  ])('parses %s', (text, parsed) => {
    expect(parseCidr(text)).toEqual(parsed);
  });

  it.each(['10.0.0.0/33', '2001:db8::/129', '10.0.0/8', 'example.com', '10.0.0.0/08', '10.0.0.0/', '/8', ''])(
    'refuses %j',
    (text) => {
      expect(parseCidr(text)).toBeUndefined();
    },
  );

  it('matches IPv4 and IPv6 clients, IPv4-mapped ones as IPv4; an empty list allows everyone', () => {
    const list = ['10.0.0.0/8', '192.0.2.7', '2001:db8:1::/48'];
    expect(addressAllowed(list, '10.200.3.4')).toBe(true);
    expect(addressAllowed(list, '::ffff:10.200.3.4')).toBe(true);
    expect(addressAllowed(list, '192.0.2.7')).toBe(true);
    expect(addressAllowed(list, '192.0.2.8')).toBe(false);
    expect(addressAllowed(list, '11.0.0.1')).toBe(false);
    expect(addressAllowed(list, '2001:db8:1:ffff::1')).toBe(true);
    expect(addressAllowed(list, '2001:db8:2::1')).toBe(false);
    expect(addressAllowed(list, 'unknown')).toBe(false);
    expect(addressAllowed([], '203.0.113.1')).toBe(true);
  });
});

describe('key options', () => {
  it('checks the caller-ID options and keeps other rooms’ JSON options', () => {
    const options = { nameOrder: 'last-first', maxLength: 30, transliterate: true, feed: { tag: 'vip' } };
    expect(accessKeyOptionsSchema.parse(options)).toEqual(options);
    expect(accessKeyOptionsSchema.safeParse({ nameOrder: 'first' }).success).toBe(false);
    expect(accessKeyOptionsSchema.safeParse({ other: 'x'.repeat(5000) }).success).toBe(false);
    expect(accessKeyOptionsSchema.safeParse({ 'not a name': 1 }).success).toBe(false);
    expect(
      accessKeyOptionsSchema.safeParse(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`o${i}`, i]))).success,
    ).toBe(false);
  });
});

describe('KeyRateLimiter', () => {
  it('lets `limit` requests through per key and minute, then says how long to wait', () => {
    let now = 0;
    const limiter = new KeyRateLimiter(() => now);
    for (let i = 0; i < 3; i++) expect(limiter.take('a', 3)).toBe(0);
    expect(limiter.take('a', 3)).toBe(60_000);
    expect(limiter.take('b', 3)).toBe(0);
    now = 45_000;
    expect(limiter.take('a', 3)).toBe(15_000);
    now = 60_000;
    expect(limiter.take('a', 3)).toBe(0);
  });
});

describe('withoutKeyParam', () => {
  it('cuts every key parameter and keeps the others byte for byte', () => {
    expect(withoutKeyParam('/phonebook/yealink?q=%23SEARCH&key=sbk_a%2Bb&page=2&key=x')).toEqual({
      url: '/phonebook/yealink?q=%23SEARCH&page=2',
      key: 'sbk_a+b',
    });
    expect(withoutKeyParam('/callerid/123?key=abc')).toEqual({ url: '/callerid/123', key: 'abc' });
    expect(withoutKeyParam('/callerid/123?keys=abc')).toEqual({ url: '/callerid/123?keys=abc' });
    expect(withoutKeyParam('/callerid?number=1&%6Bey=abc')).toEqual({ url: '/callerid?number=1', key: 'abc' });
    expect(withoutKeyParam('/callerid')).toEqual({ url: '/callerid' });
  });
});
