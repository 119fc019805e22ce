import type { Database } from '../../store/types';
import { getContact } from '../../directory/contacts';
import { telephonyContactsUnknownTo } from '../../store/directorySweeps';
import { queueCreate, writesToSalesforce } from '../outbound/telephonyCreate';
import type { OrgSyncSettings } from '../rules/context';

const BATCH = 500;

export interface PushResult {
  queued: number;
  excluded: number;
}

/**
 * After the initial snapshot: every contact born in the phone system that this org has no record of — not
 * linked in it, no create already queued, sent or parked, not excluded from it — gets a create queued
 * for the sync's default object (the write-back worker sends them, Collections or Bulk ingest by volume),
 * or is recorded as excluded by the create rules. Nothing when the sync does not write to Salesforce.
 *
 * Only telephony-born contacts: a contact that came from another org's Salesforce belongs to that org,
 * and one left from a deleted sync was matched by the snapshot if its record still exists. Safe to run
 * again (a resumed initial sync does): what was queued is skipped.
 */
export async function queueTelephonyOnlyContacts(
  db: Database,
  settings: OrgSyncSettings,
  signal?: AbortSignal,
): Promise<PushResult> {
  const result: PushResult = { queued: 0, excluded: 0 };
  if (!writesToSalesforce(settings)) return result;
  let after: string | null = null;
  for (;;) {
    signal?.throwIfAborted();
    const ids = await telephonyContactsUnknownTo(db, settings.orgId, after, BATCH);
    if (ids.length === 0) return result;
    await db.transaction(async (tx) => {
      for (const id of ids) {
        const contact = await getContact(tx, id);
        if (!contact) continue;
        const verdict = await queueCreate(tx, settings, contact);
        if (verdict === 'queued') result.queued++;
        if (verdict === 'excluded') result.excluded++;
      }
    });
    after = ids[ids.length - 1];
  }
}
