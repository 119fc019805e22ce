import { queueRecordUpdate } from '../outbound/queueUpdate';
import type { Database } from '../../store/types';
import type { OrgSyncSettings } from '../rules/context';
import { getContact, getContacts } from '../../directory/contacts';
import { findLinkByRecord } from '../../store/state/links';
import { recordAudit } from '../../store/audit';
import { iso } from '../../store/values';
import { directoryToSf, sfToDirectory } from '../rules/fieldMap';
import { isSyncedObject } from '../../model/records';
import { writeBackPayload } from '../outbound/writeBackPayload';
import { stableHash } from '../rules/hash';
import { contactView } from '../rules/contactView';
import { WATERMARK_OVERLAP_MS } from './reconcileSalesforce';

const PAGE = 500;

interface ChangedLinkRow {
  record_id: string;
  contact_id: string;
  telephony_hash: string | null;
  updated_at: Date;
  /** updated_at as the server writes it, to the microsecond: the keyset cursor. */
  updated_at_exact: string;
}

export interface TelephonyReconcileResult {
  checked: number;
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
 * Primary links only: a secondary record (another person on the same number, say) differs from the contact
 * by design — the contact shows its primary — and nothing here tells a lost edit from that difference, so
 * "repairing" it would copy the primary's name and email into someone else's record. A lost write-back to a
 * secondary is therefore not repaired here; its primary's is.
 */
export async function reconcileTelephony(db: Database, settings: OrgSyncSettings, since: string | null): Promise<TelephonyReconcileResult> {
  const result: TelephonyReconcileResult = { checked: 0, repaired: 0, newest: null };
  if (settings.policy.direction === 'toTelephony') return result;
  const from = since ? new Date(Date.parse(since) - WATERMARK_OVERLAP_MS).toISOString() : '-infinity';
  // Keyset on (updated_at, contact id), the index's order; the first page starts after every contact of
  // `from` (no id sorts after the largest uuid), so "changed after from" holds as before.
  let after = { at: from, contactId: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };
  for (;;) {
    const { rows }: { rows: ChangedLinkRow[] } = await db.query<ChangedLinkRow>(
      `SELECT l.record_id, l.contact_id, l.telephony_hash, c.updated_at, c.updated_at::text AS updated_at_exact
         FROM directory_contacts c JOIN links l ON l.contact_id = c.id AND l.org_id = $1 AND l.role = 'primary'
        WHERE (c.updated_at, c.id) > ($2::timestamptz, $3::uuid)
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.org_id = l.org_id AND o.record_id = l.record_id
                AND (o.state IN ('pending', 'processing') OR (o.state = 'failed' AND o.created_at >= c.updated_at)))
        ORDER BY c.updated_at, c.id LIMIT $4`,
      [settings.orgId, after.at, after.contactId, PAGE],
    );
    // A contact the link saw as it is (the common case: after an initial sync, every contact of it) is
    // passed over on the page's two reads; only the others are looked at again in a transaction.
    const contacts = new Map((await getContacts(db, rows.map((r) => r.contact_id))).map((c) => [c.id, c]));
    for (const row of rows) {
      result.checked++;
      const contact = contacts.get(row.contact_id);
      if (contact && stableHash(contactView(contact)) === row.telephony_hash) continue;
      if (await queueMissingWriteBack(db, settings, row.record_id)) result.repaired++;
    }
    const last: ChangedLinkRow | undefined = rows[rows.length - 1];
    if (last) result.newest = iso(last.updated_at);
    if (rows.length < PAGE || !last) return result;
    // Not the JavaScript date (milliseconds): contacts changed in one transaction share one timestamp to
    // the microsecond, and a cursor a fraction of a millisecond behind it fetched the same page forever.
    after = { at: last.updated_at_exact, contactId: last.contact_id };
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
    const asSalesforceHasIt = { ...contactView(contact), ...sfToDirectory(readBoth, link.sobject, link.sfValues, settings.defaultCountry) };
    const changed = writeBackPayload(link.sobject, directoryToSf(settings.mappings, link.sobject, contact), {
      operation: 'update',
      previous: directoryToSf(settings.mappings, link.sobject, asSalesforceHasIt),
      known: link.sfValues,
    });
    if (Object.keys(changed).length === 0) return false;
    await queueRecordUpdate(tx, { orgId: settings.orgId, linkId: link.id, sobject: link.sobject, recordId: link.recordId }, contact.id, changed);
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
