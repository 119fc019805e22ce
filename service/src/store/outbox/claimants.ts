import { randomUUID } from 'node:crypto';
import type { Database, SessionConnection } from '../types';
import { ADVISORY_LOCKS } from '../advisoryLocks';

/**
 * The advisory lock namespace of live write-back workers ("SWB3"; leadership is "SWB1", match keys
 * "SWB2").
 */
const CLAIMANT_NAMESPACE = ADVISORY_LOCKS.claimant;

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

/** How soon a live worker whose lock connection broke tries again to hold its lock. */
const RELOCK_RETRY_MS = 1_000;

/**
 * A worker instance that holds its lock for as long as it lives. Should its lock connection break while
 * the process lives on (a terminated backend, a database restart), it takes the same lock again on a new
 * connection at once (and every second while the database is away): its calls may still be on their way,
 * so its rows must not look abandoned for longer than that (see deadClaimants).
 */
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
  const open = db.openSession.bind(db);
  let session = await lockedSession(open, id);
  let ended = false;
  let retry: NodeJS.Timeout | undefined;
  const relock = (): void => {
    if (ended) return;
    lockedSession(open, id).then(
      (next) => {
        if (ended) return void next.end();
        session = next;
        next.onClose(relock);
      },
      () => {
        retry = setTimeout(relock, RELOCK_RETRY_MS);
        retry.unref?.();
      },
    );
  };
  session.onClose(relock);
  return {
    id,
    end: async () => {
      ended = true;
      if (retry) clearTimeout(retry);
      await session.end();
    },
  };
}

async function lockedSession(open: () => Promise<SessionConnection>, id: string): Promise<SessionConnection> {
  const session = await open();
  try {
    await session.query('SELECT pg_advisory_lock($1::int, hashtext($2))', [CLAIMANT_NAMESPACE, id]);
  } catch (error) {
    await session.end();
    throw error;
  }
  return session;
}

/**
 * Which rows count as claimed by a dead worker: processing, claimed by a named worker whose lock nobody
 * holds — not rows claimed before claims named their worker (left to their lease), nor creates whose
 * lease still runs longer than `callLeaseMs` (a Collections call's): those belong to a Bulk API job, which
 * goes on running in Salesforce after the worker that started it died, so its records may not exist yet
 * when looked for. $1 is the org, $2 callLeaseMs, $3 the live ids (PGlite) or the lock namespace.
 */
function deadClaimsWhere(db: Database): string {
  const notAJob = `(o.operation <> 'create' OR o.lease_until <= now() + $2 * interval '1 millisecond')`;
  const claimed = `o.org_id = $1 AND o.state = 'processing' AND ${notAJob} AND o.claimed_by IS NOT NULL`;
  if (!db.openSession) return `${claimed} AND o.claimed_by <> ALL($3::text[])`;
  // pg_locks shows every session's advisory locks: a two-key lock has the keys in classid and objid.
  return `${claimed} AND NOT EXISTS (
    SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = $3::int::oid AND l.objid = hashtext(o.claimed_by)::oid)`;
}

const liveParam = (db: Database): unknown => (db.openSession ? CLAIMANT_NAMESPACE : [...liveHere]);

/**
 * The workers holding rows of this org that look dead now (their lock is not held). A worker whose lock
 * connection just broke looks dead until it has taken its lock again, so a caller confirms a sighting
 * later before releasing (sync/outbound/deadClaims.ts).
 */
export async function deadClaimants(db: Database, orgId: string, callLeaseMs: number): Promise<string[]> {
  const { rows } = await db.query<{ claimed_by: string }>(
    `SELECT DISTINCT o.claimed_by FROM outbox o WHERE ${deadClaimsWhere(db)} ORDER BY o.claimed_by`,
    [orgId, callLeaseMs, liveParam(db)],
  );
  return rows.map((r) => r.claimed_by);
}

/**
 * Rows claimed by a worker instance that is no longer alive go back to the queue now instead of when
 * their lease runs out: a restarted service resumes write-back without waiting. They keep their claim
 * count, so a create among them is looked for in Salesforce before it is sent again. With `of`, only the
 * rows of these workers (each still dead at this moment). Returns how many rows.
 */
export async function releaseDeadClaims(
  db: Database,
  orgId: string,
  callLeaseMs: number,
  of?: readonly string[],
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE outbox o SET state = 'pending', lease_until = NULL, updated_at = now()
     WHERE ${deadClaimsWhere(db)} AND ($4::text[] IS NULL OR o.claimed_by = ANY($4::text[]))`,
    [orgId, callLeaseMs, liveParam(db), of ? [...of] : null],
  );
  return rowCount ?? 0;
}

/**
 * Rows this live worker holds as processing go back to the queue: called between its rounds after one failed,
 * when it has nothing in flight. A claim whose COMMIT reached the database while its answer did not (the
 * connection broke at that moment: a restart, a terminated backend) left its rows processing under the name of
 * a worker that holds its lock, which neither releaseDeadClaims nor a new claim would touch before the lease
 * ran out. As there, rows keep their claim count (a create among them is looked for before it is sent again)
 * and a Bulk job's creates keep their lease. Returns how many rows.
 */
export async function releaseOwnClaims(
  db: Database,
  orgId: string,
  claimant: string,
  callLeaseMs: number,
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE outbox o SET state = 'pending', lease_until = NULL, updated_at = now()
     WHERE o.org_id = $1 AND o.state = 'processing' AND o.claimed_by = $2
       AND (o.operation <> 'create' OR o.lease_until <= now() + $3 * interval '1 millisecond')`,
    [orgId, claimant, callLeaseMs],
  );
  return rowCount ?? 0;
}
