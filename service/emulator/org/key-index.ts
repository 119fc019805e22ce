import { fieldsOf, findField, type FieldDef, type SObjectName } from './schema';
import { isBlank } from './field-rules';
import type { SfError, SfRecord } from './records';

/** How an external id compares: exactly when the field is case-sensitive, ignoring case otherwise. */
export function normaliseKey(def: FieldDef, value: string): string {
  return def.caseSensitive ? value : value.toLowerCase();
}

/**
 * The live records by the values of their external-id and unique fields, so upsert matching and the
 * DUPLICATE_VALUE check need no scan. Seeded records hold no such values: only written ones are indexed.
 */
export class KeyIndex {
  /** `Object.Field` → normalised value → ids of the live records holding it. */
  private readonly values = new Map<string, Map<string, Set<string>>>();

  constructor(private readonly personAccounts: boolean) {}

  /** The field, when it can key an upsert: an external id (or unique) field of the object. */
  externalIdField(sobject: SObjectName, name: string): FieldDef | undefined {
    const def = findField(sobject, name, this.personAccounts);
    return def && (def.externalId || def.unique) && def.type !== 'textarea' ? def : undefined;
  }

  /** Ids of the live records whose external-id (or unique) field holds the value. */
  find(sobject: SObjectName, field: string, value: string): string[] {
    const def = this.externalIdField(sobject, field);
    return def ? this.holders(sobject, def, value) : [];
  }

  /** DUPLICATE_VALUE when a unique field's value is held by another live record or an earlier row of the batch. */
  uniqueConflict(sobject: SObjectName, record: SfRecord, claimed: Map<string, string>): SfError | undefined {
    for (const def of this.keyFields(sobject)) {
      const value = record[def.name];
      if (!def.unique || isBlank(value)) continue;
      const key = `${def.name}|${normaliseKey(def, String(value))}`;
      const holders = this.holders(sobject, def, String(value));
      const other =
        holders.find((id) => id !== record.Id) ??
        (claimed.has(key) && claimed.get(key) !== record.Id ? claimed.get(key) : undefined);
      if (other) {
        return {
          statusCode: 'DUPLICATE_VALUE',
          message: `duplicate value found: ${def.name} duplicates value on record with id: ${other}`,
          fields: [],
        };
      }
      claimed.set(key, record.Id);
    }
    return undefined;
  }

  /** Keeps the index in step with a committed change (`after` is null for a delete). */
  reindex(sobject: SObjectName, before: SfRecord | null, after: SfRecord | null): void {
    for (const def of this.keyFields(sobject)) {
      const slot = `${sobject}.${def.name}`;
      let values = this.values.get(slot);
      if (!values) this.values.set(slot, (values = new Map()));
      const old = before?.[def.name];
      if (!isBlank(old)) {
        const ids = values.get(normaliseKey(def, String(old)));
        ids?.delete(before?.Id ?? '');
        if (ids?.size === 0) values.delete(normaliseKey(def, String(old)));
      }
      const next = after?.[def.name];
      if (!isBlank(next) && after) {
        const key = normaliseKey(def, String(next));
        const ids = values.get(key) ?? new Set<string>();
        ids.add(after.Id);
        values.set(key, ids);
      }
    }
  }

  private holders(sobject: SObjectName, def: FieldDef, value: string): string[] {
    return [...(this.values.get(`${sobject}.${def.name}`)?.get(normaliseKey(def, value)) ?? [])];
  }

  private keyFields(sobject: SObjectName): FieldDef[] {
    return fieldsOf(sobject, this.personAccounts).filter((def) => def.externalId || def.unique);
  }
}
