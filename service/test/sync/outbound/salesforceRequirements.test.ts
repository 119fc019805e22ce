import { DEFAULT_MAPPINGS, directoryToSf } from '../../../src/sync/rules/fieldMap';
import {
  LEAD_COMPANY_PLACEHOLDER,
  withSalesforceRequirements,
} from '../../../src/sync/outbound/salesforceRequirements';

const contact = { firstName: 'Grace', lastName: 'Hopper', company: null, title: null, email: null, phones: [] };

describe('withSalesforceRequirements', () => {
  it('fills a Lead’s required Company instead of sending it empty', () => {
    expect(withSalesforceRequirements('Lead', directoryToSf(DEFAULT_MAPPINGS, 'Lead', contact))).toMatchObject({
      LastName: 'Hopper',
      Company: LEAD_COMPANY_PLACEHOLDER,
    });
    expect(withSalesforceRequirements('Lead', { Company: '' }).Company).toBe(LEAD_COMPANY_PLACEHOLDER);
    expect(
      withSalesforceRequirements('Lead', directoryToSf(DEFAULT_MAPPINGS, 'Lead', { ...contact, company: 'Navy' }))
        .Company,
    ).toBe('Navy');
  });

  it('adds no Company a payload does not carry, and leaves other objects as mapped', () => {
    expect(withSalesforceRequirements('Lead', { Title: null })).toEqual({ Title: null });
    expect(
      withSalesforceRequirements('Contact', directoryToSf(DEFAULT_MAPPINGS, 'Contact', contact)),
    ).not.toHaveProperty('Company');
    expect(withSalesforceRequirements('Account', { Company: null })).toEqual({ Company: null });
  });

  it('returns a new object', () => {
    const values = { Company: null };
    expect(withSalesforceRequirements('Lead', values)).not.toBe(values);
    expect(values.Company).toBeNull();
  });
});
