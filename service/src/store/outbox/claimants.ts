import { randomUUID } from 'node:crypto';
import type { Database, SessionConnection } from '../types';

/**
 * The advisory lock namespace of live write-back workers ("SWB3"; leadership is "SWB1", match keys
 * "SWB2").
 */
const CLAIMANT_NAMESPACE = 0x53574233;

/**
 * One write-back worker instance as the outbox knows it: its claims carry `id`, and it stays alive for
 * as long as it holds its lock. On real Postgres that is a session-level advisory lock on a connection of
 * its own, which the server releases when the process dies or its connection breaks; on PGlite the
 * database belongs to this one process (its lock file), so the live instances are the ones this process
 * started and has not ended.
 */
export interface Claimant {
  readonly id: string;
  /** Gives the claims up to other workers at once: what a dying process does. */
  end(): Promise<void>;
}

/** PGlite only: the claimants of this process (which owns the embedded database). */
const liveHere = new Set<string>();

export async function startClaimant(db: Database): Promise<Claimant> {
  const id = randomUUID();
  if (!db.openSession) {
    liveHere.add(id);
    return {
      id,
      end: async () => {
        liveHere.delete(id);
      },
    };
  }
  const session: SessionConnection = await db.openSession();
  try {
    await session.query('SELECT pg_advisory_lock($1::int, hashtext($2))', [CLAIMANT_NAMESPACE, id]);
  } catch (error) {
    await session.end();
    throw error;
  }
  return { id, end: () => session.end() };
}

/**
 * Rows claimed by a worker instance that is no longer alive go back to the queue now instead of when
 * their lease runs out: a restarted service resumes write-back at once. They keep their claim count, so
 * a create among them is looked for in Salesforce before it is sent again. Rows claimed before claims
 * named their worker (no claimant) are left to their lease. So are creates whose lease still runs longer
 * than `callLeaseMs` (a Collections call's): they belong to a Bulk API job, which goes on running in
 * Salesforce after the worker that started it died, so its records may not exist yet when looked for.
 */
export async function releaseDeadClaims(db: Database, orgId: string, callLeaseMs: number): Promise<number> {
  const notAJob = `(o.operation <> 'create' OR o.lease_until <= now() + $2 * interval '1 millisecond')`;
  if (!db.openSession) {
    const { rowCount } = await db.query(
      `UPDATE outbox o SET state = 'pending', lease_until = NULL, updated_at = now()
       WHERE o.org_id = $1 AND o.state = 'processing' AND ${notAJob}
         AND o.claimed_by IS NOT NULL AND o.claimed_by <> ALL($3::text[])`,
      [orgId, callLeaseMs, [...liveHere]],
    );
    return rowCount ?? 0;
  }
  // pg_locks shows every session's advisory locks: a two-key lock has the keys in classid and objid.
  const { rowCount } = await db.query(
    `UPDATE outbox o SET state = 'pending', lease_until = NULL, updated_at = now()
     WHERE o.org_id = $1 AND o.state = 'processing' AND ${notAJob} AND o.claimed_by IS NOT NULL
       AND NOT EXISTS (
         SELECT 1 FROM pg_locks l
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND l.classid = $3::int::oid AND l.objid = hashtext(o.claimed_by)::oid)`,
    [orgId, callLeaseMs, CLAIMANT_NAMESPACE],
  );
  return rowCount ?? 0;
}
