import { changedValues } from '../../../src/sync/outbound/telephonyEdit';

describe('changedValues', () => {
  it('keeps only fields whose value differs from what Salesforce has', () => {
    expect(changedValues({ FirstName: 'Ada', LastName: 'Byron', Title: 'CTO' }, { FirstName: 'Ada', LastName: 'Lovelace', Title: 'CTO' })).toEqual({
      LastName: 'Byron',
    });
  });

  it("treats null, '' and a missing value as the same", () => {
    expect(changedValues({ Title: null, Phone: '', Email: null }, { Title: '', Phone: null })).toEqual({});
  });

  it('sends a clear (null) when Salesforce has a value, and a value Salesforce has not seen', () => {
    expect(changedValues({ Title: null, Phone: '(415) 555-2671' }, { Title: 'CTO' })).toEqual({ Title: null, Phone: '(415) 555-2671' });
  });

  it('compares strictly, so "1" and 1 differ', () => {
    expect(changedValues({ Score: '1' }, { Score: 1 })).toEqual({ Score: '1' });
  });
});
