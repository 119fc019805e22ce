import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * What an access key is: `sbk_` and 32 random bytes in base64url (43 characters). The prefix lets people and
 * secret scanners recognise a Switchboard key in a provisioning file or a paste; the 256 random bits make
 * guessing pointless, so the store keeps only the SHA-256 (no salt or slow hash needed: there is no
 * low-entropy secret to protect) and looks a key up by that digest.
 */
export const ACCESS_KEY_PREFIX = 'sbk_';

const KEY_PATTERN = /^sbk_[A-Za-z0-9_-]{43}$/;

/** A new key. Shown once to the admin who made it, never stored or logged. */
export function generateAccessKey(): string {
  return `${ACCESS_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Whether `text` has the shape of a key (cheap refusal before any hashing or database look-up). */
export function looksLikeAccessKey(text: string): boolean {
  return KEY_PATTERN.test(text);
}

/** The SHA-256 of a key as 64 lower-case hex digits: what access_keys.key_hash holds. */
export function hashAccessKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests (the stored one and the one of the key sent). */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
