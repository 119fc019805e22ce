import type { SfValue, SyncedObject } from '../../model/records';

/**
 * What Salesforce's own Web-to-Lead puts in a Lead's required Company when the person gave none; CRM
 * admins recognise it and their reports already filter it. A contact without a company still becomes a
 * Lead rather than being held back, and clearing the company in the phone system does not make every
 * later write-back of that Lead fail with REQUIRED_FIELD_MISSING.
 */
export const LEAD_COMPANY_PLACEHOLDER = '[not provided]';

/**
 * Mapped values (directoryToSf) as a record of `sobject` can hold them: a Lead's required Company, when
 * mapped and empty, is filled in. A field that is not mapped stays absent. Returns a new object.
 */
export function withSalesforceRequirements(
  sobject: SyncedObject,
  values: Record<string, SfValue>,
): Record<string, SfValue> {
  const out = { ...values };
  if (sobject === 'Lead' && 'Company' in out && (out.Company === null || out.Company === ''))
    out.Company = LEAD_COMPANY_PLACEHOLDER;
  return out;
}
