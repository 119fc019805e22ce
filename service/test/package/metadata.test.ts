import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  apexMetaProblems,
  componentXmlProblems,
  convertToMetadataFormat,
  objectFolderProblems,
  personAccountReferences,
  platformEventProblems,
  platformEvents,
  resolvePackage,
  unclaimedFiles,
  type ResolvedPackage,
} from '../../../scripts/package/metadata';
import { displayPath, FORCE_APP, walkFiles } from '../../../scripts/package/paths';
import { elementsOf, readXml, textOf } from '../../../scripts/package/xml';
import { tempDir } from './tmpFiles';

/**
 * The package resolves, converts and is well-formed as source-deploy-retrieve sees it, without an
 * org. SDR alone would skip what it cannot place and copy XML it never parses, so each check below
 * closes one of those gaps.
 */

const metaXmlFiles = (root: string): string[] => walkFiles(root).filter((file) => file.endsWith('-meta.xml'));

describe('package metadata (source-deploy-retrieve)', () => {
  let pkg: ResolvedPackage;
  beforeAll(() => {
    pkg = resolvePackage(FORCE_APP);
  });

  test('every *-meta.xml file resolves to a component (nothing silently ignored)', () => {
    const claimed = new Set(pkg.components.map((c) => c.xml && path.resolve(c.xml)));
    const ignored = metaXmlFiles(FORCE_APP).filter((file) => !claimed.has(file));
    expect(ignored.map(displayPath)).toEqual([]);
  });

  test('every file belongs to a component, as its metadata XML or its content', () => {
    expect(unclaimedFiles(FORCE_APP, pkg.components).map(displayPath)).toEqual([]);
  });

  test('every custom object folder has its .object-meta.xml', () => {
    expect(objectFolderProblems(FORCE_APP)).toEqual([]);
  });

  test('converts to metadata format, and package.xml lists every component', async () => {
    const out = tempDir('mdapi');
    try {
      const { packageXml, files } = await convertToMetadataFormat(pkg.componentSet, out.dir);
      const manifest = readXml(packageXml);
      expect(manifest.rootName).toBe('Package');
      const listed = new Set(
        elementsOf(manifest.root, 'types').flatMap((types) => {
          const members = types.members;
          return (Array.isArray(members) ? members : [members]).map(
            (member) => `${textOf(types, 'name')}:${String(member)}`,
          );
        }),
      );
      const expected = pkg.componentSet
        .getSourceComponents()
        .toArray()
        .map((c) => `${c.type.name}:${c.fullName}`);
      expect(expected.filter((member) => !listed.has(member))).toEqual([]);
      expect(files.length).toBeGreaterThan(expected.length);
    } finally {
      out.cleanup();
    }
  });

  test('every component XML is well-formed, in the metadata namespace, with the root element its type expects', () => {
    expect(componentXmlProblems(pkg.components)).toEqual([]);
  });

  test('every class and trigger has its -meta.xml (API version of sfdx-project.json, Active)', () => {
    expect(apexMetaProblems(FORCE_APP)).toEqual([]);
  });

  test('every platform event is HighVolume, with a publish behaviour and only event field types', () => {
    const events = platformEvents(pkg.components);
    expect(events.map((e) => e.name)).toEqual(expect.arrayContaining(['Switchboard_Change__e']));
    expect(platformEventProblems(events)).toEqual([]);
  });

  test('no metadata file references a Person Account field (orgs without them could not deploy)', () => {
    expect(personAccountReferences(FORCE_APP)).toEqual([]);
  });
});

describe('the metadata checks catch what SDR lets through', () => {
  const scratch = tempDir('metadata-negative');
  const root = path.join(scratch.dir, 'force-app');
  const xml = (rootElement: string, body: string): string =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<${rootElement} xmlns="http://soap.sforce.com/2006/04/metadata">\n${body}\n</${rootElement}>\n`;
  let pkg: ResolvedPackage;

  beforeAll(() => {
    const objects = 'force-app/main/default/objects';
    scratch.write(
      `${objects}/Bad__e/Bad__e.object-meta.xml`,
      xml('CustomObject', '<eventType>StandardVolume</eventType><label>Bad</label>'),
    );
    scratch.write(
      `${objects}/Bad__e/fields/When__c.field-meta.xml`,
      xml('CustomField', '<fullName>When__c</fullName><type>Picklist</type>'),
    );
    scratch.write(`${objects}/Thing__c/Thing__c.object-meta.xml`, xml('CustomObject', '<label>Thing</label>'));
    scratch.write(
      `${objects}/Thing__c/fields/Broken__c.field-meta.xml`,
      '<CustomField><fullName>Broken__c</fullName>\n<type>Text</CustomField>\n',
    );
    scratch.write(
      `${objects}/Thing__c/fields/Wrong__c.field-meta.xml`,
      xml('CustomObject', '<fullName>Wrong__c</fullName>'),
    );
    scratch.write(
      `${objects}/Thing__c/validationRules/Needs_Email.validationRule-meta.xml`,
      xml(
        'ValidationRule',
        '<fullName>Needs_Email</fullName><active>true</active><errorConditionFormula>ISBLANK(Account__r.PersonEmail)</errorConditionFormula><errorMessage>PersonEmail is required</errorMessage>',
      ),
    );
    scratch.write(
      'force-app/main/default/customMetadata/Map.Person_Email.md-meta.xml',
      xml(
        'CustomMetadata',
        '<label>Person Email</label><values><field>Field__c</field><value>PersonEmail</value></values>',
      ),
    );
    scratch.write('force-app/main/default/classes/NoMeta.cls', 'public with sharing class NoMeta {}\n');
    scratch.write('force-app/main/default/classes/Old.cls', 'public with sharing class Old {}\n');
    scratch.write(
      'force-app/main/default/classes/Old.cls-meta.xml',
      xml('ApexClass', '<apiVersion>58.0</apiVersion><status>Active</status>'),
    );
    scratch.write('force-app/main/default/classes/notes.txt', 'not metadata\n');
    scratch.write(
      `${objects}/Orphan__c/fields/Lost__c.field-meta.xml`,
      xml('CustomField', '<fullName>Lost__c</fullName><type>Checkbox</type>'),
    );
    pkg = resolvePackage(root);
  });
  afterAll(() => scratch.cleanup());

  test('malformed XML and a root element of the wrong type', () => {
    const problems = componentXmlProblems(pkg.components).join('\n');
    expect(problems).toMatch(/Broken__c\.field-meta\.xml \(CustomField Thing__c\.Broken__c\): not well-formed XML/);
    expect(problems).toMatch(
      /Wrong__c\.field-meta\.xml \(CustomField Thing__c\.Wrong__c\): root element <CustomObject>, expected <CustomField>/,
    );
  });

  test('a class without its -meta.xml, and one on another API version', () => {
    const problems = apexMetaProblems(root).join('\n');
    expect(problems).toMatch(/NoMeta\.cls: missing NoMeta\.cls-meta\.xml/);
    expect(problems).toMatch(/Old\.cls-meta\.xml: apiVersion 58\.0, expected 62\.0/);
  });

  test('a file no component claims', () => {
    const unclaimed = unclaimedFiles(root, pkg.components);
    expect(unclaimed.filter((file) => file.endsWith('notes.txt'))).toHaveLength(1);
    expect(fs.existsSync(unclaimed[0])).toBe(true);
  });

  test('a custom object folder without its object file', () => {
    expect(objectFolderProblems(root)).toEqual([
      expect.stringMatching(/objects\/Orphan__c: custom object folder without Orphan__c\.object-meta\.xml$/),
    ]);
  });

  test('an unknown *-meta.xml fails resolution, naming the file (SDR does not skip it)', () => {
    const odd = tempDir('metadata-unknown');
    try {
      odd.write('force-app/main/default/oddities/Foo.oddity-meta.xml', xml('Oddity', ''));
      expect(() => resolvePackage(path.join(odd.dir, 'force-app'))).toThrow(
        /Foo\.oddity-meta\.xml: Could not infer a metadata type/,
      );
    } finally {
      odd.cleanup();
    }
  });

  test('a platform event that is not HighVolume, has no publish behaviour or a field type events do not allow', () => {
    const problems = platformEventProblems(platformEvents(pkg.components)).join('\n');
    expect(problems).toMatch(/\(Bad__e\): eventType StandardVolume, expected HighVolume/);
    expect(problems).toMatch(/\(Bad__e\): publishBehavior \(none\)/);
    expect(problems).toMatch(/When__c\.field-meta\.xml: type Picklist is not allowed on a platform event/);
  });

  test('a Person Account field in a formula is a reference; in prose or a custom metadata value it is not', () => {
    const hits = personAccountReferences(root);
    expect(hits).toEqual([
      expect.stringMatching(
        /Needs_Email\.validationRule-meta\.xml: <ValidationRule\/errorConditionFormula> PersonEmail$/,
      ),
    ]);
  });
});
