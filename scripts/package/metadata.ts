import * as fs from 'node:fs';
import * as path from 'node:path';
import { ComponentSet, ForceIgnore, MetadataConverter, type SourceComponent } from '@salesforce/source-deploy-retrieve';
import { apexSourceFiles, displayPath, FORCE_APP, isApexSource, sourceApiVersion, walkFiles } from './paths';
import { METADATA_NAMESPACE, readXml, textOf, xmlSyntaxError, type XmlElement, type XmlNode } from './xml';

/**
 * Offline deployability checks with @salesforce/source-deploy-retrieve (SDR). SDR is lenient: a
 * file it cannot place may be skipped and it does not parse XML it only copies. So besides resolving
 * and converting, these checks hold every file against a component, parse every component's XML and
 * compare its root element with the metadata type SDR resolved it to.
 */

export interface ResolvedPackage {
  componentSet: ComponentSet;
  /** Every source component, children (fields, validation rules, list views ...) included. */
  components: SourceComponent[];
}

export function resolvePackage(root: string = FORCE_APP): ResolvedPackage {
  const componentSet = ComponentSet.fromSource(root);
  const components: SourceComponent[] = [];
  const add = (component: SourceComponent): void => {
    components.push(component);
    component.getChildren().forEach(add);
  };
  componentSet.getSourceComponents().toArray().forEach(add);
  return { componentSet, components };
}

/** Files under `root` (not excluded by .forceignore) that no component claims as its XML or content. */
export function unclaimedFiles(root: string, components: readonly SourceComponent[]): string[] {
  const claimed = new Set<string>();
  for (const component of components) {
    if (component.xml) claimed.add(path.resolve(component.xml));
    if (component.content) component.walkContent().forEach((file) => claimed.add(path.resolve(file)));
  }
  const forceIgnore = ForceIgnore.findAndCreate(root);
  return walkFiles(root).filter((file) => !claimed.has(file) && !forceIgnore.denies(file));
}

export interface ConversionResult {
  packageXml: string;
  /** Files written, relative to the package folder. */
  files: string[];
}

/** Converts to metadata (mdapi) format in `outputDirectory`, as `sf project convert source` does. */
export async function convertToMetadataFormat(
  componentSet: ComponentSet,
  outputDirectory: string,
): Promise<ConversionResult> {
  const result = await new MetadataConverter().convert(componentSet, 'metadata', {
    type: 'directory',
    outputDirectory,
  });
  if (!result.packagePath) throw new Error('conversion wrote no package folder');
  const packageXml = path.join(result.packagePath, 'package.xml');
  if (!fs.existsSync(packageXml)) throw new Error(`conversion wrote no package.xml in ${result.packagePath}`);
  const packagePath = result.packagePath;
  return { packageXml, files: walkFiles(packagePath).map((file) => path.relative(packagePath, file)) };
}

/**
 * The XML root element a component's file must have. For every type this package uses (objects,
 * fields, validation rules, list views, layouts, Apex, permission sets, applications, tabs, custom
 * permissions, custom metadata records, flexipages, LWC bundles) it is the metadata type's name.
 */
export function expectedRootElement(component: SourceComponent): string {
  return component.type.name;
}

/** Well-formedness, root element and metadata namespace of every component's XML file. */
export function componentXmlProblems(components: readonly SourceComponent[]): string[] {
  const problems: string[] = [];
  for (const component of components) {
    if (!component.xml) continue;
    const where = `${displayPath(component.xml)} (${component.type.name} ${component.fullName})`;
    const syntax = xmlSyntaxError(fs.readFileSync(component.xml, 'utf8'));
    if (syntax) {
      problems.push(`${where}: not well-formed XML at ${syntax}`);
      continue;
    }
    const doc = readXml(component.xml);
    const expected = expectedRootElement(component);
    if (doc.rootName !== expected) problems.push(`${where}: root element <${doc.rootName}>, expected <${expected}>`);
    if (doc.root['@_xmlns'] !== METADATA_NAMESPACE) {
      problems.push(
        `${where}: root element needs xmlns="${METADATA_NAMESPACE}" (has ${JSON.stringify(doc.root['@_xmlns'] ?? null)})`,
      );
    }
  }
  return problems;
}

/** Every class and trigger has its -meta.xml with the right root, the project's API version and status Active. */
export function apexMetaProblems(root: string = FORCE_APP): string[] {
  const apiVersion = sourceApiVersion();
  const problems: string[] = [];
  for (const file of apexSourceFiles(root)) {
    const metaFile = `${file}-meta.xml`;
    const expectedRoot = file.endsWith('.cls') ? 'ApexClass' : 'ApexTrigger';
    if (!fs.existsSync(metaFile)) {
      problems.push(
        `${displayPath(file)}: missing ${path.basename(metaFile)} (<${expectedRoot}> with apiVersion ${apiVersion}, status Active)`,
      );
      continue;
    }
    const doc = readXml(metaFile);
    const where = displayPath(metaFile);
    if (doc.rootName !== expectedRoot)
      problems.push(`${where}: root element <${doc.rootName}>, expected <${expectedRoot}>`);
    if (textOf(doc.root, 'apiVersion') !== apiVersion) {
      problems.push(
        `${where}: apiVersion ${textOf(doc.root, 'apiVersion') ?? '(none)'}, expected ${apiVersion} (sfdx-project.json sourceApiVersion)`,
      );
    }
    if (textOf(doc.root, 'status') !== 'Active')
      problems.push(`${where}: status ${textOf(doc.root, 'status') ?? '(none)'}, expected Active`);
  }
  for (const metaFile of walkFiles(root).filter((file) => /\.(cls|trigger)-meta\.xml$/.test(file))) {
    const source = metaFile.replace(/-meta\.xml$/, '');
    if (!fs.existsSync(source)) problems.push(`${displayPath(metaFile)}: no ${path.basename(source)} next to it`);
  }
  return problems;
}

/**
 * A custom object's folder (`__c`, `__e`, `__mdt`) needs its .object-meta.xml: without it SDR
 * resolves the fields as children of an object the org does not have, and only the deploy fails.
 */
export function objectFolderProblems(root: string = FORCE_APP): string[] {
  const folders = new Set(
    walkFiles(root)
      .map((file) => path.relative(root, file).split(path.sep))
      .filter((parts) => parts.length >= 5 && parts[2] === 'objects')
      .map((parts) => parts.slice(0, 4).join(path.sep)),
  );
  return [...folders]
    .filter((folder) => /__(c|e|mdt)$/.test(path.basename(folder)))
    .filter((folder) => !fs.existsSync(path.join(root, folder, `${path.basename(folder)}.object-meta.xml`)))
    .map(
      (folder) =>
        `${displayPath(path.join(root, folder))}: custom object folder without ${path.basename(folder)}.object-meta.xml`,
    );
}

/** Field types a platform event may have (Metadata API). */
export const PLATFORM_EVENT_FIELD_TYPES = ['Checkbox', 'Date', 'DateTime', 'Number', 'Text', 'LongTextArea'] as const;

export interface PlatformEventInfo {
  name: string;
  file: string;
  eventType: string | undefined;
  publishBehavior: string | undefined;
  fields: Array<{ name: string; type: string | undefined; file: string }>;
}

export function platformEvents(components: readonly SourceComponent[]): PlatformEventInfo[] {
  return components
    .filter((c) => c.type.name === 'CustomObject' && c.fullName.endsWith('__e') && c.xml)
    .map((event) => {
      const doc = readXml(event.xml as string);
      const fields = event
        .getChildren()
        .filter((child) => child.type.name === 'CustomField' && child.xml)
        .map((field) => ({
          name: field.fullName.split('.')[1],
          type: textOf(readXml(field.xml as string).root, 'type'),
          file: field.xml as string,
        }));
      return {
        name: event.fullName,
        file: event.xml as string,
        eventType: textOf(doc.root, 'eventType'),
        publishBehavior: textOf(doc.root, 'publishBehavior'),
        fields,
      };
    });
}

/** HighVolume (the only supported event type), a publish behaviour, and only field types events allow. */
export function platformEventProblems(events: readonly PlatformEventInfo[]): string[] {
  const problems: string[] = [];
  for (const event of events) {
    const where = `${displayPath(event.file)} (${event.name})`;
    if (event.eventType !== 'HighVolume')
      problems.push(`${where}: eventType ${event.eventType ?? '(none)'}, expected HighVolume`);
    if (event.publishBehavior !== 'PublishAfterCommit' && event.publishBehavior !== 'PublishImmediately') {
      problems.push(
        `${where}: publishBehavior ${event.publishBehavior ?? '(none)'}, expected PublishAfterCommit or PublishImmediately`,
      );
    }
    for (const field of event.fields) {
      if (!(PLATFORM_EVENT_FIELD_TYPES as readonly string[]).includes(field.type ?? '')) {
        problems.push(
          `${displayPath(field.file)}: type ${field.type ?? '(none)'} is not allowed on a platform event (${PLATFORM_EVENT_FIELD_TYPES.join(', ')})`,
        );
      }
    }
  }
  return problems;
}

/**
 * Person Account field names: metadata naming one fails to deploy to orgs without the feature.
 * `Person` must be followed by a capital (PersonEmail, not "Person Accounts"), and a word character
 * before it hides it (Sync_Person_Accounts__c is the package's own field).
 */
const PERSON_ACCOUNT_REFERENCE = /\bIsPersonAccount\b|\bPerson[A-Z]\w*|\bPERSON_[A-Z]\w*|\b\w+__pc\b/;

/** Elements holding prose for people, not API names: mentioning a field there references nothing. */
const FREE_TEXT_ELEMENTS = new Set([
  'description',
  'inlineHelpText',
  'label',
  'pluralLabel',
  'masterLabel',
  'errorMessage',
  'relationshipLabel',
]);

function personAccountHits(
  node: XmlNode,
  elementPath: string,
  skip: (elementPath: string) => boolean,
  out: string[],
): void {
  if (typeof node === 'string') {
    const match = PERSON_ACCOUNT_REFERENCE.exec(node);
    if (match && !skip(elementPath)) out.push(`<${elementPath}> ${match[0]}`);
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item) => personAccountHits(item, elementPath, skip, out));
    return;
  }
  for (const [name, child] of Object.entries(node)) {
    if (FREE_TEXT_ELEMENTS.has(name)) continue;
    const childPath =
      name === '#text'
        ? elementPath
        : name.startsWith('@_')
          ? `${elementPath}@${name.slice(2)}`
          : `${elementPath}/${name}`;
    personAccountHits(child, childPath, skip, out);
  }
}

/**
 * `file: <element path> Name` for every Person Account field referenced by a metadata (non-Apex)
 * file. Custom metadata record values are data (strings the Apex reads dynamically), not
 * references, so they may name Person Account fields, as Apex string literals may.
 */
export function personAccountReferences(root: string = FORCE_APP): string[] {
  const hits: string[] = [];
  for (const file of walkFiles(root)) {
    if (isApexSource(file)) continue;
    const pathHit = PERSON_ACCOUNT_REFERENCE.exec(path.relative(root, file));
    if (pathHit) hits.push(`${displayPath(file)}: file name ${pathHit[0]}`);
    // Malformed XML is componentXmlProblems' finding; it has no elements to search.
    if (!file.endsWith('.xml') || xmlSyntaxError(fs.readFileSync(file, 'utf8'))) continue;
    const doc = readXml(file);
    const isRecordValue = (elementPath: string): boolean =>
      doc.rootName === 'CustomMetadata' && /^CustomMetadata\/values\/value\b/.test(elementPath);
    const found: string[] = [];
    personAccountHits(doc.root as XmlElement, doc.rootName, isRecordValue, found);
    hits.push(...found.map((hit) => `${displayPath(file)}: ${hit}`));
  }
  return hits;
}
