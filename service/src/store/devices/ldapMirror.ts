import type { Queryable } from '../types';
import { iso } from '../values';

/**
 * The LDAP mirror's stored progress (migration 020): where it reads the directory's change feed from, and the
 * full resync's state. The change cursor is an opaque token of directory/changes.ts, kept as text here.
 */
export type ResyncState = 'idle' | 'pending' | 'running';
export type ResyncPhase = 'entries' | 'sweep';

export interface LdapMirrorState {
  changeCursor: string;
  baseDn: string | null;
  resync: {
    state: ResyncState;
    phase: ResyncPhase | null;
    /** The last contact id written by the entries phase (keyset); null before the first page. */
    after: string | null;
    written: number;
    removed: number;
    reason: string | null;
    requestedAt: string | null;
    startedAt: string | null;
    finishedAt: string | null;
  };
}

interface StateRow {
  change_cursor: string;
  base_dn: string | null;
  resync_state: ResyncState;
  resync_phase: ResyncPhase | null;
  resync_after: string | null;
  resync_written: string;
  resync_removed: string;
  resync_reason: string | null;
  resync_requested_at: Date | null;
  resync_started_at: Date | null;
  resync_finished_at: Date | null;
}

const orNull = (d: Date | null) => (d === null ? null : iso(d));

/** The state, creating the row at `startCursor` the first time (an empty mirror reads the feed from its start). */
export async function getLdapMirrorState(q: Queryable, startCursor: string): Promise<LdapMirrorState> {
  await q.query('INSERT INTO ldap_mirror_state (id, change_cursor) VALUES (true, $1) ON CONFLICT (id) DO NOTHING', [
    startCursor,
  ]);
  const { rows } = await q.query<StateRow>(
    `SELECT change_cursor, base_dn, resync_state, resync_phase, resync_after::text, resync_written::text,
       resync_removed::text, resync_reason, resync_requested_at, resync_started_at, resync_finished_at
     FROM ldap_mirror_state WHERE id`,
  );
  const row = rows[0];
  return {
    changeCursor: row.change_cursor,
    baseDn: row.base_dn,
    resync: {
      state: row.resync_state,
      phase: row.resync_phase,
      after: row.resync_after,
      written: Number(row.resync_written),
      removed: Number(row.resync_removed),
      reason: row.resync_reason,
      requestedAt: orNull(row.resync_requested_at),
      startedAt: orNull(row.resync_started_at),
      finishedAt: orNull(row.resync_finished_at),
    },
  };
}

/** Call only once the batch the cursor covers is in LDAP. */
export async function saveLdapChangeCursor(q: Queryable, cursor: string): Promise<void> {
  await q.query('UPDATE ldap_mirror_state SET change_cursor = $1, updated_at = now() WHERE id', [cursor]);
}

export async function saveLdapBaseDn(q: Queryable, baseDn: string): Promise<void> {
  await q.query('UPDATE ldap_mirror_state SET base_dn = $1, updated_at = now() WHERE id', [baseDn]);
}

/**
 * Asks for a full resync. One already pending stays as it is; one running starts over from the first page (the
 * caller wants everything checked from now on).
 */
export async function requestLdapResync(q: Queryable, reason: string): Promise<void> {
  await q.query(
    `UPDATE ldap_mirror_state SET resync_state = 'pending', resync_phase = NULL, resync_after = NULL,
       resync_reason = $1, resync_requested_at = now(), updated_at = now()
     WHERE id AND resync_state <> 'pending'`,
    [reason],
  );
}

/** A pending resync begins (or a running one goes on after a restart: its place is kept). */
export async function beginLdapResync(q: Queryable): Promise<void> {
  await q.query(
    `UPDATE ldap_mirror_state SET resync_state = 'running', resync_phase = 'entries', resync_after = NULL,
       resync_written = 0, resync_removed = 0, resync_started_at = now(), resync_finished_at = NULL, updated_at = now()
     WHERE id AND resync_state = 'pending'`,
  );
}

export async function saveLdapResyncProgress(
  q: Queryable,
  progress: { phase: ResyncPhase; after: string | null; written: number; removed: number },
): Promise<void> {
  await q.query(
    `UPDATE ldap_mirror_state SET resync_phase = $1, resync_after = $2::uuid,
       resync_written = resync_written + $3, resync_removed = resync_removed + $4, updated_at = now()
     WHERE id AND resync_state = 'running'`,
    [progress.phase, progress.after, progress.written, progress.removed],
  );
}

export async function finishLdapResync(q: Queryable): Promise<void> {
  await q.query(
    `UPDATE ldap_mirror_state SET resync_state = 'idle', resync_phase = NULL, resync_after = NULL,
       resync_finished_at = now(), updated_at = now()
     WHERE id AND resync_state = 'running'`,
  );
}
