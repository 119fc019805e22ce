import { queueRecordUpdate } from '../outbound/queueUpdate';
import type { Database } from '../../store/types';
import type { OrgSyncSettings } from '../rules/context';
import { getContact, getContacts } from '../../directory/contacts';
import { findLinkByRecord } from '../../store/state/links';
import { recordAudit } from '../../store/audit';
import { changedLinksFrom, changedPrimaryLinks } from '../../store/directorySweeps';
import { directoryToSf, sfToDirectory } from '../rules/fieldMap';
import { isSyncedObject } from '../../model/records';
import { writeBackPayload } from '../outbound/writeBackPayload';
import { stableHash } from '../rules/hash';
import { contactView } from '../rules/contactView';
import { WATERMARK_OVERLAP_MS } from './reconcileSalesforce';

/** Directory contacts passed per step of the sweep (most are passed over in SQL; the rest are read in one go). */
const PAGE = 2_000;

export interface TelephonyReconcileResult {
  /** Linked contacts read and compared with what their link last saw. */
  checked: number;
  /** Linked contacts passed over: still at the version their link saw (no read needed). */
  unchanged: number;
  repaired: number;
  /** The newest directory change seen (the next watermark), or null when nothing was returned. */
  newest: string | null;
}

/**
 * The telephony side of a reconcile: linked directory contacts changed since `since` (every linked one when
 * null) whose content differs from what the link last saw, and for which no write-back is queued, in flight,
 * or parked for this very version — their write-back was lost. Each gets the missing outbox row, with only
 * the fields Salesforce does not already hold. Nothing when the sync does not write to Salesforce.
 *
 * A link that knows the contact version its hash came from (the initial sync's load) is passed over in SQL while
 * the contact is still at that version: after a load, every contact of it — the first reconcile no longer reads
 * and hashes the whole directory to repair nothing.
 *
 * Primary links only: a secondary record (another person on the same number, say) differs from the contact
 * by design — the contact shows its primary — and nothing here tells a lost edit from that difference, so
 * "repairing" it would copy the primary's name and email into someone else's record. A lost write-back to a
 * secondary is therefore not repaired here; its primary's is.
 */
export async function reconcileTelephony(
  db: Database,
  settings: OrgSyncSettings,
  since: string | null,
): Promise<TelephonyReconcileResult> {
  const result: TelephonyReconcileResult = { checked: 0, unchanged: 0, repaired: 0, newest: null };
  if (settings.policy.direction === 'toTelephony') return result;
  let after = changedLinksFrom(since ? new Date(Date.parse(since) - WATERMARK_OVERLAP_MS).toISOString() : null);
  for (;;) {
    const page = await changedPrimaryLinks(db, settings.orgId, after, PAGE);
    result.unchanged += page.unchanged;
    // The links left after the SQL pass are read once for the page; only a contact that differs from what its
    // link saw is looked at again in a transaction.
    const contacts = new Map(
      (
        await getContacts(
          db,
          page.links.map((r) => r.contactId),
        )
      ).map((c) => [c.id, c]),
    );
    for (const row of page.links) {
      result.checked++;
      const contact = contacts.get(row.contactId);
      if (contact && stableHash(contactView(contact)) === row.telephonyHash) continue;
      if (await queueMissingWriteBack(db, settings, row.recordId)) result.repaired++;
    }
    if (page.scannedTo) result.newest = page.scannedTo.updatedAt;
    if (page.scanned < PAGE || !page.scannedTo) return result;
    after = page.scannedTo;
  }
}

/**
 * Queues the write-back a directory edit should have caused, in one transaction with its audit entry.
 * As for a live edit, a field that only looks different through a one-way transform (case, E.164) is left
 * alone: the contact is compared with what Salesforce's last known values look like in the directory.
 */
async function queueMissingWriteBack(db: Database, settings: OrgSyncSettings, recordId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const link = await findLinkByRecord(tx, settings.orgId, recordId);
    if (!link?.sfValues || !isSyncedObject(link.sobject)) return false;
    const contact = await getContact(tx, link.contactId);
    if (!contact || stableHash(contactView(contact)) === link.telephonyHash) return false;
    // Every mapping read as if it flowed to telephony: a field that only flows to Salesforce has a directory
    // shape too, and it is exactly such a field whose write-back may have been lost.
    const readBoth = settings.mappings.map((m) => ({ ...m, direction: 'both' as const }));
    const asSalesforceHasIt = {
      ...contactView(contact),
      ...sfToDirectory(readBoth, link.sobject, link.sfValues, settings.defaultCountry),
    };
    const changed = writeBackPayload(link.sobject, directoryToSf(settings.mappings, link.sobject, contact), {
      operation: 'update',
      previous: directoryToSf(settings.mappings, link.sobject, asSalesforceHasIt),
      known: link.sfValues,
    });
    if (Object.keys(changed).length === 0) return false;
    await queueRecordUpdate(
      tx,
      { orgId: settings.orgId, linkId: link.id, sobject: link.sobject, recordId: link.recordId },
      contact.id,
      changed,
    );
    await recordAudit(tx, {
      orgId: settings.orgId,
      contactId: contact.id,
      recordId: link.recordId,
      origin: 'telephony',
      action: 'write-back-requeued',
      rule: `reconcile: a directory change had no write-back queued (${Object.keys(changed).join(', ')})`,
      before: link.sfValues,
      after: changed,
    });
    return true;
  });
}
