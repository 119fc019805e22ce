import * as fs from 'node:fs';
import * as path from 'node:path';
import { FORCE_APP } from '../../../scripts/package/paths';
import { elementsOf, readXml, textOf } from '../../../scripts/package/xml';

/**
 * Package version creation runs the Apex tests as a user who holds none of the package's permission sets, so
 * `insert as user` and `WITH USER_MODE` on the package's own objects would fail there. sfdx-project.json's
 * apexTestAccess gives that user the admin permission set; this checks the set exists and really grants what
 * the tests do on every custom object of the package.
 */
const REPO = path.resolve(__dirname, '..', '..', '..');
const project = JSON.parse(fs.readFileSync(path.join(REPO, 'sfdx-project.json'), 'utf8')) as {
  packageDirectories: { path: string; package?: string; apexTestAccess?: { permissionSets?: string[] } }[];
};

describe('apexTestAccess (package version creation tests)', () => {
  const packaged = project.packageDirectories.filter((dir) => dir.package);
  const permissionSets = packaged.flatMap((dir) => dir.apexTestAccess?.permissionSets ?? []);

  test('every packaged directory names permission sets for its test user', () => {
    expect(packaged.length).toBeGreaterThan(0);
    for (const dir of packaged) expect(dir.apexTestAccess?.permissionSets?.length ?? 0).toBeGreaterThan(0);
  });

  test('they exist and grant create, read, edit and delete on every custom object of the package', () => {
    const customObjects = fs
      .readdirSync(path.join(FORCE_APP, 'main', 'default', 'objects'))
      .filter((name) => name.endsWith('__c'));
    expect(customObjects.length).toBeGreaterThan(0);
    const granted = new Map<string, Set<string>>();
    for (const name of permissionSets) {
      const file = path.join(FORCE_APP, 'main', 'default', 'permissionsets', `${name}.permissionset-meta.xml`);
      expect(fs.existsSync(file)).toBe(true);
      for (const permission of elementsOf(readXml(file).root, 'objectPermissions')) {
        const object = textOf(permission, 'object') ?? '';
        const rights = granted.get(object) ?? new Set<string>();
        for (const right of ['allowCreate', 'allowRead', 'allowEdit', 'allowDelete']) {
          if (textOf(permission, right) === 'true') rights.add(right);
        }
        granted.set(object, rights);
      }
    }
    for (const object of customObjects) {
      expect({ object, rights: [...(granted.get(object) ?? [])].sort() }).toEqual({
        object,
        rights: ['allowCreate', 'allowDelete', 'allowEdit', 'allowRead'],
      });
    }
  });
});

describe('test users', () => {
  const classes = path.join(FORCE_APP, 'main', 'default', 'classes');
  const profileQueries = fs
    .readdirSync(classes)
    .filter((name) => name.endsWith('.cls'))
    .flatMap((name) => {
      const text = fs.readFileSync(path.join(classes, name), 'utf8');
      return [...text.matchAll(/\[\s*SELECT[^\]]*?\bFROM\s+Profile\b[^\]]*\]/gi)].map((m) => ({ name, soql: m[0] }));
    });

  test('profiles are picked among full Salesforce licences, never by creation order', () => {
    // A CreatedDate order picks among profiles created in the same instant: a Chatter or Identity licence
    // profile could come first, and inserting a user with it fails or lacks object access.
    expect(profileQueries.length).toBeGreaterThan(0);
    for (const { name, soql } of profileQueries) {
      expect({ name, licence: /UserLicense\.Name\s*=\s*'Salesforce'/i.test(soql) }).toEqual({ name, licence: true });
      expect({ name, byCreation: /ORDER\s+BY\s+CreatedDate/i.test(soql) }).toEqual({ name, byCreation: false });
    }
  });
});
