import {
  checkScopeCondition,
  outOfScopeWhere,
  ScopeError,
  scopeProblems,
  scopeWhere,
} from '../../../src/sync/rules/scope';

describe('scope conditions', () => {
  it('parenthesises a valid condition so it cannot change the meaning of the service’s own', () => {
    expect(checkScopeCondition('Contact_Scope__c', " MailingCountry = 'US' OR Phone != null ")).toBe(
      "(MailingCountry = 'US' OR Phone != null)",
    );
    expect(checkScopeCondition('Lead_Scope__c', "Company = 'Pay (and) go; limited'")).toBe(
      "(Company = 'Pay (and) go; limited')",
    );
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
    expect(() => checkScopeCondition('Contact_Scope__c', condition)).toThrow(
      new ScopeError('Contact_Scope__c', message.split(': ').slice(1).join(': ')),
    );
  });

  it('selects the records in scope per object: Person Accounts only, and the scope', () => {
    const policy = { scope: { Contact: "Department = 'Sales'", Account: 'AnnualRevenue > 10' } };
    expect(scopeWhere(policy, 'Contact')).toBe("(Department = 'Sales')");
    expect(scopeWhere(policy, 'Lead')).toBe('');
    expect(scopeWhere(policy, 'Account')).toBe('IsPersonAccount = true AND (AnnualRevenue > 10)');
    expect(scopeWhere({ scope: {} }, 'Account')).toBe('IsPersonAccount = true');
  });

  it('selects the records outside the scope, and none for an object without one', () => {
    const policy = { scope: { Contact: "Department = 'Sales' OR Title = 'CEO'", Account: 'AnnualRevenue > 10' } };
    expect(outOfScopeWhere(policy, 'Contact')).toBe("NOT (Department = 'Sales' OR Title = 'CEO')");
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
