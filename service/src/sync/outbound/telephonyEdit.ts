import { lockMatchKeys } from '../../store/state/matchKeyLocks';
import { addedMatchKeys } from '../rules/matching';
import { queueRecordUpdate } from './queueUpdate';
import type { Database } from '../../store/types';
import type { ContactFields, DirectoryContact } from '../../directory/model';
import { getContact, updateContact } from '../../directory/contacts';
import { findLinksByContact } from '../../store/state/links';
import { recordAudit } from '../../store/audit';
import { writeBackPayload } from './writeBackPayload';
import { isSyncedObject } from '../../model/records';
import { directoryToSf } from '../rules/fieldMap';
import type { SettingsLookup } from '../rules/context';
import { contactView } from '../rules/contactView';

export class VersionConflictError extends Error {
  constructor(
    readonly contactId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`contact ${contactId} is at version ${actual}, not ${expected}: reload it and apply the edit again`);
    this.name = 'VersionConflictError';
  }
}

export interface TelephonyEditResult {
  contact: DirectoryContact;
  /** One per linked Salesforce record whose mapped fields the edit changed. */
  queuedWriteBacks: number;
}

/**
 * A telephony-side edit: the directory change and one outbox row per linked Salesforce record (in every
 * org) commit together, so a write-back is never lost and never sent for an edit that rolled back. Only
 * fields whose value differs from what Salesforce last had are sent.
 */
export async function editContactFromTelephony(
  db: Database,
  settingsOf: SettingsLookup,
  contactId: string,
  fields: ContactFields,
  expectedVersion?: number,
): Promise<TelephonyEditResult | null> {
  return db.transaction(async (tx) => {
    const before = await getContact(tx, contactId);
    if (!before) return null;
    if (expectedVersion !== undefined && expectedVersion !== before.version) {
      throw new VersionConflictError(contactId, expectedVersion, before.version);
    }
    await lockMatchKeys(tx, addedMatchKeys(before, fields));
    const after = await updateContact(tx, contactId, fields);
    if (!after) return null;
    let queued = 0;
    for (const link of await findLinksByContact(tx, contactId)) {
      const settings = settingsOf(link.orgId);
      // A sync running Salesforce → telephony only never writes to Salesforce.
      if (!settings || !isSyncedObject(link.sobject) || settings.policy.direction === 'toTelephony') continue;
      // Only what this edit changed goes back, and only where Salesforce does not already hold it: a
      // field that merely looks different through a one-way transform (case, E.164) is left alone.
      const changed = writeBackPayload(link.sobject, directoryToSf(settings.mappings, link.sobject, after), {
        operation: 'update',
        previous: directoryToSf(settings.mappings, link.sobject, before),
        known: link.sfValues ?? {},
      });
      if (Object.keys(changed).length === 0) continue;
      await queueRecordUpdate(
        tx,
        { orgId: link.orgId, linkId: link.id, sobject: link.sobject, recordId: link.recordId },
        contactId,
        changed,
      );
      queued++;
    }
    await recordAudit(tx, {
      orgId: null,
      contactId,
      recordId: null,
      origin: 'telephony',
      action: 'update',
      rule: queued > 0 ? `edited in the directory; ${queued} write-back(s) queued` : 'edited in the directory',
      before: contactView(before),
      after: contactView(after),
    });
    return { contact: after, queuedWriteBacks: queued };
  });
}
