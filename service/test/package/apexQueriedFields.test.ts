import { FORCE_APP } from '../../../scripts/package/paths';
import { unqueriedFieldProblems, unqueriedReadsIn } from '../../../scripts/package/apexQueriedFields';

describe('fields read from queried records are in their query', () => {
  test('no Apex class reads a field with get() that its static query did not select', () => {
    expect(unqueriedFieldProblems(FORCE_APP)).toEqual([]);
  });

  const check = (source: string) =>
    unqueriedReadsIn('Probe.cls', source).map((r) => `${r.line}:${r.variable}.${r.field}`);

  test('a read of a field the query left out is found, with its line', () => {
    const source = [
      'public class Probe {',
      '  static void run(Id accountId) {',
      '    Account account = [SELECT Id, Name FROM Account WHERE Id = :accountId WITH USER_MODE];',
      "    Object name = account.get('Name');",
      "    Object flag = account.get('IsPersonAccount');",
      '  }',
      '}',
    ].join('\n');
    expect(check(source)).toEqual(['5:account.IsPersonAccount']);
  });

  test('loop variables over a query or over a list holding one are followed', () => {
    const source = [
      'public class Probe {',
      '  static void run() {',
      '    for (Contact c : [SELECT Id, (SELECT Id FROM Cases) FROM Contact]) {',
      "      c.get('Email');",
      '    }',
      '    List<Lead> leads = [SELECT Id, Phone FROM Lead];',
      '    for (Lead l : leads) {',
      "      l.get('Phone');",
      "      l.get('MobilePhone');",
      '    }',
      '  }',
      '}',
    ].join('\n');
    expect(check(source)).toEqual(['4:c.Email', '9:l.MobilePhone']);
  });

  test('scope ends with the block, comments are not code, and case does not matter', () => {
    const source = [
      'public class Probe {',
      '  static void first() {',
      '    Account a = [SELECT Id, name FROM Account LIMIT 1];',
      "    a.get('Name');",
      "    // a.get('Phone');",
      '  }',
      '  static void second(Account a) {',
      "    a.get('Phone');",
      '  }',
      '}',
    ].join('\n');
    expect(check(source)).toEqual([]);
  });
});
