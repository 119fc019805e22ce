import type { Database, Queryable } from '../store/types';
import { recordAudit } from '../store/audit';
import {
  insertAccessKey,
  liveAccessKeysNamed,
  markAccessKeyRevoked,
  replaceAccessKeyHash,
  type AccessKeyRecord,
} from '../store/devices/accessKeys';
import { generateAccessKey, hashAccessKey } from './keys';
import { noteAccessKeysChanged } from './keyCache';
import type { AccessKeyOptions, AccessScope } from './keySettings';

/**
 * Creating, rotating and revoking access keys: the one place a key exists in clear, between its generation
 * and the answer that shows it once. Each change is audited (origin 'telephony', as API commands are; the
 * key's id as record id) with the key's settings, never the key or its hash.
 */

export interface AccessKeyInput {
  name: string;
  scopes: AccessScope[];
  allowedCidrs?: string[];
  rateLimitPerMinute?: number | null;
  options?: AccessKeyOptions;
}

/** A key's record and, this once, the key itself. */
export interface IssuedAccessKey {
  record: AccessKeyRecord;
  key: string;
}

export async function createAccessKey(db: Database, input: AccessKeyInput): Promise<IssuedAccessKey> {
  const key = generateAccessKey();
  const record = await db.transaction(async (tx) => {
    const created = await insertAccessKey(tx, {
      name: input.name,
      keyHash: hashAccessKey(key),
      scopes: [...new Set(input.scopes)],
      allowedCidrs: input.allowedCidrs ?? [],
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      options: input.options ?? {},
    });
    await audit(tx, 'access-key-created', created, null, settingsOf(created));
    return created;
  });
  return { record, key };
}

/** A new key for the same id and settings; the old key stops working. undefined: unknown or revoked. */
export async function rotateAccessKey(db: Database, id: string): Promise<IssuedAccessKey | undefined> {
  const key = generateAccessKey();
  const record = await db.transaction(async (tx) => {
    const rotated = await replaceAccessKeyHash(tx, id, hashAccessKey(key));
    if (rotated) await audit(tx, 'access-key-rotated', rotated, null, { name: rotated.name });
    return rotated;
  });
  if (record) noteAccessKeysChanged(db);
  return record ? { record, key } : undefined;
}

/** Revokes a key for good: 'revoked', 'already' (revoked before; not audited again) or 'unknown'. */
export async function revokeAccessKey(db: Database, id: string): Promise<'revoked' | 'already' | 'unknown'> {
  const outcome = await db.transaction(async (tx) => {
    const result = await markAccessKeyRevoked(tx, id);
    if (result === 'revoked') await audit(tx, 'access-key-revoked', { id }, null, null);
    return result;
  });
  if (outcome !== 'unknown') noteAccessKeysChanged(db);
  return outcome;
}

/** The demo's key for phones and caller ID: see rotateDemoDeviceKey. */
export const DEMO_DEVICE_KEY_NAME = 'demo devices';

/**
 * Keys are stored hashed, so the demo cannot show yesterday's key again: each demo start rotates the key
 * named "demo devices" (creating it the first time) and prints the new one. Only the URLs printed by the
 * latest start work; a key an admin made keeps working across restarts.
 */
export async function rotateDemoDeviceKey(db: Database): Promise<IssuedAccessKey> {
  const [existing] = await liveAccessKeysNamed(db, DEMO_DEVICE_KEY_NAME);
  const rotated = existing ? await rotateAccessKey(db, existing.id) : undefined;
  return rotated ?? createAccessKey(db, { name: DEMO_DEVICE_KEY_NAME, scopes: ['phonebook', 'callerid', 'carddav'] });
}

function settingsOf(record: AccessKeyRecord): Record<string, unknown> {
  return {
    name: record.name,
    scope: record.scopes,
    allowedCidrs: record.allowedCidrs,
    rateLimitPerMinute: record.rateLimitPerMinute,
    options: record.options,
  };
}

async function audit(
  tx: Queryable,
  action: string,
  record: Pick<AccessKeyRecord, 'id'>,
  before: unknown,
  after: unknown,
): Promise<void> {
  await recordAudit(tx, {
    orgId: null,
    contactId: null,
    recordId: record.id,
    origin: 'telephony',
    action,
    rule: null,
    before,
    after,
  });
}
