import type { Database } from '../types';
import { recordAudit } from '../audit';
import { clearCheckpoints } from './initialSyncCheckpoint';

export interface ForgetResult {
  linksRemoved: number;
  contactsRemoved: number;
}

/**
 * "Delete" a sync: forget its links, checkpoints and queued write-backs, keep every contact on both sides.
 * "Delete and revert" also removes the directory contacts that came from Salesforce through this org and
 * are linked nowhere else — never a contact born in the phone system or shared with another org.
 */
export async function forgetSync(db: Database, orgId: string, revert: boolean): Promise<ForgetResult> {
  return db.transaction(async (tx) => {
    // Counted first: a reverted contact takes its links with it (ON DELETE CASCADE).
    const { rows: counted } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM links WHERE org_id = $1', [
      orgId,
    ]);
    const linksRemoved = counted[0]?.n ?? 0;
    let contactsRemoved = 0;
    if (revert) {
      const { rows } = await tx.query<{ id: string }>(
        `DELETE FROM directory_contacts c
          WHERE c.source = 'salesforce'
            AND EXISTS (SELECT 1 FROM links l WHERE l.contact_id = c.id AND l.org_id = $1)
            AND NOT EXISTS (SELECT 1 FROM links l WHERE l.contact_id = c.id AND l.org_id <> $1)
          RETURNING c.id`,
        [orgId],
      );
      contactsRemoved = rows.length;
    }
    await tx.query(`DELETE FROM links WHERE org_id = $1`, [orgId]);
    await tx.query(`DELETE FROM replay_checkpoints WHERE org_id = $1`, [orgId]);
    await clearCheckpoints(tx, orgId);
    // A re-created sync reconciles from its own initial sync, and decides no deletes of the old one.
    await tx.query(`DELETE FROM reconcile_watermarks WHERE org_id = $1`, [orgId]);
    await tx.query(`DELETE FROM held_deletes WHERE org_id = $1`, [orgId]);
    await tx.query(`DELETE FROM outbox WHERE org_id = $1 AND state IN ('pending', 'processing', 'failed')`, [orgId]);
    await tx.query(`UPDATE org_connections SET settings = settings - 'initialSync', updated_at = now() WHERE id = $1`, [
      orgId,
    ]);
    const result = { linksRemoved, contactsRemoved };
    await recordAudit(tx, {
      orgId,
      contactId: null,
      recordId: null,
      origin: 'system',
      action: revert ? 'sync-deleted-and-reverted' : 'sync-deleted',
      rule: revert
        ? `removed ${contactsRemoved} Salesforce-born contacts and ${result.linksRemoved} links`
        : `forgot ${result.linksRemoved} links; contacts kept on both sides`,
      before: null,
      after: result,
    });
    return result;
  });
}
