import type { SfChangeRecord, SfValue, SyncedObject } from '../../model/records';
import type { ContactFields } from '../../directory/model';
import type { OrgSyncSettings } from './context';
import { mappedSfValues, sfToDirectory } from './fieldMap';
import { stableHash } from './hash';
import { storableValues } from './storableText';
import { checkValidity, type Verdict } from './validity';

/** What a link remembers of its record: the values and their hash, and the SystemModstamp they came with. */
export interface LinkMemory {
  sfValues: Record<string, SfValue> | null;
  sfHash: string | null;
  sfModstamp: string | null;
}

/** A record's values as the directory takes them: the link's values fill in for fields the record does not carry. */
export interface MappedRecord {
  values: Record<string, SfValue>;
  sfHash: string;
  fields: ContactFields;
}

export function mappedRecord(
  settings: OrgSyncSettings,
  objectName: SyncedObject,
  recordValues: Record<string, SfValue>,
  link: LinkMemory | null,
): MappedRecord {
  // Events carry every mapped field; the link's values fill in for a caller that sends fewer.
  const values = mappedSfValues(settings.mappings, objectName, { ...(link?.sfValues ?? {}), ...recordValues });
  const fields = sfToDirectory(settings.mappings, objectName, values, settings.defaultCountry);
  return { values, sfHash: stableHash(values), fields };
}

/** The sync's validity rules on a mapped record (what the apply, the batch apply and the reconcile all ask). */
export function validityOf(
  settings: OrgSyncSettings,
  objectName: SyncedObject,
  mapped: Pick<MappedRecord, 'values' | 'fields'>,
): Verdict {
  return checkValidity({
    rules: settings.policy.validity,
    mappings: settings.mappings,
    sobject: objectName,
    defaultCountry: settings.defaultCountry,
    values: mapped.values,
    fields: mapped.fields,
  });
}

/** A record stamped before what its link saw: applying it would undo a later change. */
export function isOlder(incoming: string | null, known: string | null): boolean {
  if (!incoming || !known) return false;
  return Date.parse(incoming) < Date.parse(known);
}

/**
 * Whether applying a linked record would leave everything as it is, decided without I/O: it is older than what
 * its link saw, or its values are those the link holds and still pass the validity rules (on a sync that writes
 * to the directory). False means "not known here" — text to clean and audit, values that differ (maybe the echo
 * of our own write, which needs the outbox) — and the record goes through the apply rules. A reconcile after a
 * load passes most records this way instead of a transaction of reads each (sync/reconcile/reconcileSalesforce.ts).
 */
export function unchangedForLink(
  settings: OrgSyncSettings,
  objectName: SyncedObject,
  record: SfChangeRecord,
  link: LinkMemory,
): boolean {
  if (isOlder(record.systemModstamp, link.sfModstamp)) return true;
  if (storableValues(record.values).cleaned.length > 0) return false;
  const mapped = mappedRecord(settings, objectName, record.values, link);
  if (mapped.sfHash !== link.sfHash) return false;
  if (settings.policy.direction === 'toSalesforce') return true;
  return validityOf(settings, objectName, mapped).ok;
}

/**
 * The values are what Salesforce holds, or will hold once our queued or in-flight write-backs land: the
 * echo of our own write. The link and the payloads come from one statement (findLinkWithInflight), so a
 * write-back settling meanwhile (which moves its values from the outbox into the link) is seen on one
 * side or the other.
 */
export function isEchoOfOwnWrite(
  link: Pick<LinkMemory, 'sfValues'>,
  inflight: Array<Record<string, unknown>>,
  values: Record<string, SfValue>,
  sfHash: string,
): boolean {
  const expected: Record<string, unknown> = { ...(link.sfValues ?? {}) };
  for (const payload of inflight) Object.assign(expected, payload);
  const comparable: Record<string, unknown> = {};
  for (const key of Object.keys(values)) comparable[key] = expected[key] ?? null;
  return stableHash(comparable) === sfHash;
}
