import { fieldsOf, findField, type FieldDef, type SObjectName } from '../org/schema';
import type { SfRecord } from '../org/store';

export type FieldSelection = { fields: FieldDef[] } | { invalid: string };

/** The fields a read asks for (all of them when none are named); the first unknown name otherwise. */
export function selectFields(
  sobject: SObjectName,
  personAccounts: boolean,
  names: string[] | undefined,
): FieldSelection {
  if (names === undefined) return { fields: fieldsOf(sobject, personAccounts) };
  const fields: FieldDef[] = [];
  for (const name of names) {
    const def = findField(sobject, name, personAccounts);
    if (!def) return { invalid: name };
    if (!fields.includes(def)) fields.push(def);
  }
  return { fields };
}

export function invalidFieldMessage(sobject: SObjectName, field: string): string {
  return `No such column '${field}' on sobject of type ${sobject}`;
}

/** A record as REST returns it: `attributes { type, url }`, then the fields under their API names. */
export function recordView(
  sobject: SObjectName,
  record: SfRecord,
  fields: FieldDef[],
  version: string,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    attributes: { type: sobject, url: `/services/data/v${version}/sobjects/${sobject}/${record.Id}` },
  };
  for (const def of fields) view[def.name] = record[def.name] ?? null;
  return view;
}
