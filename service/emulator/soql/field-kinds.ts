import type { FieldDef } from '../org/schema';
import type { FieldValue } from '../org/store';

/**
 * How SOQL compares and sorts a field. Text compares case-insensitively; ids compare exactly
 * (they are case-sensitive); datetimes are stored as fixed-width UTC ISO strings, so comparing
 * the strings compares the instants.
 */
export type FieldKind = 'text' | 'id' | 'boolean' | 'number' | 'datetime' | 'date' | 'longText';

export function kindOf(def: FieldDef): FieldKind {
  switch (def.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'boolean':
      return 'boolean';
    case 'int':
    case 'double':
      return 'number';
    case 'datetime':
      return 'datetime';
    case 'date':
      return 'date';
    case 'textarea':
      return 'longText';
    default:
      return 'text';
  }
}

export type SortKey = string | number;

/** The value SOQL orders and compares by: text upper-cased (the platform's collation for English). */
export function sortKey(kind: FieldKind, value: FieldValue): SortKey | null {
  if (value === null) return null;
  if (kind === 'text') return String(value).toUpperCase();
  if (kind === 'boolean') return value === true ? 1 : 0;
  if (typeof value === 'number') return value;
  return String(value);
}

export function compareKeys(a: SortKey, b: SortKey): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
