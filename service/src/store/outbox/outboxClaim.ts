import type { Database, Queryable } from '../types';
import { requirePositiveInteger, StoreInputError } from '../values';
import { byOutboxId, OUTBOX_COLUMNS, toOutboxItem, type OutboxDbRow, type OutboxItem } from './outboxItem';

export interface ClaimOptions {
  orgId: string;
  limit: number;
  /** How long the claim holds; after that another worker may take the items (a crashed worker's leftovers). */
  leaseMs: number;
  /** The claiming worker instance (claimants.ts), so its rows are taken back at once should it die. */
  claimant?: string;
}

/** Claimable now: pending and due, or processing under a lease that ran out (a crashed worker's). */
const DUE = `((state = 'pending' AND next_attempt_at <= now()) OR (state = 'processing' AND lease_until < now()))`;

/** Holds back later rows of its contact or record: in flight under a live lease, or waiting for its retry. */
const IN_THE_WAY = `((state = 'processing' AND lease_until >= now()) OR (state = 'pending' AND next_attempt_at > now()))`;

/** The fewest rows read per step while looking for claimable ones among rows that are held back. */
const MIN_PAGE = 500;

interface ClaimRow {
  id: string;
  contact_id: string | null;
  record_id: string | null;
}

/**
 * Claims up to `limit` items, oldest first: pending ones that are due and processing ones whose lease ran
 * out. SKIP LOCKED lets several workers claim side by side without waiting or overlapping.
 *
 * Changes to one contact or record stay in order across workers: an item is held back while an older
 * item for the same contact or record is in flight elsewhere (processing under a live lease) or waiting
 * for a retry. Due items of one record are claimed together, oldest first, so a worker can coalesce them.
 *
 * Why in steps rather than one statement with NOT EXISTS: an outbox's rows change state in bursts (a PBX
 * replaying calls, a mass import), faster than autovacuum refreshes the planner's statistics, which then
 * still say nearly every row is done. The single statement was planned as a nested loop that read the
 * whole backlog for every due row — two seconds a claim at 8,000 queued Tasks, so the write-back fell
 * further behind the longer it ran. Here each step reads a page of due rows in id order and then only the
 * rows in their way that share their contacts or records: the work grows with the rows read, whatever the
 * planner believes.
 */
export async function claimOutboxBatch(db: Database, opts: ClaimOptions): Promise<OutboxItem[]> {
  const limit = requirePositiveInteger('limit', opts.limit);
  if (!Number.isFinite(opts.leaseMs) || opts.leaseMs < 0) {
    throw new StoreInputError('leaseMs', `expects a non-negative number of milliseconds, got ${String(opts.leaseMs)}`);
  }
  const page = Math.max(limit, MIN_PAGE);
  const items = await db.transaction(async (tx) => {
    const picked: string[] = [];
    let after = '0';
    for (;;) {
      const due = await dueRows(tx, opts.orgId, after, page);
      const last = due[due.length - 1];
      if (!last) break;
      const inTheWay = await firstInTheWay(tx, opts.orgId, due, last.id);
      for (const row of due) {
        if (picked.length === limit) break;
        if (!heldBack(row, inTheWay)) picked.push(row.id);
      }
      if (picked.length === limit || due.length < page) break;
      after = last.id;
    }
    if (picked.length === 0) return [];
    const { rows } = await tx.query<OutboxDbRow>(
      `UPDATE outbox
       SET state = 'processing', lease_until = now() + $2 * interval '1 millisecond', updated_at = now(),
         claims = claims + 1, claimed_by = $3
       WHERE id = ANY($1::bigint[])
       RETURNING ${OUTBOX_COLUMNS}`,
      [picked, opts.leaseMs, opts.claimant ?? null],
    );
    return rows.map(toOutboxItem);
  });
  return items.sort(byOutboxId);
}

/** The next due rows after `after`, in id order (the number: `id` alone would name the text column), locked for this claim (rows another claim holds are skipped). */
async function dueRows(tx: Queryable, orgId: string, after: string, page: number): Promise<ClaimRow[]> {
  const { rows } = await tx.query<ClaimRow>(
    `SELECT id::text AS id, contact_id::text AS contact_id, record_id FROM outbox
      WHERE org_id = $1 AND id > $2::bigint AND ${DUE}
      ORDER BY outbox.id LIMIT $3
      FOR UPDATE SKIP LOCKED`,
    [orgId, after, page],
  );
  return rows;
}

/** The oldest row in the way per contact and per record of these due rows (only rows older than the last count). */
interface InTheWay {
  contacts: Map<string, bigint>;
  records: Map<string, bigint>;
}

async function firstInTheWay(tx: Queryable, orgId: string, due: ClaimRow[], lastId: string): Promise<InTheWay> {
  const contacts = [...new Set(due.flatMap((r) => (r.contact_id ? [r.contact_id] : [])))];
  const records = [...new Set(due.flatMap((r) => (r.record_id ? [r.record_id] : [])))];
  const found: InTheWay = { contacts: new Map(), records: new Map() };
  if (contacts.length === 0 && records.length === 0) return found;
  const { rows } = await tx.query<ClaimRow>(
    `SELECT id::text AS id, contact_id::text AS contact_id, record_id FROM outbox
      WHERE org_id = $1 AND id < $4::bigint AND ${IN_THE_WAY}
        AND (contact_id = ANY($2::uuid[]) OR record_id = ANY($3::text[]))`,
    [orgId, contacts, records, lastId],
  );
  const keepOldest = (map: Map<string, bigint>, key: string | null, id: bigint): void => {
    if (key === null) return;
    const seen = map.get(key);
    if (seen === undefined || id < seen) map.set(key, id);
  };
  for (const row of rows) {
    const id = BigInt(row.id);
    keepOldest(found.contacts, row.contact_id, id);
    keepOldest(found.records, row.record_id, id);
  }
  return found;
}

/** A due row waits while an older row of its contact or record is in the way. */
function heldBack(row: ClaimRow, inTheWay: InTheWay): boolean {
  const id = BigInt(row.id);
  const olderOf = (map: Map<string, bigint>, key: string | null): boolean => {
    const first = key === null ? undefined : map.get(key);
    return first !== undefined && first < id;
  };
  return olderOf(inTheWay.contacts, row.contact_id) || olderOf(inTheWay.records, row.record_id);
}
