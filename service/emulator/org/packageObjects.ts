import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { DEFAULT_OBJECTS_DIR } from '../pubsub/eventSchemas';
import type { FieldDef } from './schema';

/**
 * The package's own sObjects, read from its metadata (`force-app/main/default/objects/*__c`) so the
 * emulator's schema cannot drift from what the package deploys: the sync settings, field mappings
 * and sync errors, plus the shipped default mappings (custom metadata type and its records), and the
 * custom fields the package adds to Contact and Lead.
 */

/** Stable key prefixes: ids the emulator hands out keep their object across runs and versions. */
export const PACKAGE_KEY_PREFIXES = {
  Switchboard_Sync__c: 'a0A',
  Switchboard_Field_Mapping__c: 'a0B',
  Switchboard_Sync_Error__c: 'a0C',
  Switchboard_Default_Mapping__mdt: 'm00',
} as const;

export const PACKAGE_SOBJECT_NAMES = [
  'Switchboard_Sync__c',
  'Switchboard_Field_Mapping__c',
  'Switchboard_Sync_Error__c',
  'Switchboard_Default_Mapping__mdt',
] as const;
export type PackageSObjectName = (typeof PACKAGE_SOBJECT_NAMES)[number];

export const DEFAULT_MAPPING_TYPE = 'Switchboard_Default_Mapping__mdt';

/** What the metadata says about one object; the schema adds the platform's standard fields. */
export interface PackageObjectDef {
  name: PackageSObjectName;
  label: string;
  labelPlural: string;
  /** False for a master-detail child (its owner is the master's) and for custom metadata. */
  hasOwner: boolean;
  customMetadata: boolean;
  /** The Name field (custom objects), then the custom fields in file-name order. */
  fields: FieldDef[];
}

// Attributes matter only for custom metadata values (xsi:type, xsi:nil).
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: true,
});

type Meta = Record<string, unknown>;

function readMeta(file: string, rootElement: string): Meta {
  const parsed = xml.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const root = parsed[rootElement];
  if (!root || typeof root !== 'object') throw new Error(`${file}: expected a <${rootElement}> root element`);
  return root as Meta;
}

const str = (meta: Meta, key: string): string | undefined =>
  typeof meta[key] === 'string' ? (meta[key] as string) : undefined;
const list = (value: unknown): Meta[] =>
  Array.isArray(value) ? (value as Meta[]) : value && typeof value === 'object' ? [value as Meta] : [];

function picklistOf(meta: Meta): { values: string[]; defaultValue?: string; restricted: boolean } {
  const valueSet = (meta.valueSet ?? {}) as Meta;
  const definition = (valueSet.valueSetDefinition ?? {}) as Meta;
  const values = list(definition.value);
  return {
    values: values.map((value) => String(value.fullName)),
    defaultValue: values.find((value) => value.default === 'true')?.fullName as string | undefined,
    restricted: valueSet.restricted === 'true',
  };
}

/**
 * A field's default as the API reports it after create. Metadata holds a formula: text in quotes,
 * and a percentage as a fraction (0.1 is 10 %, which the API reads and writes as 10).
 */
function defaultOf(where: string, type: string, formula: string | undefined): string | undefined {
  if (formula === undefined || formula === '') return undefined;
  if (type === 'Checkbox') return formula === 'true' ? 'true' : 'false';
  if (type === 'Text') {
    const quoted = /^"(.*)"$/.exec(formula);
    if (!quoted) throw new Error(`${where}: only a quoted text default is supported, got ${formula}`);
    return quoted[1];
  }
  const n = Number(formula);
  if (!Number.isFinite(n)) throw new Error(`${where}: only a numeric default is supported, got ${formula}`);
  return String(type === 'Percent' ? Math.round(n * 100 * 1e6) / 1e6 : n);
}

/** One CustomField file as the emulator's FieldDef. */
export function fieldFromMetadata(objectName: string, meta: Meta): FieldDef {
  const name = String(meta.fullName);
  const where = `${objectName}.${name}`;
  const type = str(meta, 'type') ?? '';
  const label = str(meta, 'label') ?? name;
  const required = meta.required === 'true';
  const base = {
    name,
    label,
    createable: true,
    updateable: true,
    nillable: !required,
    requiredOnCreate: required || undefined,
    externalId: meta.externalId === 'true' || undefined,
    unique: meta.unique === 'true' || undefined,
    caseSensitive: meta.caseSensitive === 'true' || undefined,
  };
  const defaultValue = defaultOf(where, type, str(meta, 'defaultValue'));
  switch (type) {
    case 'Text':
      return { ...base, type: 'string', length: Number(meta.length), defaultValue };
    case 'LongTextArea':
      return { ...base, type: 'textarea', length: Number(meta.length) };
    case 'Checkbox':
      return { ...base, type: 'boolean', nillable: false, defaultValue: defaultValue ?? 'false' };
    case 'Number':
    case 'Percent':
      return { ...base, type: 'double', defaultValue };
    case 'DateTime':
      return { ...base, type: 'datetime' };
    case 'Date':
      return { ...base, type: 'date' };
    case 'Email':
      return { ...base, type: 'email', length: 80 };
    case 'Phone':
      return { ...base, type: 'phone', length: 40 };
    case 'Picklist': {
      const picklist = picklistOf(meta);
      return {
        ...base,
        type: 'picklist',
        length: 255,
        picklistValues: picklist.values,
        restrictedPicklist: picklist.restricted || undefined,
        defaultValue: picklist.defaultValue,
      };
    }
    case 'Lookup':
    case 'MasterDetail': {
      const target = str(meta, 'referenceTo');
      if (!target) throw new Error(`${where}: a ${type} field needs <referenceTo>`);
      const masterDetail = type === 'MasterDetail';
      return {
        ...base,
        type: 'reference',
        length: 18,
        referenceTo: [target],
        // The child-to-parent name (Sync__r); <relationshipName> is the parent's child list.
        relationshipName: name.replace(/__c$/, '__r'),
        childRelationshipName: str(meta, 'relationshipName') && `${str(meta, 'relationshipName')}__r`,
        nillable: masterDetail ? false : base.nillable,
        requiredOnCreate: masterDetail || base.requiredOnCreate,
        updateable: masterDetail ? meta.reparentableMasterDetail === 'true' : true,
      };
    }
    default:
      throw new Error(`${where}: field type ${type || '(none)'} is not supported by the org emulator`);
  }
}

function nameFieldOf(objectName: string, meta: Meta): FieldDef {
  const nameField = (meta.nameField ?? {}) as Meta;
  const label = str(nameField, 'label') ?? 'Name';
  if (nameField.type === 'AutoNumber') {
    const format = str(nameField, 'displayFormat');
    if (!format) throw new Error(`${objectName}: an AutoNumber name field needs <displayFormat>`);
    return {
      name: 'Name',
      label,
      type: 'string',
      length: 80,
      createable: false,
      updateable: false,
      nillable: false,
      autoNumberFormat: format,
    };
  }
  return {
    name: 'Name',
    label,
    type: 'string',
    length: 80,
    createable: true,
    updateable: true,
    nillable: false,
    requiredOnCreate: true,
  };
}

/** The fields every custom metadata record has, read-only through the API. */
function customMetadataFields(): FieldDef[] {
  const readOnly = (name: string, label: string, length: number): FieldDef => ({
    name,
    label,
    type: 'string',
    length,
    createable: false,
    updateable: false,
    nillable: name === 'NamespacePrefix',
  });
  return [
    readOnly('DeveloperName', 'Custom Metadata Record Name', 40),
    readOnly('MasterLabel', 'Label', 40),
    readOnly('Label', 'Label', 40),
    readOnly('QualifiedApiName', 'Qualified API Name', 70),
    readOnly('NamespacePrefix', 'Namespace Prefix', 15),
  ];
}

function fieldFiles(objectsDir: string, objectName: string): string[] {
  const dir = path.join(objectsDir, objectName, 'fields');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith('.field-meta.xml'))
        .sort()
        .map((file) => path.join(dir, file))
    : [];
}

function loadObject(objectsDir: string, name: PackageSObjectName): PackageObjectDef {
  const objectFile = path.join(objectsDir, name, `${name}.object-meta.xml`);
  if (!existsSync(objectFile)) throw new Error(`${name}: missing ${objectFile}`);
  const meta = readMeta(objectFile, 'CustomObject');
  const customMetadata = name.endsWith('__mdt');
  const custom = fieldFiles(objectsDir, name).map((file) => {
    const field = fieldFromMetadata(name, readMeta(file, 'CustomField'));
    // Custom metadata records are deployed, never written through the API.
    return customMetadata ? { ...field, createable: false, updateable: false, requiredOnCreate: undefined } : field;
  });
  const masterDetailChild = fieldFiles(objectsDir, name).some(
    (file) => readMeta(file, 'CustomField').type === 'MasterDetail',
  );
  return {
    name,
    label: str(meta, 'label') ?? name,
    labelPlural: str(meta, 'pluralLabel') ?? name,
    hasOwner: !customMetadata && !masterDetailChild,
    customMetadata,
    fields: [...(customMetadata ? customMetadataFields() : [nameFieldOf(name, meta)]), ...custom],
  };
}

/**
 * The package's custom fields on a standard object (`objects/Contact/fields`), for the emulator's
 * built-in definition of that object to append. None when the package adds none.
 */
export function loadStandardObjectFields(
  objectName: 'Contact' | 'Lead',
  objectsDir: string = DEFAULT_OBJECTS_DIR,
): FieldDef[] {
  return fieldFiles(objectsDir, objectName).map((file) => fieldFromMetadata(objectName, readMeta(file, 'CustomField')));
}

/**
 * The package's objects from `objectsDir`. The folder must hold exactly the objects the emulator
 * knows by name: a new package object needs a key prefix above, so an unknown one is an error.
 */
export function loadPackageObjects(
  objectsDir: string = DEFAULT_OBJECTS_DIR,
): Record<PackageSObjectName, PackageObjectDef> {
  const onDisk = existsSync(objectsDir) ? readdirSync(objectsDir).filter((entry) => /__(c|mdt)$/.test(entry)) : [];
  const unknown = onDisk.filter((entry) => !(PACKAGE_SOBJECT_NAMES as readonly string[]).includes(entry));
  if (unknown.length > 0) {
    throw new Error(
      `${objectsDir}: ${unknown.join(', ')} not known to the org emulator: add a key prefix in packageObjects.ts`,
    );
  }
  return Object.fromEntries(PACKAGE_SOBJECT_NAMES.map((name) => [name, loadObject(objectsDir, name)])) as Record<
    PackageSObjectName,
    PackageObjectDef
  >;
}

/** One custom metadata record: its names and its custom field values (numbers as numbers). */
export interface CustomMetadataRecord {
  DeveloperName: string;
  MasterLabel: string;
  values: Record<string, string | number | boolean | null>;
}

/** A record value as the API returns it: `<value xsi:type="xsd:double">50.0</value>` is the number 50. */
function customMetadataValue(value: unknown): string | number | boolean | null {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return null;
  const element = value as Meta;
  if (element['@xsi:nil'] === 'true') return null;
  const text = typeof element['#text'] === 'string' ? element['#text'] : '';
  switch (element['@xsi:type']) {
    case 'xsd:double':
    case 'xsd:int':
    case 'xsd:long':
      return Number(text);
    case 'xsd:boolean':
      return text === 'true';
    default:
      return text;
  }
}

/** `force-app/main/default/customMetadata`, next to the objects folder. */
export const DEFAULT_CUSTOM_METADATA_DIR = path.join(path.dirname(DEFAULT_OBJECTS_DIR), 'customMetadata');

/**
 * The records of a custom metadata type (`<Type>.<Record>.md-meta.xml`, type without `__mdt`),
 * sorted by DeveloperName.
 */
export function loadCustomMetadataRecords(
  typeName: string,
  dir: string = DEFAULT_CUSTOM_METADATA_DIR,
): CustomMetadataRecord[] {
  const prefix = `${typeName.replace(/__mdt$/, '')}.`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.startsWith(prefix) && file.endsWith('.md-meta.xml'))
    .sort()
    .map((file) => {
      const meta = readMeta(path.join(dir, file), 'CustomMetadata');
      const values: CustomMetadataRecord['values'] = {};
      for (const entry of list(meta.values)) values[String(entry.field)] = customMetadataValue(entry.value);
      const developerName = file.slice(prefix.length, -'.md-meta.xml'.length);
      return { DeveloperName: developerName, MasterLabel: str(meta, 'label') ?? developerName, values };
    });
}
