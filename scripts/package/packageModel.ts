import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCustomMetadataRecords } from '../../service/emulator/org/packageObjects';
import { DEFAULT_DIR, displayPath, OBJECTS_DIR } from './paths';
import { elementsOf, readXml, textOf, type XmlElement } from './xml';

/**
 * The parts of the package's metadata that code on the other side (Apex, the service, the org
 * emulator) must agree with: object fields, picklist values and the shipped default mappings.
 */

export const CUSTOM_METADATA_DIR = path.join(DEFAULT_DIR, 'customMetadata');
export const DEFAULT_MAPPING_TYPE = 'Switchboard_Default_Mapping';

/** The custom field API names of an object (or event) folder, sorted. */
export function objectFieldNames(objectName: string, objectsDir: string = OBJECTS_DIR): string[] {
  const dir = path.join(objectsDir, objectName, 'fields');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.field-meta.xml'))
    .map((file) => file.replace(/\.field-meta\.xml$/, ''))
    .sort();
}

export function readField(objectName: string, fieldName: string, objectsDir: string = OBJECTS_DIR): XmlElement {
  return readXml(path.join(objectsDir, objectName, 'fields', `${fieldName}.field-meta.xml`)).root;
}

function picklistValueElements(field: XmlElement): XmlElement[] {
  return elementsOf(field, 'valueSet')
    .flatMap((set) => elementsOf(set, 'valueSetDefinition'))
    .flatMap((definition) => elementsOf(definition, 'value'));
}

/** A picklist field's value API names, in order (valueSet/valueSetDefinition/value/fullName). */
export function picklistValues(field: XmlElement): string[] {
  return picklistValueElements(field).map((value) => textOf(value, 'fullName') ?? '');
}

/** The picklist value marked <default>true</default>, if any. */
export function picklistDefault(field: XmlElement): string | undefined {
  const value = picklistValueElements(field).find((v) => textOf(v, 'default') === 'true');
  return value && textOf(value, 'fullName');
}

export interface DefaultMappingRecord {
  /** The record's DeveloperName (from the file name). */
  name: string;
  file: string;
  sobject: string;
  sfField: string;
  telephonyField: string;
  direction: string;
  transform: string;
  sortOrder: number | undefined;
}

/**
 * The shipped default mapping records (Switchboard_Default_Mapping.<Name>.md-meta.xml), sorted by
 * object and order. Read with the org emulator's custom metadata reader, the one its seeded records
 * come from, so the check and the emulator see the same values.
 */
export function defaultMappingRecords(dir: string = CUSTOM_METADATA_DIR): DefaultMappingRecord[] {
  return loadCustomMetadataRecords(DEFAULT_MAPPING_TYPE, dir)
    .map((record): DefaultMappingRecord => {
      const name = record.DeveloperName;
      const file = path.join(dir, `${DEFAULT_MAPPING_TYPE}.${name}.md-meta.xml`);
      const required = (field: string): string => {
        const value = record.values[field];
        if (typeof value !== 'string' || value.trim() === '') {
          throw new Error(`${DEFAULT_MAPPING_TYPE} record ${name} (${displayPath(file)}): ${field} is missing`);
        }
        return value;
      };
      const sort = record.values.Sort_Order__c;
      return {
        name,
        file,
        sobject: required('Salesforce_Object__c'),
        sfField: required('Salesforce_Field__c'),
        telephonyField: required('Telephony_Field__c'),
        direction: required('Direction__c'),
        transform: typeof record.values.Transform__c === 'string' ? record.values.Transform__c : 'None',
        sortOrder: sort === null || sort === undefined ? undefined : Number(sort),
      };
    })
    .sort((a, b) => a.sobject.localeCompare(b.sobject) || (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
}

/** The package's mapping direction picklist values, as the service's MappingDirection spells them. */
export const SERVICE_DIRECTION: Readonly<Record<string, string>> = {
  Both: 'both',
  ToTelephony: 'toTelephony',
  ToSalesforce: 'toSalesforce',
};
