import type { Queryable } from '../types';

/**
 * Which directory contact mirrors which of an org's users (internal extensions, source 'internal'), and
 * the hash of the values it was last written with, so an unchanged user costs no write. The pull
 * (sync/inbound/userDirectory.ts) calls these inside its one transaction.
 */

export interface InternalUser {
  contactId: string;
  /** stableHash of the contact fields last written for the user. */
  hash: string;
}

/** Every user of the org mirrored in the directory, by user id. */
export async function knownInternalUsers(q: Queryable, orgId: string): Promise<Map<string, InternalUser>> {
  const { rows } = await q.query<{ user_id: string; contact_id: string; values_hash: string }>(
    'SELECT user_id, contact_id, values_hash FROM internal_users WHERE org_id = $1',
    [orgId],
  );
  return new Map(rows.map((r) => [r.user_id, { contactId: r.contact_id, hash: r.values_hash }]));
}

/** The user's contact was updated in place: only the hash changes. */
export async function updateInternalUserHash(q: Queryable, orgId: string, userId: string, hash: string): Promise<void> {
  await q.query('UPDATE internal_users SET values_hash = $3, updated_at = now() WHERE org_id = $1 AND user_id = $2', [
    orgId,
    userId,
    hash,
  ]);
}

/** The user's contact was (re)created: a user seen before points at the new contact. */
export async function saveInternalUser(q: Queryable, orgId: string, userId: string, user: InternalUser): Promise<void> {
  await q.query(
    `INSERT INTO internal_users (org_id, user_id, contact_id, values_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (org_id, user_id) DO UPDATE SET contact_id = excluded.contact_id, values_hash = excluded.values_hash, updated_at = now()`,
    [orgId, userId, user.contactId, user.hash],
  );
}

/**
 * The user of the org whose extension this is (a phone of the user's internal contact carries it, or is it:
 * a user with an extension and no number), for a call's owner; the lowest user id when two share one.
 */
export async function internalUserByExtension(q: Queryable, orgId: string, extension: string): Promise<string | null> {
  const { rows } = await q.query<{ user_id: string }>(
    `SELECT u.user_id FROM internal_users u
       JOIN directory_phones p ON p.contact_id = u.contact_id
      WHERE u.org_id = $1 AND (p.extension = $2 OR (p.e164 IS NULL AND p.raw = $2))
      ORDER BY u.user_id LIMIT 1`,
    [orgId, extension],
  );
  return rows[0]?.user_id ?? null;
}

/** The user left the directory (its contact is deleted by the caller). */
export async function forgetInternalUser(q: Queryable, orgId: string, userId: string): Promise<void> {
  await q.query('DELETE FROM internal_users WHERE org_id = $1 AND user_id = $2', [orgId, userId]);
}
