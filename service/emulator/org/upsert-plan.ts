import { isBlank } from './field-rules';
import { normaliseKey } from './key-index';
import type { FieldDef } from './schema';
import type { SfError } from './records';

/** What upsert does with one row: create it, update the one record its external id matches, or fail it. */
export type UpsertPlan = { create: Record<string, unknown> } | { update: Record<string, unknown> } | { error: SfError };

/**
 * Plans each row by its value of the external id field `def`: no match creates, one match updates
 * that record. A blank value, a value matching several records, or one given twice in the call fails
 * the row. `matches` gives the ids of the live records holding a value.
 */
export function planUpsert(
  def: FieldDef,
  rows: Record<string, unknown>[],
  matches: (value: string) => string[],
): UpsertPlan[] {
  const seen = new Set<string>();
  return rows.map((row): UpsertPlan => {
    const key = Object.keys(row).find((k) => k.toLowerCase() === def.name.toLowerCase());
    const value = key === undefined ? undefined : row[key];
    if (isBlank(value))
      return { error: { statusCode: 'MISSING_ARGUMENT', message: `${def.name} not specified`, fields: [def.name] } };
    const normalised = normaliseKey(def, String(value));
    if (seen.has(normalised)) {
      return {
        error: {
          statusCode: 'DUPLICATE_VALUE',
          message: `Duplicate external id specified: ${String(value)}`,
          fields: [def.name],
        },
      };
    }
    seen.add(normalised);
    const ids = matches(String(value));
    if (ids.length > 1) {
      return {
        error: {
          statusCode: 'DUPLICATE_EXTERNAL_ID',
          message: `${def.name}: more than one record found for external id field: [${ids.join(', ')}]`,
          fields: [def.name],
        },
      };
    }
    return ids.length === 1 ? { update: { ...row, Id: ids[0] } } : { create: row };
  });
}

/** The row a create or update plan writes. */
export function rowOf(plan: UpsertPlan): Record<string, unknown> {
  return 'create' in plan ? plan.create : 'update' in plan ? plan.update : {};
}
