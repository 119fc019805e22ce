import type { Database, Queryable } from '../../store/types';
import type { SyncPolicy, OrgSyncSettings } from '../rules/context';
import { deleteContact, getContact } from '../../directory/contacts';
import type { DirectoryContact } from '../../directory/model';
import {
  countLinks,
  deleteLink,
  findLinkByRecord,
  findLinksByContact,
  linkedContactsByRecord,
} from '../../store/state/links';
import { countRecentSalesforceDeletes, recordAudit, type AuditOrigin } from '../../store/audit';
import { contactView } from '../rules/contactView';
import { promoteNextPrimary } from './promotion';
import { getRecordHealth } from '../../store/state/recordHealth';
import {
  heldRecordIds,
  heldSummary,
  holdDeletes,
  takeHeldDeletes,
  type HeldDelete,
} from '../../store/state/heldDeletes';
import { heldOutboxDeletes } from '../../store/outbox/heldOutboxDeletes';
import type { DeleteCandidate } from '../../model/records';
import { decideMassDelete, EVENT_WINDOW_MINUTES } from '../rules/massDeleteGuard';

export type DeleteOutcome = 'deleted' | 'unlinked' | 'missing' | 'held';

export interface DeleteRunResult {
  outcomes: Array<{ recordId: string; outcome: DeleteOutcome; contactId: string | null }>;
  /** Set when the guard held this run's deletes: the org must pause until an admin decides. */
  held: { deletes: number; reason: string } | null;
}

/** Whether a Salesforce delete may take the directory contact with it (else it only unlinks). */
export function deletesPropagate(policy: Pick<SyncPolicy, 'direction' | 'propagateDeletes'>): boolean {
  return policy.propagateDeletes.toTelephony && policy.direction !== 'toSalesforce';
}

/**
 * Salesforce records gone from the sync (deleted, or out of its scope), from one change event or one
 * reconcile run: the mass-deletion guard first (it judges only deletes that would remove contacts, so
 * never when deletes do not propagate), then each record through applySalesforceDelete — or, held, into
 * held_deletes. Runs inside the caller's transaction, so an event's held deletes and its replay id
 * commit together.
 */
export async function applySalesforceDeletes(
  tx: Queryable,
  settings: OrgSyncSettings,
  candidates: DeleteCandidate[],
  origin: HeldDelete['origin'],
  rule: string,
): Promise<DeleteRunResult> {
  const linked = await linkedContactsByRecord(
    tx,
    settings.orgId,
    candidates.map((c) => c.recordId),
  );
  const toRemove = candidates.filter((c) => linked.has(c.recordId));
  const result: DeleteRunResult = { outcomes: [], held: null };
  for (const c of candidates)
    if (!linked.has(c.recordId)) result.outcomes.push({ recordId: c.recordId, outcome: 'missing', contactId: null });
  if (toRemove.length === 0) return result;

  if (deletesPropagate(settings.policy)) {
    const held = await heldBefore(
      tx,
      settings.orgId,
      toRemove.map((c) => c.recordId),
    );
    const decision = decideMassDelete({
      linked: await countLinks(tx, settings.orgId),
      recent: origin === 'event' ? await countRecentSalesforceDeletes(tx, settings.orgId, EVENT_WINDOW_MINUTES) : 0,
      incoming: toRemove.length,
      incomingHeld: held.among,
      thresholdPercent: settings.policy.massDeleteThresholdPercent,
      alreadyHeld: held.salesforce + held.directory,
      heldDirectory: held.directory,
    });
    if (decision.hold && decision.reason) {
      await holdDeletes(
        tx,
        settings.orgId,
        toRemove.map((c) => ({ ...c, origin, reason: decision.reason as string })),
      );
      await recordAudit(tx, {
        orgId: settings.orgId,
        contactId: null,
        recordId: null,
        origin: 'system',
        action: 'deletes-held',
        rule: `${rule}: ${decision.reason}`,
        before: null,
        after: { held: toRemove.map((c) => c.recordId) },
      });
      for (const c of toRemove)
        result.outcomes.push({ recordId: c.recordId, outcome: 'held', contactId: linked.get(c.recordId) ?? null });
      result.held = await heldSummary(tx, settings.orgId);
      return result;
    }
  }
  for (const c of toRemove)
    result.outcomes.push({
      recordId: c.recordId,
      ...(await applySalesforceDelete(tx, settings, c, rule, 'salesforce')),
    });
  return result;
}

/**
 * What the guard counts as already held before a run: the org's held Salesforce deletes, its held
 * directory deletes (queued deletes of Salesforce records: both wait for the same admin decision), and
 * how many of the run's records are among the first (a reconcile finding records whose deletes events
 * held already): those are not counted twice.
 */
export async function heldBefore(
  tx: Queryable,
  orgId: string,
  recordIds: string[],
): Promise<{ salesforce: number; directory: number; among: number }> {
  return {
    salesforce: (await heldSummary(tx, orgId))?.deletes ?? 0,
    directory: (await heldOutboxDeletes(tx, orgId)).deletes,
    among: (await heldRecordIds(tx, orgId, recordIds)).size,
  };
}

/**
 * One Salesforce record gone from the sync: its link goes; the directory contact goes with it only when
 * deletes propagate to telephony, it came from Salesforce, and no other record still links it. Otherwise
 * the contact stays, and the audit entry says why.
 */
export async function applySalesforceDelete(
  tx: Queryable,
  settings: OrgSyncSettings,
  candidate: DeleteCandidate,
  rule: string,
  origin: AuditOrigin,
  keep?: string,
): Promise<{ outcome: DeleteOutcome; contactId: string | null }> {
  const link = await findLinkByRecord(tx, settings.orgId, candidate.recordId);
  if (!link) return { outcome: 'missing', contactId: null };
  const before = await getContact(tx, link.contactId);
  await deleteLink(tx, link.id);
  const otherLinks = before ? (await findLinksByContact(tx, before.id)).length : 0;
  const why = keep ?? keptBecause(settings.policy, before, otherLinks, candidate.cause);
  const remove = before !== null && why === null;
  if (remove) await deleteContact(tx, before.id);
  const cause = `${candidate.sobject} ${candidate.recordId} ${CAUSE_TEXT[candidate.cause]}`;
  await recordAudit(tx, {
    orgId: settings.orgId,
    contactId: before?.id ?? null,
    recordId: candidate.recordId,
    origin,
    action: remove ? 'delete' : 'unlink',
    rule: `${rule}: ${cause}${why ? `; ${why}` : ''}`,
    before: before ? contactView(before) : null,
    after: null,
  });
  // The org's next record for this person takes over as the one the directory shows (sync/inbound/promotion.ts).
  if (before && !remove && link.role === 'primary') await promoteNextPrimary(tx, settings, before.id, rule, link);
  return { outcome: remove ? 'deleted' : 'unlinked', contactId: link.contactId };
}

const CAUSE_TEXT: Record<DeleteCandidate['cause'], string> = {
  deleted: 'deleted',
  'out-of-scope': "left the sync's scope",
  excluded: 'excluded by the validity rules',
};

/**
 * Why a gone record's directory contact stays, or null when it goes with it. An excluded record's
 * contact leaves whatever the delete propagation says: the rules keep it out of the directory.
 */
function keptBecause(
  policy: SyncPolicy,
  contact: DirectoryContact | null,
  otherLinks: number,
  cause: DeleteCandidate['cause'],
): string | null {
  if (contact === null) return 'the directory contact was already gone';
  if (policy.direction === 'toSalesforce') return 'contact kept: the sync runs telephony → Salesforce only';
  if (cause !== 'excluded' && !deletesPropagate(policy)) return 'contact kept: deletes do not propagate to telephony';
  if (contact.source !== 'salesforce') return 'contact kept: it was created in the phone system';
  if (otherLinks > 0) return `contact kept: still linked to ${otherLinks} other record(s)`;
  return null;
}

const HELD_BATCH = 500;

/**
 * The admin's decision on held deletes, in batches of HELD_BATCH per transaction: approve applies them as
 * they would have been; discard keeps every contact and only drops the links to the gone records (nothing
 * is re-linked). Audited as the system's doing (so approved deletes do not count towards the guard's
 * window again). Returns how many were decided.
 */
export async function decideHeldDeletes(db: Database, settings: OrgSyncSettings, approve: boolean): Promise<number> {
  let done = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const held = await takeHeldDeletes(tx, settings.orgId, HELD_BATCH);
      for (const h of held) {
        const rule = approve ? 'held delete approved by an admin' : 'held delete discarded by an admin';
        // An exclusion whose entry is gone meanwhile (the sync was deleted and set up again) is not applied.
        if (
          h.cause === 'excluded' &&
          (await getRecordHealth(tx, settings.orgId, 'salesforce', h.recordId))?.state !== 'excluded'
        )
          continue;
        await applySalesforceDelete(
          tx,
          settings,
          h,
          rule,
          'system',
          approve ? undefined : 'contact kept: the admin discarded the delete',
        );
      }
      return held.length;
    });
    done += batch;
    if (batch < HELD_BATCH) return done;
  }
}
