import { FORCE_APP } from '../../../scripts/package/paths';
import { TEXT_LIMITS, textLengthProblems, uncoveredTexts } from '../../../scripts/package/textLimits';
import { tempDir } from './tmpFiles';

/**
 * The org refuses a whole deploy for one text over its limit; source-deploy-retrieve does not look. These
 * checks count every label, description, help text, error message and picklist value the package ships.
 */
describe('metadata text limits', () => {
  test('no label, description, help text, error message or picklist value of the package is over its limit', () => {
    expect(textLengthProblems(FORCE_APP)).toEqual([]);
  });

  test('every readable text the package ships has a limit (a new type or element gets one before it ships)', () => {
    expect(uncoveredTexts(FORCE_APP)).toEqual([]);
  });

  describe('a package with texts over their limits', () => {
    const scratch = tempDir('text-limits');
    const root = `${scratch.dir}/force-app`;
    const xml = (type: string, body: string) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="http://soap.sforce.com/2006/04/metadata">\n${body}\n</${type}>\n`;
    const text = (n: number) => 'x'.repeat(n);

    beforeAll(() => {
      const main = 'force-app/main/default';
      // The deploy blocker as it shipped: a 263-character permission set description.
      scratch.write(
        `${main}/permissionsets/Too_Long.permissionset-meta.xml`,
        xml('PermissionSet', `<label>Too Long</label><description>${text(263)}</description>`),
      );
      // 255 characters once `&amp;` is read as one: within the limit.
      scratch.write(
        `${main}/permissionsets/Just_Right.permissionset-meta.xml`,
        xml('PermissionSet', `<label>Just Right</label><description>${text(254)}&amp;</description>`),
      );
      scratch.write(
        `${main}/objects/Thing__c/fields/Help__c.field-meta.xml`,
        xml(
          'CustomField',
          `<fullName>Help__c</fullName><label>${text(41)}</label><inlineHelpText>${text(511)}</inlineHelpText>` +
            `<type>Picklist</type><valueSet><valueSetDefinition><value><fullName>A</fullName><label>A</label></value>` +
            `<value><fullName>B</fullName><label>${text(256)}</label></value></valueSetDefinition></valueSet>`,
        ),
      );
      scratch.write(
        `${main}/objects/Thing__c/listViews/All.listView-meta.xml`,
        xml('ListView', `<fullName>All</fullName><label>${text(41)}</label>`),
      );
      scratch.write(
        `${main}/customPermissions/Odd.customPermission-meta.xml`,
        xml('CustomPermission', `<label>Odd</label><description>short</description><helpText>new</helpText>`),
      );
    });
    afterAll(() => scratch.cleanup());

    test('each is named with its file, element, length and limit; a text at its limit passes', () => {
      const problems = textLengthProblems(root);
      const expected = [
        /Help__c\.field-meta\.xml: <label> is 41 characters; CustomField allows 40$/,
        /Help__c\.field-meta\.xml: <inlineHelpText> is 511 characters; CustomField allows 510$/,
        /Help__c\.field-meta\.xml: <valueSet\.valueSetDefinition\.value\.label> is 256 characters; CustomField allows 255$/,
        /All\.listView-meta\.xml: <label> is 41 characters; ListView allows 40$/,
        /Too_Long\.permissionset-meta\.xml: <description> is 263 characters; PermissionSet allows 255$/,
      ];
      expect(problems).toHaveLength(expected.length);
      for (const pattern of expected) expect(problems).toContainEqual(expect.stringMatching(pattern));
    });

    test('a readable element no limit covers is reported', () => {
      expect(uncoveredTexts(root)).toEqual(['CustomPermission: helpText']);
    });
  });

  test('limits are positive whole numbers', () => {
    for (const limits of Object.values(TEXT_LIMITS)) {
      for (const limit of Object.values(limits)) expect(Number.isInteger(limit) && limit > 0).toBe(true);
    }
  });
});
