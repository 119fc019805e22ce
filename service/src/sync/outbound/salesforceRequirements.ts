import type { DirectoryContact } from '../../directory/model';
import type { SfValue, SyncedObject } from '../../model/records';
import { directoryToSf, type FieldMapping } from '../rules/fieldMap';

/**
 * What Salesforce's own Web-to-Lead puts in a Lead's required Company when the person gave none; CRM
 * admins recognise it and their reports already filter it. A contact without a company still becomes a
 * Lead rather than being held back, and clearing the company in the phone system does not make every
 * later write-back of that Lead fail with REQUIRED_FIELD_MISSING.
 */
export const LEAD_COMPANY_PLACEHOLDER = '[not provided]';

export type RecordSource = Pick<DirectoryContact, 'firstName' | 'lastName' | 'company' | 'title' | 'email' | 'phones'>;

/** Every mapped field as the record should hold it, with the Lead's required Company filled in. */
export function salesforceRecordValues(mappings: FieldMapping[], sobject: SyncedObject, contact: RecordSource): Record<string, SfValue> {
  const values = directoryToSf(mappings, sobject, contact);
  if (sobject === 'Lead' && 'Company' in values && (values.Company === null || values.Company === '')) values.Company = LEAD_COMPANY_PLACEHOLDER;
  return values;
}
