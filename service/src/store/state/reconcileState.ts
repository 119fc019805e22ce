import type { Queryable } from '../types';
import { iso } from '../values';

/** A Salesforce object's stream is named after it; the telephony side is this stream (stored as 'directory' in reconcile_state rows since migration 004). */
export const TELEPHONY_STREAM = 'directory';

export interface Watermark {
  /** The newest change (SystemModstamp, or directory updated_at) a reconcile has covered. */
  at: string;
  /** Hash of the scope condition the stream was covered with; null for the directory. */
  scopeHash: string | null;
}

export async function getWatermarks(q: Queryable, orgId: string): Promise<Map<string, Watermark>> {
  const { rows } = await q.query<{ stream: string; watermark: Date; scope_hash: string | null }>(
    'SELECT stream, watermark, scope_hash FROM reconcile_watermarks WHERE org_id = $1',
    [orgId],
  );
  return new Map(rows.map((r) => [r.stream, { at: iso(r.watermark), scopeHash: r.scope_hash }]));
}

/** Never moves a watermark backwards (a run that saw nothing newer keeps it). */
export async function saveWatermark(q: Queryable, orgId: string, stream: string, mark: Watermark): Promise<void> {
  await q.query(
    `INSERT INTO reconcile_watermarks (org_id, stream, watermark, scope_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (org_id, stream) DO UPDATE SET
       watermark = GREATEST(reconcile_watermarks.watermark, EXCLUDED.watermark),
       scope_hash = EXCLUDED.scope_hash, updated_at = now()`,
    [orgId, stream, mark.at, mark.scopeHash],
  );
}

/**
 * Takes (or renews, for the same owner) the org's reconcile lease when it is free or expired. Returns
 * false while another instance holds it.
 */
export async function claimReconcileLease(q: Queryable, orgId: string, owner: string, ttlMs: number): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO reconcile_leases (org_id, owner, lease_until) VALUES ($1, $2, now() + make_interval(secs => $3))
     ON CONFLICT (org_id) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until
       WHERE reconcile_leases.owner = EXCLUDED.owner OR reconcile_leases.lease_until < now()
     RETURNING owner`,
    [orgId, owner, ttlMs / 1000],
  );
  return rows.length > 0;
}

export async function releaseReconcileLease(q: Queryable, orgId: string, owner: string): Promise<void> {
  await q.query('DELETE FROM reconcile_leases WHERE org_id = $1 AND owner = $2', [orgId, owner]);
}
