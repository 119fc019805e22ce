import type { SyncedObject } from '../../model/records';
import type { FieldMapping } from './fieldMap';
import type { SettingsProblem } from './syncSettings';

/** A mapping as configured; the row id, when known, names it in a problem. */
type CheckedMapping = FieldMapping & { recordId?: string };

/** The part of a describe result a mapping check reads. */
export interface DescribedField {
  name: string;
  createable: boolean;
  updateable: boolean;
  relationshipName?: string | null;
  referenceTo?: string[] | null;
}

export interface MappingCheckResult<M extends CheckedMapping> {
  /** The mappings the org can honour; the others are left out until the admin fixes them. */
  usable: M[];
  problems: SettingsProblem[];
  /** Per object: how many mapped fields exist and how many of those the sync may write. */
  perObject: Array<{ sobject: SyncedObject; mapped: number; writable: number; error?: string }>;
}

/**
 * An object's fields as the org describes them to the integration user (salesforce/describe.ts's
 * describeFields); the check asks once per object it needs.
 */
export type DescribeFields = (sobject: string) => Promise<readonly DescribedField[]>;

/**
 * Says which describe errors are passing (a lock, a 5xx, a dropped connection): those reject the whole
 * check so the caller reads again later, because skipping an object's mappings for one lost answer would
 * run the sync without them until the settings next change. Any other error means the object is not
 * there for the integration user, and its mappings become problems.
 */
export type IsPassingError = (err: unknown) => boolean;

const writesToSalesforce = (m: FieldMapping) => m.direction !== 'toTelephony';

/**
 * Checks every mapping of the enabled objects against the org's describe results, as the integration
 * user sees them: the field must exist (a relationship path like Account.Name must lead to a real field),
 * and a mapping that writes to Salesforce needs a field the user may create and update. A bad mapping
 * becomes a settings problem naming the mapping's object and field, and is skipped; the others work.
 */
export async function checkMappings<M extends CheckedMapping>(
  describe: DescribeFields,
  syncId: string,
  objects: SyncedObject[],
  mappings: M[],
  isPassing: IsPassingError = () => false,
): Promise<MappingCheckResult<M>> {
  const describes = new Map<string, Promise<Map<string, DescribedField>>>();
  const fieldsOf = (sobject: string) => {
    let fields = describes.get(sobject);
    if (!fields) {
      fields = describe(sobject).then((described) => new Map(described.map((f) => [f.name.toLowerCase(), f])));
      describes.set(sobject, fields);
    }
    return fields;
  };
  const result: MappingCheckResult<M> = { usable: [], problems: [], perObject: [] };
  const inUse = mappings.filter((m) => objects.includes(m.sobject));
  for (const sobject of objects) {
    const own = inUse.filter((m) => m.sobject === sobject);
    let fields: Map<string, DescribedField>;
    try {
      fields = await fieldsOf(sobject);
    } catch (err) {
      if (isPassing(err)) throw err;
      const error = `cannot describe ${sobject}: ${(err as Error).message}`;
      result.problems.push({
        recordId: syncId,
        field: sobject,
        message: `${error}; its ${own.length} mapping(s) are skipped`,
      });
      result.perObject.push({ sobject, mapped: 0, writable: 0, error });
      continue;
    }
    let writable = 0;
    let mapped = 0;
    for (const mapping of own) {
      const problem = await mappingProblem(mapping, fields, fieldsOf, isPassing);
      if (problem) {
        result.problems.push({ recordId: mapping.recordId ?? syncId, field: 'Salesforce_Field__c', message: problem });
        continue;
      }
      mapped++;
      if (writesToSalesforce(mapping)) writable++;
      result.usable.push(mapping);
    }
    result.perObject.push({ sobject, mapped, writable });
  }
  // Mappings of objects the sync does not run are kept as they are: nothing uses them.
  result.usable.push(...mappings.filter((m) => !objects.includes(m.sobject)));
  return result;
}

async function mappingProblem(
  mapping: CheckedMapping,
  fields: Map<string, DescribedField>,
  fieldsOf: (sobject: string) => Promise<Map<string, DescribedField>>,
  isPassing: IsPassingError,
): Promise<string | null> {
  const label = `${mapping.sobject}.${mapping.sfField}`;
  const [first, second] = mapping.sfField.split('.');
  if (second !== undefined) {
    const reference = [...fields.values()].find((f) => f.relationshipName?.toLowerCase() === first.toLowerCase());
    const target = reference?.referenceTo?.[0];
    if (!target)
      return `${label}: ${mapping.sobject} has no relationship ${first} the integration user can see; mapping skipped`;
    const targetFields = await fieldsOf(target).catch((err: unknown) => {
      if (isPassing(err)) throw err;
      return new Map<string, DescribedField>();
    });
    return targetFields.has(second.toLowerCase())
      ? null
      : `${label}: ${target} has no field ${second} the integration user can see; mapping skipped`;
  }
  const field = fields.get(first.toLowerCase());
  if (!field) return `${label}: no such field, or the integration user cannot see it; mapping skipped`;
  if (writesToSalesforce(mapping) && !(field.createable && field.updateable)) {
    const missing = [field.createable ? null : 'create', field.updateable ? null : 'update']
      .filter(Boolean)
      .join(' or ');
    return `${label}: the integration user cannot ${missing} it, but the mapping writes to Salesforce; mapping skipped (make it ToTelephony or grant field access)`;
  }
  return null;
}
