import type { CountryCode } from 'libphonenumber-js/max';
import type { ContactFields } from '../../directory/model';
import type { SfValue, SyncedObject } from '../../model/records';
import { mappingsFor, type FieldMapping, type TelephonyField } from './fieldMap';
import type { SyncPolicy } from './context';

export type ExclusionCode = 'EXCLUDED_NO_VALID_PHONE' | 'EXCLUDED_NO_FIRST_NAME' | 'EXCLUDED_NO_LAST_NAME';

export type Verdict = { ok: true } | { ok: false; code: ExclusionCode; reason: string };

export interface ValidityInput {
  rules: SyncPolicy['validity'];
  mappings: FieldMapping[];
  sobject: SyncedObject;
  defaultCountry: CountryCode;
  /** The record's mapped Salesforce values (named in the reason). */
  values: Record<string, SfValue>;
  /** The same values as directory fields (phones already parsed: they are not parsed twice). */
  fields: ContactFields;
}

/**
 * Whether a Salesforce record may enter the directory under the sync's validity rules. Every failed rule
 * is named in the reason with the Salesforce fields and values behind it; the code is the first one
 * failed (phone, then first name, then last name), so a dashboard can group by it.
 */
export function checkValidity(input: ValidityInput): Verdict {
  const { rules, fields } = input;
  const failures: Array<{ code: ExclusionCode; reason: string }> = [];
  if (rules.requireValidPhone && !(fields.phones ?? []).some((p) => p.e164 !== null)) {
    failures.push({ code: 'EXCLUDED_NO_VALID_PHONE', reason: phoneReason(input) });
  }
  if (rules.requireFirstName && !fields.firstName) {
    failures.push({ code: 'EXCLUDED_NO_FIRST_NAME', reason: nameReason(input, 'firstName', 'a first name') });
  }
  if (rules.requireLastName && !fields.lastName) {
    failures.push({ code: 'EXCLUDED_NO_LAST_NAME', reason: nameReason(input, 'lastName', 'a last name') });
  }
  if (failures.length === 0) return { ok: true };
  return { ok: false, code: failures[0].code, reason: failures.map((f) => f.reason).join('; ') };
}

function sourceFields(input: ValidityInput, accept: (telephonyField: TelephonyField) => boolean): string[] {
  return mappingsFor(input.mappings, input.sobject)
    .filter((m) => m.direction !== 'toSalesforce' && accept(m.telephonyField))
    .map((m) => m.sfField);
}

/** `Phone "12"` or `MobilePhone (empty)`. */
function describe(field: string, value: SfValue | undefined): string {
  const text = value === null || value === undefined ? '' : String(value).trim();
  return text === '' ? `${field} (empty)` : `${field} ${JSON.stringify(text)}`;
}

function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function phoneReason(input: ValidityInput): string {
  const fields = sourceFields(input, (t) => t.startsWith('phone.'));
  if (fields.length === 0)
    return `no phone field of ${input.sobject} is mapped to the directory, and a valid phone is required`;
  const verb = fields.length === 1 ? 'is not a valid number' : 'are not valid numbers';
  return `${list(fields.map((f) => describe(f, input.values[f])))} ${verb} for ${input.defaultCountry}`;
}

function nameReason(input: ValidityInput, telephonyField: TelephonyField, what: string): string {
  const fields = sourceFields(input, (t) => t === telephonyField);
  if (fields.length === 0)
    return `no field of ${input.sobject} is mapped to ${telephonyField}, and ${what} is required`;
  return `${list(fields.map((f) => describe(f, input.values[f])))} ${fields.length === 1 ? 'is' : 'are'} empty, and ${what} is required`;
}
