import { DEFAULT_MAPPINGS } from '../../../src/sync/rules/fieldMap';
import { LEAD_COMPANY_PLACEHOLDER, salesforceRecordValues } from '../../../src/sync/outbound/salesforceRequirements';

const contact = { firstName: 'Grace', lastName: 'Hopper', company: null, title: null, email: null, phones: [] };

describe('salesforceRecordValues', () => {
  it('fills a Lead’s required Company instead of sending it empty', () => {
    expect(salesforceRecordValues(DEFAULT_MAPPINGS, 'Lead', contact)).toMatchObject({ LastName: 'Hopper', Company: LEAD_COMPANY_PLACEHOLDER });
    expect(salesforceRecordValues(DEFAULT_MAPPINGS, 'Lead', { ...contact, company: 'Navy' }).Company).toBe('Navy');
  });

  it('leaves other objects as mapped', () => {
    expect(salesforceRecordValues(DEFAULT_MAPPINGS, 'Contact', contact)).not.toHaveProperty('Company');
    expect(salesforceRecordValues(DEFAULT_MAPPINGS, 'Contact', contact).LastName).toBe('Hopper');
  });
});
