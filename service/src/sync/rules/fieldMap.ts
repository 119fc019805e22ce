import type { CountryCode } from 'libphonenumber-js/max';
import type { ContactFields, DirectoryContact, DirectoryPhone, PhoneKind } from '../../directory/model';
import { PHONE_KINDS } from '../../directory/model';
import type { SfValue, SyncedObject } from '../../model/records';
import { toDirectoryPhone } from './phones';
import { toSalesforce, toTelephony, type TransformSpec } from './transforms';

/** A directory field a Salesforce field can map to. */
export type TelephonyField = 'firstName' | 'lastName' | 'company' | 'title' | 'email' | `phone.${PhoneKind}`;
export type MappingDirection = 'both' | 'toTelephony' | 'toSalesforce';

export interface FieldMapping {
  sobject: SyncedObject;
  sfField: string;
  telephonyField: TelephonyField;
  direction: MappingDirection;
  /** Applied on the way to telephony (and read back for picklist maps); phones always get E.164. */
  transform?: TransformSpec['transform'];
  picklistMap?: Record<string, string>;
}

const both = (sobject: SyncedObject, sfField: string, telephonyField: TelephonyField): FieldMapping => ({
  sobject,
  sfField,
  telephonyField,
  direction: 'both',
});

/**
 * The package's shipped default mappings. The company of a Contact comes from its Account's name and
 * is never written back (it belongs to the Account, not the Contact).
 */
export const DEFAULT_MAPPINGS: FieldMapping[] = [
  both('Contact', 'FirstName', 'firstName'),
  both('Contact', 'LastName', 'lastName'),
  both('Contact', 'Email', 'email'),
  both('Contact', 'Title', 'title'),
  { sobject: 'Contact', sfField: 'Account.Name', telephonyField: 'company', direction: 'toTelephony' },
  both('Contact', 'Phone', 'phone.work'),
  both('Contact', 'MobilePhone', 'phone.mobile'),
  both('Contact', 'HomePhone', 'phone.home'),
  both('Contact', 'OtherPhone', 'phone.other'),
  both('Lead', 'FirstName', 'firstName'),
  both('Lead', 'LastName', 'lastName'),
  both('Lead', 'Email', 'email'),
  both('Lead', 'Title', 'title'),
  both('Lead', 'Company', 'company'),
  both('Lead', 'Phone', 'phone.work'),
  both('Lead', 'MobilePhone', 'phone.mobile'),
  both('Account', 'FirstName', 'firstName'),
  both('Account', 'LastName', 'lastName'),
  both('Account', 'PersonEmail', 'email'),
  both('Account', 'PersonTitle', 'title'),
  both('Account', 'Phone', 'phone.work'),
  both('Account', 'PersonMobilePhone', 'phone.mobile'),
  both('Account', 'PersonHomePhone', 'phone.home'),
  both('Account', 'PersonOtherPhone', 'phone.other'),
];

const isRelationshipPath = (sfField: string) => sfField.includes('.');
const flowsToTelephony = (m: FieldMapping) => m.direction !== 'toSalesforce';
const flowsToSalesforce = (m: FieldMapping) => m.direction !== 'toTelephony' && !isRelationshipPath(m.sfField);

export function mappingsFor(mappings: FieldMapping[], sobject: SyncedObject): FieldMapping[] {
  return mappings.filter((m) => m.sobject === sobject);
}

function text(value: SfValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
}

/**
 * A Salesforce record's values as directory fields, for every mapping that flows to telephony. Only
 * fields present in `values` are set, so a partial payload never blanks the rest.
 */
export function sfToDirectory(
  mappings: FieldMapping[],
  sobject: SyncedObject,
  values: Record<string, SfValue>,
  defaultCountry: CountryCode,
): ContactFields {
  const fields: ContactFields = {};
  const phones: DirectoryPhone[] = [];
  let phonesSeen = false;
  for (const mapping of mappingsFor(mappings, sobject).filter(flowsToTelephony)) {
    if (!(mapping.sfField in values)) continue;
    const value = text(values[mapping.sfField]);
    if (mapping.telephonyField.startsWith('phone.')) {
      phonesSeen = true;
      if (value) phones.push(toDirectoryPhone(mapping.telephonyField.slice(6) as PhoneKind, value, defaultCountry));
    } else {
      fields[mapping.telephonyField as Exclude<TelephonyField, `phone.${PhoneKind}`>] = toTelephony(
        value,
        specOf(mapping),
        defaultCountry,
      );
    }
  }
  if (phonesSeen) fields.phones = sortPhones(phones);
  return fields;
}

/** The Salesforce field values a directory contact stands for, for every mapping that flows to Salesforce. */
export function directoryToSf(
  mappings: FieldMapping[],
  sobject: SyncedObject,
  contact: Pick<DirectoryContact, 'firstName' | 'lastName' | 'company' | 'title' | 'email' | 'phones'>,
): Record<string, SfValue> {
  const out: Record<string, SfValue> = {};
  for (const mapping of mappingsFor(mappings, sobject).filter(flowsToSalesforce)) {
    if (mapping.telephonyField.startsWith('phone.')) {
      const kind = mapping.telephonyField.slice(6) as PhoneKind;
      out[mapping.sfField] = contact.phones.find((p) => p.kind === kind)?.raw ?? null;
    } else {
      out[mapping.sfField] = toSalesforce(
        contact[mapping.telephonyField as Exclude<TelephonyField, `phone.${PhoneKind}`>] ?? null,
        specOf(mapping),
      );
    }
  }
  return out;
}

/** The mapped subset of a Salesforce record's values, in a fixed key order (what hashes are taken of). */
export function mappedSfValues(
  mappings: FieldMapping[],
  sobject: SyncedObject,
  values: Record<string, SfValue>,
): Record<string, SfValue> {
  const out: Record<string, SfValue> = {};
  for (const mapping of mappingsFor(mappings, sobject)) {
    if (mapping.sfField in values) out[mapping.sfField] = values[mapping.sfField] ?? null;
  }
  return out;
}

function specOf(mapping: FieldMapping): TransformSpec {
  return { transform: mapping.transform ?? 'None', picklistMap: mapping.picklistMap };
}

export function sortPhones(phones: DirectoryPhone[]): DirectoryPhone[] {
  return [...phones].sort((a, b) => PHONE_KINDS.indexOf(a.kind) - PHONE_KINDS.indexOf(b.kind));
}
