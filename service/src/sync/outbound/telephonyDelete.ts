import type { Database } from '../../store/types';
import type { DirectoryContact } from '../../directory/model';
import { deleteContact, getContact } from '../../directory/contacts';
import { cancelPendingCreates, enqueueOutbox } from '../../store/outbox/outbox';
import { clearFailingHealth, clearRecordHealth, healthOfContact } from '../../store/state/recordHealth';
import { recordAudit } from '../../store/audit';
import { findLinksByContact } from '../../store/state/links';
import { stableHash } from '../rules/hash';
import { contactView } from '../rules/contactView';
import { writesToSalesforce } from './telephonyCreate';
import type { SettingsLookup } from '../rules/context';

export interface TelephonyDeleteResult {
  contact: DirectoryContact;
  /** Linked records queued for deletion in Salesforce (the org propagates deletes to Salesforce). */
  deleting: Array<{ orgId: string; sobject: string; recordId: string }>;
  /** Linked records left in Salesforce, no longer linked. */
  unlinked: Array<{ orgId: string; sobject: string; recordId: string }>;
  /** Creates not yet sent, withdrawn. */
  withdrawnCreates: number;
}

/**
 * A contact deleted on the telephony side, in one transaction: the directory row goes (its phones and
 * links with it), and each linked record is queued for deletion where the org's sync propagates deletes
 * to Salesforce (and its direction lets telephony changes through), otherwise just unlinked. The outbox
 * row keeps the record id, since the link is gone by the time the worker sends it.
 */
export async function deleteContactFromTelephony(
  db: Database,
  settingsOf: SettingsLookup,
  contactId: string,
): Promise<TelephonyDeleteResult | null> {
  return db.transaction(async (tx) => {
    const contact = await getContact(tx, contactId);
    if (!contact) return null;
    const result: TelephonyDeleteResult = { contact, deleting: [], unlinked: [], withdrawnCreates: 0 };
    for (const link of await findLinksByContact(tx, contactId)) {
      const settings = settingsOf(link.orgId);
      const propagate =
        settings !== undefined && writesToSalesforce(settings) && settings.policy.propagateDeletes.toSalesforce;
      const target = { orgId: link.orgId, sobject: link.sobject, recordId: link.recordId };
      if (propagate) {
        await enqueueOutbox(tx, {
          ...target,
          contactId,
          linkId: link.id,
          operation: 'delete',
          payload: {},
          payloadHash: stableHash({}),
        });
        result.deleting.push(target);
      } else {
        // Nothing will be written to this record any more: a failure reported for it is moot.
        await clearFailingHealth(tx, link.orgId, 'salesforce', [link.recordId]);
        result.unlinked.push(target);
      }
      await recordAudit(tx, {
        orgId: link.orgId,
        contactId,
        recordId: link.recordId,
        origin: 'telephony',
        action: propagate ? 'delete-queued' : 'unlink',
        rule: propagate
          ? `deleted in the directory; the ${link.sobject} is deleted in Salesforce (deletes propagate to Salesforce)`
          : `deleted in the directory; the ${link.sobject} stays in Salesforce (${reasonKept(settings)})`,
        before: link.sfValues,
        after: null,
      });
    }
    result.withdrawnCreates = await cancelPendingCreates(tx, contactId);
    for (const health of await healthOfContact(tx, contactId)) {
      if (health.side === 'telephony') await clearRecordHealth(tx, health.orgId, 'telephony', health.key);
    }
    await deleteContact(tx, contactId);
    await recordAudit(tx, {
      orgId: null,
      contactId,
      recordId: null,
      origin: 'telephony',
      action: 'delete',
      rule: `deleted in the directory; ${result.deleting.length} Salesforce delete(s) queued, ${result.unlinked.length} record(s) unlinked`,
      before: contactView(contact),
      after: null,
    });
    return result;
  });
}

function reasonKept(settings: ReturnType<SettingsLookup>): string {
  if (!settings) return 'the org is not connected';
  if (!writesToSalesforce(settings)) return 'the sync does not write to Salesforce';
  return 'deletes do not propagate to Salesforce';
}
