import { EmulatedOrg } from '../../emulator/org/org';
import { EMPTY_SEED } from '../../emulator/org/seed';
import type { SfRecord } from '../../emulator/org/store';
import { compileSoql, QueryResults, restRecordShaper, SoqlError } from '../../emulator/soql';

/**
 * The SOQL engine against a small org whose records are written by the test, so every operator,
 * null rule and ordering has a known answer.
 */
describe('emulator SOQL engine', () => {
  const org = new EmulatedOrg({ seed: EMPTY_SEED, personAccounts: true });
  const actor = org.adminUser;
  const [acme, globex] = org.store
    .insert(
      'Account',
      [
        { Name: 'Acme', OwnerId: actor.userId },
        { Name: 'Globex', OwnerId: actor.userId },
      ],
      actor,
    )
    .map((r) => r.id as string);
  const people: Array<Record<string, unknown>> = [
    {
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Title: 'CEO',
      Email: 'ada@acme.test',
      AccountId: acme,
      Phone: '+1 415 555 0100',
    },
    { FirstName: 'Grace', LastName: 'Hopper', Title: 'CTO', Email: null, AccountId: globex },
    { FirstName: 'Alan', LastName: 'Turing', Title: null, Email: 'alan@turing.test' },
    { FirstName: 'Conan', LastName: "O'Brien", Title: 'Head of IT', Email: 'conan@acme.test', AccountId: acme },
    { FirstName: 'Zoë', LastName: 'Müller', Title: 'ceo', Email: 'zoe@globex.test', AccountId: globex },
    { FirstName: null, LastName: 'percent%sign_under', Title: '100% sure' },
  ];
  const ids = org.store.insert('Contact', people, actor).map((r) => r.id as string);

  const run = (soql: string, includeDeleted = false): SfRecord[] => {
    const results = new QueryResults(org.store, compileSoql(soql, { personAccounts: true }), includeDeleted);
    const out: SfRecord[] = [];
    for (let record = results.next(); record; record = results.next()) out.push(record);
    return out;
  };
  const lastNames = (where: string, orderBy = 'ORDER BY Id'): string[] =>
    run(`SELECT Id, LastName FROM Contact ${where} ${orderBy}`).map((r) => String(r.LastName));
  const failure = (soql: string): SoqlError => {
    try {
      compileSoql(soql, { personAccounts: true });
    } catch (err) {
      if (err instanceof SoqlError) return err;
      throw err;
    }
    throw new Error(`expected ${soql} to fail`);
  };

  describe('comparison operators', () => {
    it('= and != on text are case-insensitive, and != keeps nulls', () => {
      expect(lastNames("WHERE Title = 'ceo'")).toEqual(['Lovelace', 'Müller']);
      expect(lastNames("WHERE Title != 'CEO'")).toEqual(['Hopper', 'Turing', "O'Brien", 'percent%sign_under']);
      expect(lastNames("WHERE Title <> 'CEO'")).toEqual(lastNames("WHERE Title != 'CEO'"));
    });

    it('< > <= >= order text case-insensitively and never match nulls', () => {
      expect(lastNames("WHERE LastName < 'm'")).toEqual(['Lovelace', 'Hopper']);
      expect(lastNames("WHERE LastName <= 'HOPPER'")).toEqual(['Hopper']);
      expect(lastNames("WHERE LastName > 'o'")).toEqual(['Turing', "O'Brien", 'percent%sign_under']);
      expect(lastNames("WHERE Title >= 'CTO'")).toEqual(['Hopper', "O'Brien"]);
      expect(lastNames("WHERE Title < 'zzz'")).not.toContain('Turing');
    });

    it('= null and != null test for null', () => {
      expect(lastNames('WHERE Email = null')).toEqual(['Hopper', 'percent%sign_under']);
      expect(lastNames('WHERE Email != null')).toEqual(['Lovelace', 'Turing', "O'Brien", 'Müller']);
    });

    it('IN and NOT IN, with NOT IN keeping nulls and IN (null) matching them', () => {
      expect(lastNames("WHERE Title IN ('cto', 'Head of IT')")).toEqual(['Hopper', "O'Brien"]);
      expect(lastNames("WHERE Title NOT IN ('CEO', 'CTO')")).toEqual(['Turing', "O'Brien", 'percent%sign_under']);
      expect(lastNames("WHERE Email IN (null, 'ada@acme.test')")).toEqual(['Lovelace', 'Hopper', 'percent%sign_under']);
    });

    it('IN on ids accepts 15- and 18-character ids', () => {
      expect(lastNames(`WHERE Id IN ('${ids[0].slice(0, 15)}', '${ids[2]}')`)).toEqual(['Lovelace', 'Turing']);
    });

    it('LIKE: % any run, _ one character, case-insensitive, \\% and \\_ literal', () => {
      expect(lastNames("WHERE LastName LIKE 'l%'")).toEqual(['Lovelace']);
      expect(lastNames("WHERE Email LIKE '%@ACME.test'")).toEqual(['Lovelace', "O'Brien"]);
      expect(lastNames("WHERE LastName LIKE 'H_pper'")).toEqual(['Hopper']);
      expect(lastNames("WHERE LastName LIKE 'M_ller'")).toEqual(['Müller']);
      expect(lastNames("WHERE Title LIKE '100\\% sure'")).toEqual(['percent%sign_under']);
      expect(lastNames("WHERE LastName LIKE '%\\_under'")).toEqual(['percent%sign_under']);
      expect(lastNames("WHERE LastName LIKE 'percent\\_%'")).toEqual([]);
      expect(lastNames("WHERE NOT LastName LIKE '%E%'")).toEqual(['Turing']);
      expect(lastNames("WHERE Title LIKE '%'")).not.toContain('Turing');
    });

    it('booleans, numbers-as-values and string escapes', () => {
      expect(lastNames('WHERE IsDeleted = false')).toHaveLength(6);
      expect(lastNames('WHERE IsDeleted = TRUE')).toEqual([]);
      expect(lastNames("WHERE LastName = 'O\\'Brien'")).toEqual(["O'Brien"]);
      expect(lastNames("WHERE LastName IN ('x\\\\y', 'line\\nbreak', 'Turing')")).toEqual(['Turing']);
    });
  });

  describe('logical operators and precedence', () => {
    it('AND chains and OR chains', () => {
      expect(lastNames("WHERE Title = 'CEO' AND Email LIKE '%acme%'")).toEqual(['Lovelace']);
      expect(lastNames("WHERE Title = 'CTO' OR LastName = 'Turing' OR Email = 'zoe@globex.test'")).toEqual([
        'Hopper',
        'Turing',
        'Müller',
      ]);
    });

    it('parentheses decide grouping', () => {
      // (CEO or CTO) and no email: only Hopper; CEO or (CTO and no email): Lovelace, Hopper, Müller.
      expect(lastNames("WHERE (Title = 'CEO' OR Title = 'CTO') AND Email = null")).toEqual(['Hopper']);
      expect(lastNames("WHERE Title = 'CEO' OR (Title = 'CTO' AND Email = null)")).toEqual([
        'Lovelace',
        'Hopper',
        'Müller',
      ]);
      expect(lastNames("WHERE ((Title = 'CEO') AND (AccountId != null)) OR (((LastName = 'Turing')))")).toEqual([
        'Lovelace',
        'Turing',
        'Müller',
      ]);
    });

    it('NOT binds tighter than AND and OR', () => {
      expect(lastNames("WHERE NOT Title = 'CEO' AND Email != null")).toEqual(['Turing', "O'Brien"]);
      expect(lastNames("WHERE NOT (Title = 'CEO' OR Email = null)")).toEqual(['Turing', "O'Brien"]);
      expect(lastNames("WHERE NOT NOT Title = 'CTO'")).toEqual(['Hopper']);
      expect(lastNames("WHERE (NOT Title = 'CEO') OR LastName = 'Lovelace'")).toEqual([
        'Lovelace',
        'Hopper',
        'Turing',
        "O'Brien",
        'percent%sign_under',
      ]);
    });

    it('mixing AND and OR without parentheses is MALFORMED_QUERY, as on the platform', () => {
      const err = failure("SELECT Id FROM Contact WHERE Title = 'CEO' AND Email = null OR LastName = 'x'");
      expect(err.errorCode).toBe('MALFORMED_QUERY');
      expect(err.message).toContain("unexpected token: 'OR'");
      expect(failure("SELECT Id FROM Contact WHERE Title = 'a' OR Title = 'b' AND Email = null").errorCode).toBe(
        'MALFORMED_QUERY',
      );
    });
  });

  describe('relationship fields', () => {
    it('filters and reads parent fields, with null when there is no parent', () => {
      expect(lastNames("WHERE Account.Name = 'acme'")).toEqual(['Lovelace', "O'Brien"]);
      expect(lastNames('WHERE Account.Name = null')).toEqual(['Turing', 'percent%sign_under']);
      expect(lastNames("WHERE account.name != 'Acme'")).toEqual(['Hopper', 'Turing', 'Müller', 'percent%sign_under']);
    });

    it('shapes REST records with nested parents, canonical names and +0000 datetimes', () => {
      const query = compileSoql(
        "select id, lastname, ACCOUNT.NAME, account.owner.name, createddate from contact where lastname in ('Lovelace', 'Turing') order by lastname",
        { personAccounts: true },
      );
      const results = new QueryResults(org.store, query, false);
      const shape = restRecordShaper(org.store, query, '62.0');
      const [lovelace, turing] = [results.next(), results.next()].map((r) => shape(r as SfRecord, results.parents));
      expect(Object.keys(lovelace)).toEqual(['attributes', 'Id', 'LastName', 'Account', 'CreatedDate']);
      expect(lovelace).toEqual({
        attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${ids[0]}` },
        Id: ids[0],
        LastName: 'Lovelace',
        Account: {
          attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${acme}` },
          Name: 'Acme',
          Owner: {
            attributes: { type: 'User', url: expect.stringContaining('/sobjects/User/005') },
            Name: 'Avery Admin',
          },
        },
        CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      });
      expect(turing.Account).toBeNull();
    });
  });

  describe('date and datetime literals', () => {
    const old = org.store.insert('Lead', [{ LastName: 'Old', Company: 'X' }], actor)[0].id as string;
    it('compares datetimes in UTC whatever the offset, with or without milliseconds', () => {
      const created = String(org.store.get('Lead', old)?.CreatedDate);
      const instant = Date.parse(created);
      const leads = (where: string): string[] => run(`SELECT Id FROM Lead WHERE ${where}`).map((r) => r.Id);
      // The same instant written with a +02:00 offset: local time two hours ahead.
      const local = new Date(instant + 2 * 3600_000).toISOString().slice(0, 23);
      expect(leads(`CreatedDate = ${created}`)).toEqual([old]);
      expect(leads(`CreatedDate = ${local}+02:00`)).toEqual([old]);
      expect(leads(`CreatedDate = ${local}+0200`)).toEqual([old]);
      expect(leads(`CreatedDate = ${created.slice(0, 19)}Z`)).toEqual(created.slice(19, 23) === '.000' ? [old] : []);
      expect(leads(`CreatedDate > ${new Date(instant - 1000).toISOString().slice(0, 19)}Z`)).toEqual([old]);
      expect(leads(`CreatedDate < 2020-01-01T00:00:00-08:00`)).toEqual([]);
      expect(leads('CreatedDate = TODAY')).toEqual([old]);
      expect(leads('CreatedDate = LAST_N_DAYS:3')).toEqual([old]);
      expect(leads('CreatedDate < TODAY')).toEqual([]);
      expect(leads('CreatedDate > YESTERDAY')).toEqual([old]);
      expect(leads('CreatedDate = NEXT_N_DAYS:2')).toEqual([]);
    });

    it('rejects a quoted or date-only value for a datetime field', () => {
      expect(failure("SELECT Id FROM Contact WHERE CreatedDate > '2024-01-01T00:00:00Z'").message).toContain(
        "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes",
      );
      expect(failure('SELECT Id FROM Contact WHERE CreatedDate > 2024-01-01').errorCode).toBe('INVALID_FIELD');
      expect(failure('SELECT Id FROM Contact WHERE CreatedDate > 2024-01-01T00:00:00').errorCode).toBe(
        'MALFORMED_QUERY',
      );
      expect(failure('SELECT Id FROM Contact WHERE CreatedDate > 2024-02-30T00:00:00Z').errorCode).toBe(
        'MALFORMED_QUERY',
      );
    });
  });

  describe('ORDER BY, LIMIT, OFFSET', () => {
    it('sorts case-insensitively, several keys, nulls first by default', () => {
      expect(lastNames('', 'ORDER BY Title, LastName')).toEqual([
        'Turing',
        'percent%sign_under',
        'Lovelace',
        'Müller',
        'Hopper',
        "O'Brien",
      ]);
      expect(lastNames('', 'ORDER BY Title DESC, LastName DESC')).toEqual([
        'Turing',
        "O'Brien",
        'Hopper',
        'Müller',
        'Lovelace',
        'percent%sign_under',
      ]);
      expect(lastNames('', 'ORDER BY Title DESC NULLS LAST, LastName')).toEqual([
        "O'Brien",
        'Hopper',
        'Lovelace',
        'Müller',
        'percent%sign_under',
        'Turing',
      ]);
      expect(lastNames('', 'ORDER BY Account.Name NULLS LAST, FirstName NULLS FIRST')).toEqual([
        'Lovelace',
        "O'Brien",
        'Hopper',
        'Müller',
        'percent%sign_under',
        'Turing',
      ]);
    });

    it('LIMIT and OFFSET apply after ordering', () => {
      expect(lastNames('', 'ORDER BY LastName LIMIT 2')).toEqual(['Hopper', 'Lovelace']);
      expect(lastNames('', 'ORDER BY LastName LIMIT 2 OFFSET 2')).toEqual(['Müller', "O'Brien"]);
      expect(lastNames('', 'ORDER BY Id LIMIT 1 OFFSET 5')).toEqual(['percent%sign_under']);
      expect(lastNames('', 'ORDER BY Id DESC LIMIT 2')).toEqual(['percent%sign_under', 'Müller']);
      expect(lastNames('', 'LIMIT 0')).toEqual([]);
      expect(failure('SELECT Id FROM Contact OFFSET 2001').errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
    });

    it('totals and seeks agree with the rows', () => {
      const query = compileSoql('SELECT Id FROM Contact WHERE Email != null ORDER BY LastName DESC LIMIT 3 OFFSET 1', {
        personAccounts: true,
      });
      const results = new QueryResults(org.store, query, false);
      expect(results.total()).toBe(3);
      const first = results.next();
      results.next();
      results.seek(0);
      expect(results.next()).toBe(first);
      const unordered = new QueryResults(
        org.store,
        compileSoql('SELECT Id FROM Contact WHERE Title != null', { personAccounts: true }),
        false,
      );
      expect(unordered.total()).toBe(5);
      unordered.seek(3);
      expect(unordered.next()?.LastName).toBe('Müller');
      expect(unordered.position).toBe(4);
    });
  });

  it('COUNT() counts matches', () => {
    const query = compileSoql("SELECT COUNT() FROM Contact WHERE Account.Name LIKE 'a%'", { personAccounts: true });
    expect(query.count).toBe(true);
    expect(new QueryResults(org.store, query, false).total()).toBe(2);
  });

  it('queryAll (includeDeleted) sees deleted records, query does not', () => {
    const [doomed] = org.store.insert('Contact', [{ LastName: 'Doomed' }], actor).map((r) => r.id as string);
    org.store.delete('Contact', [doomed], actor);
    expect(run("SELECT Id FROM Contact WHERE LastName = 'Doomed'")).toEqual([]);
    expect(run("SELECT Id, IsDeleted FROM Contact WHERE LastName = 'Doomed'", true)).toMatchObject([
      { Id: doomed, IsDeleted: true },
    ]);
    expect(run('SELECT Id FROM Contact WHERE IsDeleted = true', true).map((r) => r.Id)).toEqual([doomed]);
  });

  describe('errors name the problem like Salesforce', () => {
    it.each([
      ['SELECT FROM Contact', 'MALFORMED_QUERY', "unexpected token: 'FROM'"],
      ['SELECT Id, FROM Contact', 'MALFORMED_QUERY', "unexpected token: 'FROM'"],
      ['SELECT Id Contact', 'MALFORMED_QUERY', "expecting 'FROM'"],
      ["SELECT Id FROM Contact WHERE LastName = 'open", 'MALFORMED_QUERY', 'unterminated string literal'],
      ["SELECT Id FROM Contact WHERE LastName = 'a\\qb'", 'MALFORMED_QUERY', 'Invalid string literal'],
      ['SELECT Id FROM Contact WHERE', 'MALFORMED_QUERY', 'unexpected end of query'],
      ['SELECT Id FROM Contact WHERE (LastName = null', 'MALFORMED_QUERY', "expecting ')'"],
      ['SELECT Id FROM Contact LIMIT x', 'MALFORMED_QUERY', 'LIMIT must be a non-negative integer'],
      ['SELECT Id FROM Contact GROUP BY LastName', 'MALFORMED_QUERY', 'GROUP is not supported'],
      [
        'SELECT Id, (SELECT Id FROM Contacts) FROM Account',
        'MALFORMED_QUERY',
        'relationship subqueries are not supported',
      ],
      ['SELECT Id FROM Contact WHERE LastName = :name', 'MALFORMED_QUERY', 'bind variables'],
      ['SELECT Id, Id FROM Contact', 'MALFORMED_QUERY', 'duplicate field selected: Id'],
      ['SELECT Id FROM Foo__c', 'INVALID_TYPE', "sObject type 'Foo__c' is not supported"],
      ['SELECT Id, Nickname FROM Contact', 'INVALID_FIELD', "No such column 'Nickname' on entity 'Contact'"],
      ['SELECT Boss.Name FROM Contact', 'INVALID_FIELD', "Didn't understand relationship 'Boss' in field path"],
      ['SELECT Account.Nickname FROM Contact', 'INVALID_FIELD', "No such column 'Nickname' on entity 'Account'"],
      ["SELECT Id FROM Contact WHERE Description = 'x'", 'INVALID_FIELD', "field 'Description' can not be filtered"],
      ['SELECT Id FROM Contact ORDER BY Description', 'INVALID_FIELD', "field 'Description' can not be sorted"],
      [
        'SELECT Id FROM Contact WHERE Phone = 5',
        'INVALID_FIELD',
        "field 'Phone' must be of type string and should be enclosed in quotes",
      ],
      [
        "SELECT Id FROM Contact WHERE IsDeleted = 'false'",
        'INVALID_FIELD',
        'must be of type boolean and should not be enclosed in quotes',
      ],
      ["SELECT Id FROM Contact WHERE AccountId = 'nope'", 'INVALID_QUERY_FILTER_OPERATOR', 'invalid ID field: nope'],
      ["SELECT Id FROM Contact WHERE Id LIKE '003%'", 'INVALID_FIELD', 'LIKE is only valid on string fields'],
      ['SELECT Id FROM Contact WHERE LastName < null', 'MALFORMED_QUERY', 'null can only be compared with = or !='],
      ['SELECT IsPersonAccount FROM Account', null, ''],
    ])('%s → %s', (soql, code, text) => {
      if (code === null) {
        expect(() => compileSoql(soql, { personAccounts: true })).not.toThrow();
        expect(() => compileSoql(soql, { personAccounts: false })).toThrow(
          "No such column 'IsPersonAccount' on entity 'Account'",
        );
        return;
      }
      const err = failure(soql);
      expect(err.errorCode).toBe(code);
      expect(err.message).toContain(text);
    });

    it('points at the offending column, as the platform does', () => {
      const err = failure('SELECT Id, Nickname FROM Contact');
      expect(err.message).toBe(
        "\nSELECT Id, Nickname FROM Contact\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nickname' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
      );
      expect(failure('SELECT Id\nFROM Contact\nWHERE x = 1 AND').message).toContain('ERROR at Row:3:Column:');
    });
  });

  it('keywords and field names are case-insensitive; WITH SECURITY_ENFORCED is accepted', () => {
    expect(
      run("select ID, lastNAME from CONTACT where LASTNAME = 'turing' with security_enforced limit 5"),
    ).toMatchObject([{ LastName: 'Turing' }]);
  });
});
