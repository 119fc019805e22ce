import { checkScopeCondition, outOfScopeWhere, ScopeError, scopedQuery, scopeProblems, scopeWhere, soqlDateTime } from '../../../src/sync/rules/scope';

describe('scope conditions', () => {
  it('parenthesises a valid condition so it cannot change the meaning of the service’s own', () => {
    expect(checkScopeCondition('Contact_Scope__c', " MailingCountry = 'US' OR Phone != null ")).toBe("(MailingCountry = 'US' OR Phone != null)");
    expect(checkScopeCondition('Lead_Scope__c', "Company = 'Pay (and) go; limited'")).toBe("(Company = 'Pay (and) go; limited')");
    expect(checkScopeCondition('Lead_Scope__c', "Name = 'O\\'Brien'")).toBe("(Name = 'O\\'Brien')");
  });

  it.each([
    ['', 'Contact_Scope__c: is empty'],
    ["Name = 'open", 'Contact_Scope__c: has a string that is never closed (from position 8)'],
    ['(A = 1', 'Contact_Scope__c: has a "(" that is never closed'],
    ['A = 1) OR (B = 2', 'Contact_Scope__c: has a ")" without its "(" at position 6'],
    ['A = 1; DELETE', 'Contact_Scope__c: must be one condition (";" is not allowed)'],
    ['A = 1 LIMIT 5', 'Contact_Scope__c: must be a WHERE condition only ("LIMIT" is not allowed)'],
    ['Id IN (SELECT Id FROM Lead)', 'Contact_Scope__c: must be a WHERE condition only ("SELECT" is not allowed)'],
    ['A = 1 ORDER  BY Name', 'Contact_Scope__c: must be a WHERE condition only ("ORDER  BY" is not allowed)'],
  ])('rejects %p', (condition, message) => {
    expect(() => checkScopeCondition('Contact_Scope__c', condition)).toThrow(new ScopeError('Contact_Scope__c', message.split(': ').slice(1).join(': ')));
  });

  it('builds queries per object with Person Accounts, scope and trusted extras', () => {
    const policy = { scope: { Contact: "Department = 'Sales'", Account: 'AnnualRevenue > 10' } };
    expect(scopedQuery(['Id', 'Phone', 'Id'], policy, 'Contact')).toBe("SELECT Id, Phone FROM Contact WHERE (Department = 'Sales')");
    expect(scopedQuery(['Id'], policy, 'Lead')).toBe('SELECT Id FROM Lead');
    expect(scopeWhere(policy, 'Account', [`SystemModstamp > ${soqlDateTime('2026-01-02T03:04:05.678Z')}`])).toBe(
      'IsPersonAccount = true AND (AnnualRevenue > 10) AND SystemModstamp > 2026-01-02T03:04:05Z',
    );
    expect(() => soqlDateTime('yesterday')).toThrow('not a timestamp: yesterday');
  });

  it('selects the records outside the scope, and none for an object without one', () => {
    const policy = { scope: { Contact: "Department = 'Sales' OR Title = 'CEO'", Account: 'AnnualRevenue > 10' } };
    expect(outOfScopeWhere(policy, 'Contact', ['SystemModstamp > 2026-01-02T03:04:05Z'])).toBe(
      "NOT (Department = 'Sales' OR Title = 'CEO') AND SystemModstamp > 2026-01-02T03:04:05Z",
    );
    expect(outOfScopeWhere(policy, 'Account')).toBe('IsPersonAccount = true AND NOT (AnnualRevenue > 10)');
    expect(outOfScopeWhere(policy, 'Lead')).toBeNull();
  });

  it('reports every scope it would refuse as a problem of the sync record, naming the field', () => {
    const policy = { scope: { Contact: "Name = 'open", Lead: "Status = 'Open'", Account: 'A = 1; DELETE' } };
    expect(scopeProblems('a0B1', policy)).toEqual([
      { recordId: 'a0B1', field: 'Contact_Scope__c', message: 'has a string that is never closed (from position 8)' },
      { recordId: 'a0B1', field: 'Person_Account_Scope__c', message: 'must be one condition (";" is not allowed)' },
    ]);
  });
});
