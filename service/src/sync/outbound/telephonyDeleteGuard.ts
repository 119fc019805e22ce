import type { Database } from '../../store/types';
import {
  countUnapprovedDeletes,
  decideHeldOutboxDeletes,
  heldOutboxDeletes,
  holdUnapprovedDeletes,
} from '../../store/outbox/heldOutboxDeletes';
import { countRecentDeletesSentToSalesforce, recordAudit } from '../../store/audit';
import { countLinks } from '../../store/state/links';
import { heldSummary } from '../../store/state/heldDeletes';
import { decideMassDelete, EVENT_WINDOW_MINUTES } from '../rules/massDeleteGuard';
import type { OrgSyncSettings } from '../rules/context';

export interface HeldQueuedDeletes {
  /** Outbox rows now held (claimed ones included: the worker must not send them). */
  ids: string[];
  reason: string;
}

/**
 * The mass-deletion guard for the other direction: contacts deleted in the directory queue deletes of
 * their linked Salesforce records, and before the worker sends any, the unapproved ones queued now —
 * with those sent in the last EVENT_WINDOW_MINUTES — are judged against the org's linked records before
 * them (links now + queued + sent in the window, since a queued delete's link is already gone). Above the
 * threshold (and never below the guard's minimum), every unapproved queued delete is held for an admin,
 * who resumes the sync (they are sent) or discards them (the records stay in Salesforce). Deletes an
 * admin approved are never judged again.
 */
export async function guardQueuedDeletes(db: Database, settings: OrgSyncSettings): Promise<HeldQueuedDeletes | null> {
  const { orgId } = settings;
  return db.transaction(async (tx) => {
    const incoming = await countUnapprovedDeletes(tx, orgId);
    if (incoming === 0) return null;
    const held = (await heldOutboxDeletes(tx, orgId)).deletes + ((await heldSummary(tx, orgId))?.deletes ?? 0);
    const decision = decideMassDelete({
      linked: (await countLinks(tx, orgId)) + incoming,
      recent: await countRecentDeletesSentToSalesforce(tx, orgId, EVENT_WINDOW_MINUTES),
      incoming,
      thresholdPercent: settings.policy.massDeleteThresholdPercent,
      alreadyHeld: held,
      side: 'telephony',
    });
    if (!decision.hold || !decision.reason) return null;
    const ids = await holdUnapprovedDeletes(tx, orgId, decision.reason);
    await recordAudit(tx, {
      orgId,
      contactId: null,
      recordId: null,
      origin: 'telephony',
      action: 'deletes-held',
      rule: decision.reason,
      before: null,
      after: { deletes: ids.length },
    });
    return { ids, reason: decision.reason };
  });
}

/** The admin's decision on held directory deletes (resume approves, discard drops), each audited. Returns how many. */
export async function decideQueuedDeletes(db: Database, orgId: string, approve: boolean): Promise<number> {
  return db.transaction(async (tx) => {
    const decided = await decideHeldOutboxDeletes(tx, orgId, approve);
    for (const row of decided) {
      await recordAudit(tx, {
        orgId,
        contactId: row.contactId,
        recordId: row.recordId,
        origin: 'telephony',
        action: approve ? 'delete-approved' : 'delete-discarded',
        rule: approve
          ? `held delete approved (the sync was resumed): the ${row.sobject} is deleted in Salesforce`
          : `held delete discarded: the ${row.sobject} stays in Salesforce, no longer linked`,
        before: null,
        after: null,
      });
    }
    return decided.length;
  });
}
