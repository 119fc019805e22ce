/** The platform's field rules on write: which fields a row may set, what it must set, and what it fills in. */
import { coerceFieldValue } from './coerce';
import { defaultValueOf, fieldsOf, findField, type FieldDef, type SObjectName } from './schema';
import { personName } from './seed';
import { DmlError, type Actor, type FieldValue, type SfRecord } from './records';

export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/**
 * A row's values keyed by their fields' API names and coerced to the fields' types; INVALID_FIELD for
 * a key that names no field, INVALID_FIELD_FOR_INSERT_UPDATE for one the mode may not write.
 * `liveReference` gives the 18-char id of a record a reference field may point to.
 */
export function validateFields(
  sobject: SObjectName,
  row: Record<string, unknown>,
  mode: 'create' | 'update',
  personAccounts: boolean,
  liveReference: (def: FieldDef, id: string) => string | undefined,
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'attributes') continue;
    const def = findField(sobject, key, personAccounts);
    if (!def) {
      throw new DmlError({
        statusCode: 'INVALID_FIELD',
        message: `No such column '${key}' on sobject of type ${sobject}`,
        fields: [key],
      });
    }
    if (mode === 'create' ? !def.createable : !def.updateable) {
      throw new DmlError({
        statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message: `Unable to create/update fields: ${def.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        fields: [def.name],
      });
    }
    out[def.name] = coerceFieldValue(def, value, (id) => liveReference(def, id));
  }
  return out;
}

/** REQUIRED_FIELD_MISSING for the first field a create must set and left blank. */
export function requireCreateFields(
  sobject: SObjectName,
  fields: Record<string, FieldValue>,
  personAccounts: boolean,
): void {
  for (const def of fieldsOf(sobject, personAccounts)) {
    if (
      def.requiredOnCreate &&
      !isPersonAccountException(sobject, def, fields, personAccounts) &&
      isBlank(fields[def.name])
    ) {
      throw new DmlError({
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: `Required fields are missing: [${def.name}]`,
        fields: [def.name],
      });
    }
  }
}

function isPersonAccountException(
  sobject: SObjectName,
  def: FieldDef,
  fields: Record<string, FieldValue>,
  personAccounts: boolean,
): boolean {
  // A Person Account is created with LastName instead of Name.
  return sobject === 'Account' && def.name === 'Name' && personAccounts && !isBlank(fields.LastName);
}

/**
 * What a new record at `index` holds before the request's fields go over it: every field blank, then
 * the platform's create defaults and auto-numbers.
 */
export function newRecordBase(
  sobject: SObjectName,
  personAccounts: boolean,
  actor: Actor,
  index: number,
): Record<string, FieldValue> {
  return {
    ...blankRecord(sobject, personAccounts),
    ...createDefaults(sobject, personAccounts, actor),
    ...autoNumbers(sobject, personAccounts, index),
  };
}

function blankRecord(sobject: SObjectName, personAccounts: boolean): Record<string, FieldValue> {
  const record: Record<string, FieldValue> = {};
  for (const def of fieldsOf(sobject, personAccounts)) record[def.name] = def.type === 'boolean' ? false : null;
  return record;
}

/**
 * What the platform fills in on create when the request leaves it out: the owner is the creating
 * user, and a field with a default (Lead Status) gets it.
 */
function createDefaults(sobject: SObjectName, personAccounts: boolean, actor: Actor): Record<string, FieldValue> {
  const defaults: Record<string, FieldValue> = {};
  for (const def of fieldsOf(sobject, personAccounts)) {
    if (def.name === 'OwnerId') defaults.OwnerId = actor.userId;
    else if (def.defaultValue !== undefined) defaults[def.name] = defaultValueOf(def);
  }
  return defaults;
}

/** AutoNumber fields (`FM-{0000}`): the record's number is its position in the object, from 1. */
function autoNumbers(sobject: SObjectName, personAccounts: boolean, index: number): Record<string, FieldValue> {
  const numbers: Record<string, FieldValue> = {};
  for (const def of fieldsOf(sobject, personAccounts)) {
    if (def.autoNumberFormat === undefined) continue;
    numbers[def.name] = def.autoNumberFormat.replace(/\{(0+)\}/, (_match, zeros: string) =>
      String(index + 1).padStart(zeros.length, '0'),
    );
  }
  return numbers;
}

/** Fields the platform computes from others. */
export function deriveFields(sobject: SObjectName, record: SfRecord, personAccounts: boolean): void {
  if (sobject === 'Account' && personAccounts) {
    const person = !isBlank(record.LastName);
    record.IsPersonAccount = person;
    if (person) record.Name = personName(record.FirstName, record.LastName);
  }
  if (sobject === 'User' || sobject === 'Contact' || sobject === 'Lead')
    record.Name = personName(record.FirstName, record.LastName);
}
