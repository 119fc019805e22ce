import type { Queryable } from '../store/types';
import { ADVISORY_LOCKS } from '../store/advisoryLocks';

/**
 * The directory's change feed for the rooms that mirror or serve it to devices (LDAP mirror, CardDAV sync tokens,
 * phone-book ETags). Order and tombstones come from migration 017.
 *
 * Contract:
 * - `readDirectoryChanges` returns every contact inserted, updated or deleted since `cursor` — at least once: a
 *   change may come again (after a crash before the caller stored `next`, or while a transaction that started
 *   before the previous read was still running), so callers apply changes idempotently, by contact id, re-reading
 *   the contact's current state (a change says "look again", not what changed).
 * - Nothing is skipped: a transaction that commits late with a lower `change_seq` than one already passed is
 *   found through its transaction id (see below).
 * - A cursor is opaque outside this file: store it as given (`encodeCursor` / `decodeCursor` for text).
 * - `directoryVersion` is cheap (two index probes) and differs whenever the set of committed contacts differs.
 */
export interface ChangeCursor {
  /** The highest change_seq passed (bigint as text). */
  seq: string;
  /** The snapshot xmin of the read that produced this cursor (xid8 as text). */
  horizon: string;
}

export const START_CURSOR: ChangeCursor = Object.freeze({ seq: '0', horizon: '0' });

export interface DirectoryChange {
  contactId: string;
  /** The contact is gone (at the time of the read; it may have been re-created since: re-read it). */
  deleted: boolean;
}

export interface DirectoryChanges {
  changes: DirectoryChange[];
  next: ChangeCursor;
  /** false when `limit` cut the page: call again with `next` at once. */
  caughtUp: boolean;
}

const DIGITS = /^\d{1,20}$/;

/** The cursor as one token (CardDAV sync-token, stored state); `decodeCursor` refuses anything else with null. */
export function encodeCursor(cursor: ChangeCursor): string {
  return `${cursor.seq}-${cursor.horizon}`;
}

export function decodeCursor(token: string): ChangeCursor | null {
  const [seq, horizon, ...rest] = token.split('-');
  if (rest.length > 0 || seq === undefined || horizon === undefined) return null;
  if (!DIGITS.test(seq) || !DIGITS.test(horizon)) return null;
  return { seq: BigInt(seq).toString(), horizon: BigInt(horizon).toString() };
}

interface ChangeRow {
  contact_id: string;
  deleted: boolean;
  change_seq: string;
  late: boolean;
  horizon: string;
}

/**
 * One statement, so one snapshot: the rows read and the horizon stored with them agree. Two parts:
 * - in order: rows with change_seq above the cursor, the first `limit` of them;
 * - late: rows at or below the cursor written by a transaction at or above the previous horizon. A transaction the
 *   previous read could not see was running then, so its id was at or above that read's snapshot xmin; every such
 *   row is found here once it has committed. Rows the previous read did see come again (harmless, idempotent).
 * The next horizon is this snapshot's xmin: any transaction this read cannot see has an id at or above it.
 */
export async function readDirectoryChanges(
  q: Queryable,
  cursor: ChangeCursor,
  limit: number,
): Promise<DirectoryChanges> {
  const pageSize = Math.max(1, Math.floor(limit));
  const { rows } = await q.query<ChangeRow>(
    `WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin),
     in_order AS (
       SELECT contact_id, deleted, change_seq FROM (
         (SELECT id AS contact_id, false AS deleted, change_seq FROM directory_contacts
          WHERE change_seq > $1::bigint ORDER BY change_seq LIMIT $3)
         UNION ALL
         (SELECT contact_id, true AS deleted, change_seq FROM directory_tombstones
          WHERE change_seq > $1::bigint ORDER BY change_seq LIMIT $3)
       ) both_tables ORDER BY change_seq LIMIT $3
     ),
     late AS (
       -- $1 > 0: from the start nothing is late, and the constant test stops the plan before it scans
       -- every row whose xid is at or above horizon 0 (all of them), even in a generic prepared plan.
       SELECT id AS contact_id, false AS deleted, change_seq FROM directory_contacts
       WHERE $1::bigint > 0 AND change_xid >= $2::xid8 AND change_seq <= $1::bigint
       UNION ALL
       SELECT contact_id, true AS deleted, change_seq FROM directory_tombstones
       WHERE $1::bigint > 0 AND change_xid >= $2::xid8 AND change_seq <= $1::bigint
     )
     SELECT c.contact_id::text, c.deleted, c.change_seq::text, c.late, h.xmin AS horizon
     FROM (SELECT *, false AS late FROM in_order UNION ALL SELECT *, true AS late FROM late) c
     RIGHT JOIN horizon h ON true
     ORDER BY c.change_seq`,
    [cursor.seq, cursor.horizon, pageSize],
  );
  const horizon = rows[0]?.horizon ?? cursor.horizon;
  let seq = BigInt(cursor.seq);
  let inOrder = 0;
  // A contact deleted and re-created, or changed in both parts, is reported once, as its latest change says.
  const latest = new Map<string, DirectoryChange>();
  for (const row of rows) {
    if (row.contact_id === null) continue; // the horizon row alone: nothing changed
    if (!row.late) {
      inOrder += 1;
      const rowSeq = BigInt(row.change_seq);
      if (rowSeq > seq) seq = rowSeq;
    }
    latest.delete(row.contact_id);
    latest.set(row.contact_id, { contactId: row.contact_id, deleted: row.deleted });
  }
  return {
    changes: [...latest.values()],
    next: { seq: seq.toString(), horizon },
    caughtUp: inOrder < pageSize,
  };
}

/**
 * A cursor at "now": reading from it returns only what changes after this call (and, at least once, what
 * transactions still running now commit). For a reader that has just listed everything another way (CardDAV's
 * initial sync lists cards by id rather than walking the feed from its start).
 */
export async function currentChangeCursor(q: Queryable): Promise<ChangeCursor> {
  const { rows } = await q.query<{ seq: string | null; horizon: string }>(
    `SELECT greatest(
         (SELECT max(change_seq) FROM directory_contacts),
         (SELECT max(change_seq) FROM directory_tombstones))::text AS seq,
       pg_snapshot_xmin(pg_current_snapshot())::text AS horizon`,
  );
  return { seq: rows[0]?.seq ?? '0', horizon: rows[0]?.horizon ?? '0' };
}

/** The advisory lock every transaction writing contacts holds shared until it ends (migration 023, "SWB6"). */
const DIRECTORY_WRITER_LOCK = ADVISORY_LOCKS.directoryWriters;

/**
 * A value that differs whenever committed contacts differ (insert, update, delete): the highest change_seq, and the
 * transactions writing the directory right now (those holding migration 023's lock) — one of them may commit a
 * change_seq lower than the highest already visible, and its end changes that set. Transactions that write other
 * tables (the sync's outbox, positions, audit) or other databases are not counted, so they do not churn the value:
 * with no contact being written, the value is stable, and a phone's periodic refresh is answered 304 until the
 * directory changes.
 */
export async function directoryVersion(q: Queryable): Promise<string> {
  const { rows } = await q.query<{ seq: string | null; running: string | null }>(
    `SELECT greatest(
         (SELECT max(change_seq) FROM directory_contacts),
         (SELECT max(change_seq) FROM directory_tombstones))::text AS seq,
       (SELECT string_agg(a.backend_xid::text, '.' ORDER BY a.backend_xid::text)
        FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.classid = $1::int::oid AND l.objid = 0 AND l.objsubid = 2 AND l.granted
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()) AS running`,
    [DIRECTORY_WRITER_LOCK],
  );
  const row = rows[0];
  const seq = row?.seq ?? '0';
  return row?.running ? `${seq}.${row.running}` : seq;
}
