import type { Queryable } from '../../store/types';
import type { SyncedObject } from '../../model/records';
import { recordAudit } from '../../store/audit';
import { describeCleaning, type FieldCleaning } from '../rules/storableText';
import type { OrgSyncSettings } from '../rules/context';
import type { RecordOutcome } from './recordOutcome';

/**
 * Audits that a record's text was cleaned to be storable (rules/storableText.ts), naming the record and
 * its fields. Only when the cleaned values were acted on: a record read again unchanged (a reconcile's
 * overlap, a resumed page, a duplicate event) is not audited again for text already reported.
 */
export async function auditCleaning(
  tx: Queryable,
  settings: OrgSyncSettings,
  objectName: SyncedObject,
  recordId: string,
  cleaned: FieldCleaning[],
  result: { outcome: RecordOutcome; contactId: string | null },
  rule: string,
): Promise<void> {
  if (cleaned.length === 0 || result.outcome === 'unchanged' || result.outcome === 'stale') return;
  await recordAudit(tx, {
    orgId: settings.orgId,
    contactId: result.contactId,
    recordId,
    origin: 'salesforce',
    action: 'cleaned',
    rule: `${rule}: ${objectName} ${recordId} held text Postgres cannot store, cleaned: ${describeCleaning(cleaned)}`,
    before: null,
    after: { fields: cleaned },
  });
}
