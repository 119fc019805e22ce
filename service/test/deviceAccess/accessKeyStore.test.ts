/** The access_keys table through store/state/accessKeys.ts, on PGlite and (with DATABASE_URL) real PostgreSQL. */
import { describeEachBackend, resetDatabase } from '../support/backends';
import {
  findAccessKeyByHash,
  getAccessKey,
  insertAccessKey,
  listAccessKeys,
  liveAccessKeysNamed,
  markAccessKeyRevoked,
  markAccessKeyUsed,
  replaceAccessKeyHash,
  type NewAccessKey,
} from '../../src/store/devices/accessKeys';
import { StoreInputError } from '../../src/store/values';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const newKey = (overrides: Partial<NewAccessKey> = {}): NewAccessKey => ({
  name: 'Reception',
  keyHash: HASH_A,
  scopes: ['phonebook', 'callerid'],
  allowedCidrs: ['10.0.0.0/8', '2001:db8::/32'],
  rateLimitPerMinute: 60,
  options: { nameOrder: 'last-first', feed: { tag: 'vip' } },
  ...overrides,
});

describeEachBackend('access key store', (getDb) => {
  beforeEach(() => resetDatabase(getDb()));

  it('keeps every setting and finds the key by its hash only', async () => {
    const created = await insertAccessKey(getDb(), newKey());
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Reception',
      scopes: ['phonebook', 'callerid'],
      allowedCidrs: ['10.0.0.0/8', '2001:db8::/32'],
      rateLimitPerMinute: 60,
      options: { nameOrder: 'last-first', feed: { tag: 'vip' } },
      createdAt: expect.any(String),
      rotatedAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(await findAccessKeyByHash(getDb(), HASH_A)).toEqual({ ...created, keyHash: HASH_A });
    expect(await findAccessKeyByHash(getDb(), HASH_B)).toBeUndefined();
    expect(await findAccessKeyByHash(getDb(), 'not a hash')).toBeUndefined();
    expect(await getAccessKey(getDb(), created.id)).toEqual(created);
    expect(await getAccessKey(getDb(), 'nope')).toBeUndefined();
    expect(await listAccessKeys(getDb())).toEqual([created]);
  });

  it('refuses what is no SHA-256 hex digest, and a hash twice', async () => {
    await expect(insertAccessKey(getDb(), newKey({ keyHash: 'sbk_plain-key' }))).rejects.toBeInstanceOf(
      StoreInputError,
    );
    await insertAccessKey(getDb(), newKey());
    await expect(insertAccessKey(getDb(), newKey({ name: 'again' }))).rejects.toThrow();
  });

  it('replaces a live key’s hash (the old one finds nothing) and never a revoked key’s', async () => {
    const { id } = await insertAccessKey(getDb(), newKey());
    const rotated = await replaceAccessKeyHash(getDb(), id, HASH_B);
    expect(rotated?.rotatedAt).toEqual(expect.any(String));
    expect(await findAccessKeyByHash(getDb(), HASH_A)).toBeUndefined();
    expect((await findAccessKeyByHash(getDb(), HASH_B))?.id).toBe(id);
    expect(await markAccessKeyRevoked(getDb(), id)).toBe('revoked');
    expect(await replaceAccessKeyHash(getDb(), id, HASH_A)).toBeUndefined();
    expect(await replaceAccessKeyHash(getDb(), UNKNOWN, HASH_A)).toBeUndefined();
  });

  it('revokes once, keeping the first time; unknown ids are unknown', async () => {
    const { id } = await insertAccessKey(getDb(), newKey());
    expect(await markAccessKeyRevoked(getDb(), id)).toBe('revoked');
    const first = (await getAccessKey(getDb(), id))?.revokedAt;
    expect(first).toEqual(expect.any(String));
    expect(await markAccessKeyRevoked(getDb(), id)).toBe('already');
    expect((await getAccessKey(getDb(), id))?.revokedAt).toBe(first);
    expect(await markAccessKeyRevoked(getDb(), UNKNOWN)).toBe('unknown');
    expect(await markAccessKeyRevoked(getDb(), 'x')).toBe('unknown');
    expect(await liveAccessKeysNamed(getDb(), 'Reception')).toEqual([]);
  });

  it('moves last use forward only', async () => {
    const { id } = await insertAccessKey(getDb(), newKey());
    await markAccessKeyUsed(getDb(), id, new Date('2026-01-02T00:00:00Z'));
    await markAccessKeyUsed(getDb(), id, new Date('2026-01-01T00:00:00Z'));
    expect((await getAccessKey(getDb(), id))?.lastUsedAt).toBe('2026-01-02T00:00:00.000Z');
  });
});
