import { apexSyntaxProblems, parseApex } from '../../../scripts/package/apexParse';
import { apexSourceFiles } from '../../../scripts/package/paths';
import { tempDir } from './tmpFiles';

/** Every class and trigger parses with @apexdevtools/apex-parser; all problems are listed at once. */

describe('Apex syntax (apex-parser, lexer and parser errors)', () => {
  const files = apexSourceFiles();

  test('the package has Apex classes and triggers', () => {
    expect(files.filter((file) => file.endsWith('.cls')).length).toBeGreaterThan(0);
    expect(files.filter((file) => file.endsWith('.trigger')).length).toBeGreaterThan(0);
  });

  test('every .cls and .trigger parses (file:line:col message)', () => {
    expect(apexSyntaxProblems(files)).toEqual([]);
  });
});

describe('the syntax checker itself', () => {
  const scratch = tempDir('apex-syntax');
  afterAll(() => scratch.cleanup());

  test('reports a parser error and a lexer error in the same file, with file:line:col', () => {
    const file = scratch.write(
      'classes/Broken.cls',
      [
        'public with sharing class Broken {',
        '  public void m() {',
        '    Integer x = 1',
        "    String s = 'bad \\q escape';",
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const problems = apexSyntaxProblems([file]);
    // The missing ';' after `1` is seen at the next token; the invalid escape is a lexer error.
    expect(problems).toEqual(
      expect.arrayContaining([
        `${file}:4:5 missing ';' at 'String'`,
        expect.stringMatching(/Broken\.cls:4:16 token recognition error/),
      ]),
    );
    expect(problems.every((p) => p.startsWith(file))).toBe(true);
  });

  test('parses triggers with the trigger grammar and classes with the class grammar', () => {
    const trigger =
      'trigger T on Contact(after insert, after update) {\n  new SwitchboardChangeHandler(Contact.SObjectType).run();\n}\n';
    expect(parseApex(trigger, 'trigger').problems).toEqual([]);
    expect(parseApex(trigger, 'class').problems).not.toEqual([]);
  });

  test('a clean class has no problems, whatever the keyword case (Apex is case-insensitive)', () => {
    expect(parseApex('PUBLIC WITH SHARING CLASS Fine { Public Integer n() { RETURN 1; } }', 'class').problems).toEqual(
      [],
    );
  });
});
