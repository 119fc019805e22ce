import type { Queryable } from '../types';
import { iso, isUuid, jsonParam, StoreInputError } from '../values';

/**
 * The access keys devices authenticate with (table access_keys, migration 018). The store sees only a key's
 * SHA-256 (64 hex digits): generating keys, hashing them and checking scopes and addresses is
 * deviceAccess/'s work, which calls these.
 */

/** A key as stored, without its hash: what the API lists and the middleware checks. */
export interface AccessKeyRecord {
  id: string;
  name: string;
  scopes: string[];
  allowedCidrs: string[];
  /** null: the service's default limit applies. */
  rateLimitPerMinute: number | null;
  options: Record<string, unknown>;
  createdAt: string;
  rotatedAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A key found by its hash, with the stored hash so the caller compares it in constant time. */
export interface AccessKeyMatch extends AccessKeyRecord {
  keyHash: string;
}

export interface NewAccessKey {
  name: string;
  keyHash: string;
  scopes: string[];
  allowedCidrs: string[];
  rateLimitPerMinute: number | null;
  options: Record<string, unknown>;
}

interface AccessKeyRow {
  id: string;
  name: string;
  key_hash: string;
  scopes: string[];
  allowed_cidrs: string[];
  rate_limit_per_minute: number | null;
  options: Record<string, unknown> | null;
  created_at: Date;
  rotated_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS =
  'id, name, key_hash, scopes, allowed_cidrs, rate_limit_per_minute, options, created_at, rotated_at, last_used_at, revoked_at';

function toRecord(row: AccessKeyRow): AccessKeyRecord {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    allowedCidrs: row.allowed_cidrs,
    rateLimitPerMinute: row.rate_limit_per_minute,
    options: row.options ?? {},
    createdAt: iso(row.created_at),
    rotatedAt: iso(row.rotated_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

function requireHash(keyHash: string, record?: string): void {
  if (!/^[0-9a-f]{64}$/.test(keyHash)) {
    throw new StoreInputError('keyHash', 'expects a SHA-256 digest as 64 lower-case hex digits', record);
  }
}

export async function insertAccessKey(q: Queryable, key: NewAccessKey): Promise<AccessKeyRecord> {
  requireHash(key.keyHash);
  const { rows } = await q.query<AccessKeyRow>(
    `INSERT INTO access_keys (name, key_hash, scopes, allowed_cidrs, rate_limit_per_minute, options)
     VALUES ($1, $2, $3::text[], $4::text[], $5, $6::jsonb)
     RETURNING ${COLUMNS}`,
    [key.name, key.keyHash, key.scopes, key.allowedCidrs, key.rateLimitPerMinute, jsonParam(key.options) ?? '{}'],
  );
  return toRecord(rows[0]);
}

/** Every key, revoked ones included, oldest first. */
export async function listAccessKeys(q: Queryable): Promise<AccessKeyRecord[]> {
  const { rows } = await q.query<AccessKeyRow>(`SELECT ${COLUMNS} FROM access_keys ORDER BY created_at, id`);
  return rows.map(toRecord);
}

export async function getAccessKey(q: Queryable, id: string): Promise<AccessKeyRecord | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await q.query<AccessKeyRow>(`SELECT ${COLUMNS} FROM access_keys WHERE id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** The key whose hash this is, revoked or not (the caller decides), or undefined. */
export async function findAccessKeyByHash(q: Queryable, keyHash: string): Promise<AccessKeyMatch | undefined> {
  if (!/^[0-9a-f]{64}$/.test(keyHash)) return undefined;
  const { rows } = await q.query<AccessKeyRow>(`SELECT ${COLUMNS} FROM access_keys WHERE key_hash = $1`, [keyHash]);
  return rows[0] ? { ...toRecord(rows[0]), keyHash: rows[0].key_hash } : undefined;
}

/** The live (not revoked) keys with this name, oldest first: the demo start rotates its own key by name. */
export async function liveAccessKeysNamed(q: Queryable, name: string): Promise<AccessKeyRecord[]> {
  const { rows } = await q.query<AccessKeyRow>(
    `SELECT ${COLUMNS} FROM access_keys WHERE name = $1 AND revoked_at IS NULL ORDER BY created_at, id`,
    [name],
  );
  return rows.map(toRecord);
}

/**
 * Replaces a live key's hash: the old key stops working in the same statement. undefined when the key
 * does not exist or is revoked (a revoked key stays revoked).
 */
export async function replaceAccessKeyHash(
  q: Queryable,
  id: string,
  keyHash: string,
): Promise<AccessKeyRecord | undefined> {
  if (!isUuid(id)) return undefined;
  requireHash(keyHash, id);
  const { rows } = await q.query<AccessKeyRow>(
    `UPDATE access_keys SET key_hash = $2, rotated_at = now() WHERE id = $1 AND revoked_at IS NULL
     RETURNING ${COLUMNS}`,
    [id, keyHash],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/**
 * Revokes a key. 'revoked' when this call did, 'already' when it was revoked before (revoked_at stays the
 * first revocation's time), 'unknown' when no such key exists.
 */
export async function markAccessKeyRevoked(q: Queryable, id: string): Promise<'revoked' | 'already' | 'unknown'> {
  if (!isUuid(id)) return 'unknown';
  const { rows } = await q.query<{ revoked_now: boolean }>(
    `WITH target AS (SELECT id, revoked_at FROM access_keys WHERE id = $1 FOR UPDATE),
          updated AS (UPDATE access_keys SET revoked_at = now()
                       WHERE id = $1 AND revoked_at IS NULL RETURNING id)
     SELECT EXISTS (SELECT 1 FROM updated) AS revoked_now FROM target`,
    [id],
  );
  if (rows.length === 0) return 'unknown';
  return rows[0].revoked_now ? 'revoked' : 'already';
}

/**
 * Records that a key was used at `at`. The middleware calls it at most once a minute per key, so a busy
 * PBX costs one write a minute, not one per call; the WHERE keeps a late write from moving the time back.
 */
export async function markAccessKeyUsed(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query(
    'UPDATE access_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)',
    [id, at.toISOString()],
  );
}
