import { changedValues, writeBackPayload } from '../../../src/sync/outbound/writeBackPayload';
import { LEAD_COMPANY_PLACEHOLDER } from '../../../src/sync/outbound/salesforceRequirements';

describe('changedValues', () => {
  it('keeps only fields whose value differs from what Salesforce has', () => {
    expect(
      changedValues(
        { FirstName: 'Ada', LastName: 'Byron', Title: 'CTO' },
        { FirstName: 'Ada', LastName: 'Lovelace', Title: 'CTO' },
      ),
    ).toEqual({
      LastName: 'Byron',
    });
  });

  it("treats null, '' and a missing value as the same", () => {
    expect(changedValues({ Title: null, Phone: '', Email: null }, { Title: '', Phone: null })).toEqual({});
  });

  it('sends a clear (null) when Salesforce has a value, and a value Salesforce has not seen', () => {
    expect(changedValues({ Title: null, Phone: '(415) 555-2671' }, { Title: 'CTO' })).toEqual({
      Title: null,
      Phone: '(415) 555-2671',
    });
  });

  it('compares strictly, so "1" and 1 differ', () => {
    expect(changedValues({ Score: '1' }, { Score: 1 })).toEqual({ Score: '1' });
  });
});

describe('writeBackPayload', () => {
  const lead = { FirstName: 'Grace', LastName: 'Hopper', Company: null, Title: '', Email: 'grace@navy.example' };

  describe('create', () => {
    it('sends every value the record should hold, empty ones left out, a Lead’s Company filled in', () => {
      expect(writeBackPayload('Lead', lead, { operation: 'create' })).toEqual({
        FirstName: 'Grace',
        LastName: 'Hopper',
        Company: LEAD_COMPANY_PLACEHOLDER,
        Email: 'grace@navy.example',
      });
    });

    it('leaves a Contact’s values as mapped', () => {
      expect(writeBackPayload('Contact', { LastName: 'Hopper', Title: null }, { operation: 'create' })).toEqual({
        LastName: 'Hopper',
      });
    });
  });

  describe('update', () => {
    const known = { FirstName: 'Grace', LastName: 'Hopper', Company: 'Navy', Title: null, Email: 'grace@navy.example' };

    it('never sends a Lead’s Company empty: a cleared company goes as the placeholder', () => {
      expect(writeBackPayload('Lead', lead, { operation: 'update', known })).toEqual({
        Company: LEAD_COMPANY_PLACEHOLDER,
      });
    });

    it('does not send the placeholder again once Salesforce holds it', () => {
      expect(
        writeBackPayload('Lead', lead, { operation: 'update', known: { ...known, Company: LEAD_COMPANY_PLACEHOLDER } }),
      ).toEqual({});
    });

    it('sends a Contact’s cleared field as null', () => {
      expect(
        writeBackPayload(
          'Contact',
          { LastName: 'Hopper', Title: null },
          { operation: 'update', known: { LastName: 'Hopper', Title: 'CTO' } },
        ),
      ).toEqual({ Title: null });
    });

    it('sends only fields that differ from the previous values too (a one-way transform is no change)', () => {
      const mapped = { LastName: 'Hopper', Email: 'grace@navy.example', Title: 'Rear Admiral' };
      const previous = { LastName: 'Hopper', Email: 'grace@navy.example', Title: 'Commodore' };
      expect(
        writeBackPayload('Contact', mapped, {
          operation: 'update',
          previous,
          known: { LastName: 'Hopper', Email: 'GRACE@NAVY.EXAMPLE', Title: 'Commodore' },
        }),
      ).toEqual({
        Title: 'Rear Admiral',
      });
    });

    it('compares a Lead’s previous values with the Company filled in: an empty company before and after is no change', () => {
      const previous = { ...lead, Title: 'Commodore' };
      expect(
        writeBackPayload('Lead', lead, {
          operation: 'update',
          previous,
          known: { ...known, Company: null, Title: 'Commodore' },
        }),
      ).toEqual({ Title: '' });
    });

    it('narrows the payload to `only`, adding no Company outside it', () => {
      expect(
        writeBackPayload('Lead', lead, {
          operation: 'update',
          only: ['Title', 'FirstName'],
          known: { ...known, Title: 'CTO' },
        }),
      ).toEqual({ Title: '' });
      expect(writeBackPayload('Lead', lead, { operation: 'update', only: ['Company'], known })).toEqual({
        Company: LEAD_COMPANY_PLACEHOLDER,
      });
    });

    it('leaves its inputs as they were', () => {
      const mapped = { ...lead };
      writeBackPayload('Lead', mapped, { operation: 'update', known });
      expect(mapped).toEqual(lead);
    });
  });
});
