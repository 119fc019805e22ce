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

  it.each([
    ['nested AND/OR/NOT', "(Department = 'Sales' AND (Title = 'CEO' OR NOT Email = null))"],
    ['IN lists', "MailingCountry IN ('US', 'CA') AND LeadSource NOT IN ('Web')"],
    ['date literals', 'CreatedDate = LAST_N_DAYS:30 OR LastModifiedDate > 2024-01-01T00:00:00Z'],
    ['LIKE with escapes', "Name LIKE 'a\\_b\\%c%'"],
    ['relationship fields', "Account.Name = 'Acme' AND Account.Owner.IsActive = true"],
    ['keywords and parentheses inside strings', "Title = 'SELECT (FROM) LIMIT 5; UPDATE VIEWSTAT -- /* :x （'"],
  ])('accepts %s unchanged', (_what, condition) => {
    expect(checkScopeCondition('Contact_Scope__c', condition)).toBe(`(${condition})`);
  });

  it.each([
    ['A = 1 UPDATE VIEWSTAT', 'must be a WHERE condition only ("UPDATE VIEWSTAT" is not allowed)'],
    ['（MailingCountry = 1）', 'has "（" (U+FF08) at position 1 outside a quoted string: write "(" instead'],
    ['Name = ‘x’', 'has "‘" (U+2018) at position 8 outside a quoted string: write "\'" instead'],
    ['Department = :dept', 'has a bind variable (":dept" at position 14): a scope cannot use Apex binds'],
    ["TYPEOF Owner WHEN User THEN Name END = 'x'", 'must be a WHERE condition only ("TYPEOF" is not allowed)'],
    ['FIELDS(ALL) != null', 'must be a WHERE condition only ("FIELDS(" is not allowed)'],
    ['A = 1 /* only sales */', 'has a comment ("/*" at position 7): SOQL has none'],
    ['A = 1 // note', 'has a comment ("//" at position 7): SOQL has none'],
    ['A = 1 -- note', 'has a comment ("--" at position 7): SOQL has none'],
    ['A = 1 OR', 'is not a valid SOQL condition (it ends too early)'],
    ['A = = 1', 'is not a valid SOQL condition (unexpected "=")'],
    ['A = 1 WHERE B = 2', 'is not a valid SOQL condition (unexpected "WHERE")'],
  ])('rejects text that is not a SOQL condition: %p', (condition, reason) => {
    expect(() => checkScopeCondition('Contact_Scope__c', condition)).toThrow(
      new ScopeError('Contact_Scope__c', reason),
    );
  });

  // Salesforce refuses AND and OR side by side without parentheses ("unexpected token: 'OR'"), though the
  // parser used here reads them left to right: the check has to say so before the reconcile runs it.
  it.each([
    [
      "Department = 'Sales' AND Title = 'CEO' OR Email != null",
      "mixes AND and OR without parentheses in \"Department = 'Sales' AND Title = 'CEO' OR Email != null\" (AND at position 22, OR at position 40): " +
        "add parentheses, e.g. \"(Department = 'Sales' AND Title = 'CEO') OR Email != null\" or \"Department = 'Sales' AND (Title = 'CEO' OR Email != null)\"",
    ],
    [
      'A = 1 OR B = 2 AND C = 3 AND D = 4',
      'mixes OR and AND without parentheses in "A = 1 OR B = 2 AND C = 3 AND D = 4" (OR at position 7, AND at position 16): ' +
        'add parentheses, e.g. "(A = 1 OR B = 2) AND C = 3 AND D = 4" or "A = 1 OR (B = 2 AND C = 3 AND D = 4)"',
    ],
    [
      "X = 'a OR b' AND (A = 1 AND B = 2 OR C = 3)",
      'mixes AND and OR without parentheses in "A = 1 AND B = 2 OR C = 3" (AND at position 25, OR at position 35): ' +
        'add parentheses, e.g. "(A = 1 AND B = 2) OR C = 3" or "A = 1 AND (B = 2 OR C = 3)"',
    ],
    [
      'NOT A = 1 and B = 2 or C = 3',
      'mixes and and or without parentheses in "NOT A = 1 and B = 2 or C = 3" (and at position 11, or at position 21): ' +
        'add parentheses, e.g. "(NOT A = 1 and B = 2) or C = 3" or "NOT A = 1 and (B = 2 or C = 3)"',
    ],
  ])('rejects AND and OR mixed without parentheses: %p', (condition, reason) => {
    expect(() => checkScopeCondition('Contact_Scope__c', condition)).toThrow(
      new ScopeError('Contact_Scope__c', reason),
    );
  });

  it.each([
    ['grouped on the left', '(A = 1 AND B = 2) OR C = 3'],
    ['grouped on the right', 'A = 1 AND (B = 2 OR C = 3)'],
    ['one operator throughout', 'A = 1 OR B = 2 OR C IN (1, 2)'],
    ['each level with one operator', "(A = 1 OR B = 2) AND (C = 1 OR NOT (D = 2 AND E = 'x OR y'))"],
    ['words that contain the operators', 'ORDERS__c = 1 AND BRAND__c = 2 AND Oregon__c = 3'],
  ])('accepts AND and OR with parentheses: %s', (_what, condition) => {
    expect(checkScopeCondition('Contact_Scope__c', condition)).toBe(`(${condition})`);
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
