import type { Queryable } from '../types';
import { ADVISORY_LOCKS } from '../advisoryLocks';

/**
 * The advisory lock namespace of match keys ("SWB2"; leadership uses "SWB1"), so these locks never meet
 * the subscriber election's nor another application's.
 */
const MATCH_KEY_NAMESPACE = ADVISORY_LOCKS.matchKey;

/**
 * One lock over every match key ("SWB4", key 0): held shared by each record's match and exclusively by a
 * batch that creates contacts for many records at once (an initial sync page, thousands of keys: too many
 * to lock one by one in Postgres's lock table).
 */
const ALL_KEYS_NAMESPACE = ADVISORY_LOCKS.allMatchKeys;

/** The keys a record is matched by, as the directory compares them. */
export interface MatchKeys {
  /** E.164 numbers. */
  e164s: string[];
  email: string | null;
}

/**
 * Locks a record's match keys until the caller's transaction ends, so matching and creating are one step
 * across concurrent streams: two orgs bringing the same new person at once would otherwise both find no
 * contact and both create one. A second transaction with any of the same keys waits here until the first
 * commits, and then its match sees the first one's contact.
 *
 * Every key is locked, whatever the sync matches by: another org's sync may match the same person by the
 * other key. Keys are hashed into the lock's 32-bit id (a collision only makes two unrelated records wait
 * for each other) and taken in ascending order, so two transactions locking the same keys for one record
 * cannot deadlock. A transaction that applies several records takes each record's locks in turn; should
 * two such transactions cross, Postgres detects the deadlock and fails one, which its caller retries like
 * any failed batch. On PGlite there is one session, and the locks are granted at once. A batch holding
 * every key (lockAllMatchKeys) makes this wait until it commits.
 */
export async function lockMatchKeys(tx: Queryable, keys: MatchKeys): Promise<void> {
  const texts = keys.e164s.filter((n) => n !== '').map((n) => `phone:${n}`);
  // As findContactsByKeys compares emails: lower-cased, surrounding spaces ignored.
  const email = keys.email?.trim().toLowerCase();
  if (email) texts.push(`email:${email}`);
  if (texts.length === 0) return;
  await tx.query('SELECT pg_advisory_xact_lock_shared($1::int, 0)', [ALL_KEYS_NAMESPACE]);
  // The ordered subquery fixes the order the locks are taken in; the outer aggregate takes them one by one.
  await tx.query(
    `SELECT count(pg_advisory_xact_lock($1::int, h)) AS locked
       FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($2::text[]) AS k ORDER BY 1) AS ordered`,
    [MATCH_KEY_NAMESPACE, texts],
  );
}

/**
 * Locks every match key until the caller's transaction ends: for a batch that finds which of its keys
 * the directory holds and then creates contacts for the rest in a few set-based statements. Records
 * matched one by one elsewhere (lockMatchKeys) wait until it commits; it waits for those under way.
 * Batches exclude each other, which serialises two orgs' initial sync pages (only their writes).
 */
export async function lockAllMatchKeys(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::int, 0)', [ALL_KEYS_NAMESPACE]);
}
