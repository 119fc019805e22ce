import type { Database } from '../../store/types';
import type { OrgConnection } from '../../salesforce/session';
import { queryRecords } from '../../salesforce/queries/recordQueries';
import type { SfChangeRecord, SyncedObject } from '../../model/records';
import { SYNCED_OBJECTS } from '../../model/records';
import { applyUpsert } from './applyChange';
import { retryWritesNow } from '../../store/outbox/outbox';
import { mappingsFor } from '../rules/fieldMap';
import type { OrgSyncSettings } from '../rules/context';
import { isSalesforceId } from '../../model/ids';

const KEY_PREFIX: Record<string, SyncedObject> = { '003': 'Contact', '00Q': 'Lead', '001': 'Account' };

/**
 * "Sync these records now" (the Flow action, and the dashboard's Retry on a sync error): reads the
 * records' mapped fields with one query per object and applies them like change events. Their parked or
 * backing-off write-backs become due at once — first, in the same transaction, so the conflict rules see
 * them as queued and trim what Salesforce now wins. Ids are validated before they reach SOQL; unknown
 * prefixes and records of objects the sync does not cover are reported back, not guessed at.
 */
export async function syncRecordsNow(
  db: Database,
  conn: OrgConnection,
  settings: OrgSyncSettings,
  recordIds: string[],
): Promise<{ applied: number; retried: number; skipped: Array<{ recordId: string; reason: string }> }> {
  const byObject = new Map<SyncedObject, string[]>();
  const skipped: Array<{ recordId: string; reason: string }> = [];
  for (const id of recordIds) {
    const sobject = isSalesforceId(id) ? KEY_PREFIX[id.slice(0, 3)] : undefined;
    if (!sobject) skipped.push({ recordId: id, reason: 'not a Contact, Lead or Person Account id' });
    else if (!settings.objects.includes(sobject))
      skipped.push({ recordId: id, reason: `${sobject} is not synced by this sync` });
    else byObject.set(sobject, [...(byObject.get(sobject) ?? []), id]);
  }
  let applied = 0;
  let retried = 0;
  for (const sobject of SYNCED_OBJECTS) {
    const ids = byObject.get(sobject);
    if (!ids) continue;
    const fields = new Set(['Id', 'SystemModstamp', ...mappingsFor(settings.mappings, sobject).map((m) => m.sfField)]);
    const records = await queryRecords(conn, { sobject, fields, ids });
    const found = new Set<string>();
    await db.transaction(async (tx) => {
      retried += await retryWritesNow(tx, settings.orgId, ids);
      for (const row of records) {
        const record = toChangeRecord(row, [...fields]);
        found.add(record.id.slice(0, 15));
        await applyUpsert(tx, settings, sobject, record, 'sync records now');
        applied++;
      }
    });
    for (const id of ids)
      if (!found.has(id.slice(0, 15)))
        skipped.push({ recordId: id, reason: 'not found, deleted, or not visible to the integration user' });
  }
  return { applied, retried, skipped };
}

/**
 * A REST query row (relationship fields nested) as the flat values a change event carries; a selected path
 * whose parent is empty (no Account) is null, as the trigger would send it.
 */
export function toChangeRecord(row: Record<string, unknown>, selected: string[]): SfChangeRecord {
  const values: SfChangeRecord['values'] = {};
  const flatten = (prefix: string, obj: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(obj)) {
      if (key === 'attributes') continue;
      if (value !== null && typeof value === 'object') flatten(`${prefix}${key}.`, value as Record<string, unknown>);
      else values[`${prefix}${key}`] = (value ?? null) as string | number | boolean | null;
    }
  };
  flatten('', row);
  for (const path of selected) if (path.includes('.') && !(path in values)) values[path] = null;
  for (const key of Object.keys(values)) if (!selected.includes(key)) delete values[key];
  const { Id, SystemModstamp, ...rest } = values;
  return { id: String(Id), systemModstamp: typeof SystemModstamp === 'string' ? SystemModstamp : null, values: rest };
}
