import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { countSoql, selectSoql, soqlDateTime, soqlString } from '../../../src/salesforce/queries/soql';

describe("the SOQL of the engine's reads", () => {
  it("selects each field once, in order, with the engine's condition first and its own after", () => {
    expect(selectSoql({ sobject: 'Contact', fields: ['Id', 'Phone', 'Id'], condition: "(Department = 'Sales')" })).toBe(
      "SELECT Id, Phone FROM Contact WHERE (Department = 'Sales')",
    );
    expect(selectSoql({ sobject: 'Lead', fields: ['Id'], condition: '' })).toBe('SELECT Id FROM Lead');
    expect(
      selectSoql({
        sobject: 'Account',
        fields: new Set(['Id', 'SystemModstamp']),
        condition: 'IsPersonAccount = true AND (AnnualRevenue > 10)',
        modifiedAfter: new Date('2026-01-02T03:04:05.678Z'),
      }),
    ).toBe(
      'SELECT Id, SystemModstamp FROM Account WHERE IsPersonAccount = true AND (AnnualRevenue > 10) AND SystemModstamp > 2026-01-02T03:04:05Z',
    );
    expect(
      selectSoql({
        sobject: 'Contact',
        fields: ['Id', 'SystemModstamp'],
        deleted: true,
        modifiedAfter: new Date('2026-01-02T03:04:05Z'),
      }),
    ).toBe('SELECT Id, SystemModstamp FROM Contact WHERE IsDeleted = true AND SystemModstamp > 2026-01-02T03:04:05Z');
  });

  it('reads in Id order, resumes after an id, takes given ids and a limit', () => {
    const snapshot = {
      sobject: 'Contact',
      fields: ['Id', 'LastName'],
      condition: "(Department = 'Sales')",
      orderById: true,
    };
    expect(selectSoql(snapshot)).toBe("SELECT Id, LastName FROM Contact WHERE (Department = 'Sales') ORDER BY Id");
    expect(selectSoql({ ...snapshot, idAfter: '003000000000001AAA' })).toBe(
      "SELECT Id, LastName FROM Contact WHERE (Department = 'Sales') AND Id > '003000000000001AAA' ORDER BY Id",
    );
    expect(selectSoql({ sobject: 'Lead', fields: ['Id'], ids: ['00Q000000000001AAA', '00Q000000000002'] })).toBe(
      "SELECT Id FROM Lead WHERE Id IN ('00Q000000000001AAA', '00Q000000000002')",
    );
    expect(selectSoql({ sobject: 'Lead', fields: ['Id'], condition: '(Rating = 1)', limit: 1 })).toBe(
      'SELECT Id FROM Lead WHERE (Rating = 1) LIMIT 1',
    );
  });

  it('counts what a selection would read', () => {
    expect(countSoql({ sobject: 'Contact', condition: "(Department = 'Sales')" })).toBe(
      "SELECT COUNT() FROM Contact WHERE (Department = 'Sales')",
    );
    expect(countSoql({ sobject: 'Lead', condition: '' })).toBe('SELECT COUNT() FROM Lead');
  });

  it('lets no value into the text that is not one: ids and instants are checked', () => {
    expect(() => selectSoql({ sobject: 'Contact', fields: ['Id'], ids: ["003' OR Name != '"] })).toThrow(
      /is not a Salesforce record id/,
    );
    expect(() => selectSoql({ sobject: 'Contact', fields: ['Id'], idAfter: 'x' })).toThrow(
      /"x" is not a Salesforce record id/,
    );
    expect(() => soqlDateTime('yesterday')).toThrow('not a timestamp: yesterday');
    expect(soqlDateTime('2026-01-02T03:04:05.678Z')).toBe('2026-01-02T03:04:05Z');
  });

  it('writes a text from outside as one string literal, whatever it holds', () => {
    expect(soqlString('pbx-1')).toBe("'pbx-1'");
    expect(soqlString("a' OR Id != 'b")).toBe("'a\\' OR Id != \\'b'");
    expect(soqlString('back\\slash "q"\nline')).toBe('\'back\\\\slash \\"q\\"\\nline\'');
    // The parser reads each as a single value of the IN list.
    for (const value of ["a' OR Id != 'b", 'x\\', "'); DELETE", 'tab\there']) {
      const parsed = parseQuery(`SELECT Id FROM Task WHERE CallObject IN (${soqlString(value)}, 'z')`);
      const where = parsed.where?.left as { value?: unknown } | undefined;
      expect(where?.value).toHaveLength(2);
    }
  });
});
