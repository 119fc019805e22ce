import type { Queryable } from '../types';

/**
 * Where the org's Pub/Sub stream resumes, per org and topic: the replay id of the last event whose effects
 * are committed, or a later position the server reported while every event before it was applied.
 */
export async function getReplayId(q: Queryable, orgId: string, topic: string): Promise<Buffer | null> {
  const { rows } = await q.query<{ replay_id: Buffer }>(
    'SELECT replay_id FROM replay_checkpoints WHERE org_id = $1 AND topic = $2',
    [orgId, topic],
  );
  return rows[0]?.replay_id ?? null;
}

/**
 * Call in the same transaction as the directory writes the event caused, or, for a position the server
 * reported (a keepalive), only once every event received before the report is applied.
 */
export async function saveReplayId(q: Queryable, orgId: string, topic: string, replayId: Buffer): Promise<void> {
  await q.query(
    `INSERT INTO replay_checkpoints (org_id, topic, replay_id) VALUES ($1, $2, $3)
     ON CONFLICT (org_id, topic) DO UPDATE SET replay_id = excluded.replay_id, updated_at = now()`,
    [orgId, topic, replayId],
  );
}

/** Forgets the checkpoint, e.g. after a corrupted replay id forced a reconciling sync. */
export async function clearReplayId(q: Queryable, orgId: string, topic: string): Promise<void> {
  await q.query('DELETE FROM replay_checkpoints WHERE org_id = $1 AND topic = $2', [orgId, topic]);
}
