import type { Logger } from 'pino';
import type { OrgConnection } from '../../salesforce/session';
import type { Database } from '../../store/types';
import { ignorableErrors } from '../../store/state/reportedStatus';
import { markHealthIgnored } from '../../store/state/recordHealth';
import { parkRetries } from '../../store/outbox/outbox';
import { recordAudit } from '../../store/audit';
import { ignoredErrorKeys } from '../../salesforce/status/syncErrorWriter';

export interface IgnoredErrorsOptions {
  db: Database;
  orgId: string;
  conn: OrgConnection;
  namespace: string;
  syncId: string;
  logger: Logger;
}

/**
 * Honours the admins' Ignored on sync error records (the dashboard's Ignore, or State__c edited in the
 * org): the failing entries behind them are marked ignored and their writes waiting for a retry are
 * parked, each audited. Asks the org only while something is failing. Returns how many entries it marked.
 */
export async function honourIgnoredErrors(options: IgnoredErrorsOptions): Promise<number> {
  const { db, orgId, conn, namespace, syncId, logger } = options;
  const candidates = await ignorableErrors(db, orgId, syncId);
  if (candidates.length === 0) return 0;
  const ignored = await ignoredErrorKeys(conn, namespace, syncId);
  const chosen = candidates.filter((c) => ignored.has(c.errorKey));
  if (chosen.length === 0) return 0;
  return db.transaction(async (tx) => {
    const marked = await markHealthIgnored(tx, orgId, chosen);
    const parked = await parkRetries(tx, orgId, {
      contactIds: marked.filter((h) => h.side === 'telephony').map((h) => h.key),
      recordIds: marked.filter((h) => h.side === 'salesforce').map((h) => h.key),
    });
    for (const health of marked) {
      const writes = parked.filter((p) =>
        health.side === 'telephony'
          ? p.operation === 'create' && p.contactId === health.key
          : p.recordId === health.key,
      );
      await recordAudit(tx, {
        orgId,
        contactId: health.contactId ?? writes[0]?.contactId ?? null,
        recordId: health.recordId,
        origin: 'system',
        action: 'retries-ignored',
        rule: `an admin set the sync error ${health.code} to Ignored in Salesforce: ${writes.length} write(s) no longer retried`,
        before: null,
        after: null,
      });
    }
    if (marked.length > 0)
      logger.info(
        { entries: marked.length, writes: parked.length },
        'sync errors ignored in the org: their retries stopped',
      );
    return marked.length;
  });
}
