import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseAvroSchema, type AvroField, type AvroPrimitive, type AvroRecordSchema, type AvroType } from './avro';

/**
 * Platform event schemas built from the package's own metadata (`force-app/.../objects/*__e/`), so the
 * emulator publishes exactly the fields the package defines and the two halves cannot drift.
 */

export type EventFieldType = 'Text' | 'LongTextArea' | 'Number' | 'Checkbox' | 'DateTime' | 'Date';

export interface EventFieldDef {
  name: string;
  type: EventFieldType;
  required: boolean;
  /** Text and LongTextArea: the maximum number of characters. */
  length?: number;
  /** Checkbox: the value when none is given (metadata `defaultValue`). */
  defaultValue?: boolean;
}

export interface PlatformEventSchema {
  /** `/event/Switchboard_Change__e` */
  topicName: string;
  /** `Switchboard_Change__e` */
  eventName: string;
  publishBehavior: string;
  schema: AvroRecordSchema;
  schemaJson: string;
  schemaId: string;
  /** The custom fields, in schema order. */
  fields: EventFieldDef[];
  type: AvroType;
}

export const EVENT_NAMESPACE = 'com.sforce.eventbus';

const OBJECTS_SUBPATH = path.join('force-app', 'main', 'default', 'objects');

/** The repository's force-app objects folder: the nearest one above this file (from source or from dist/). */
function findObjectsDir(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, OBJECTS_SUBPATH);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.resolve(start, '..', '..', '..', OBJECTS_SUBPATH);
  }
}

export const DEFAULT_OBJECTS_DIR = findObjectsDir(__dirname);

const AVRO_TYPE_OF: Record<EventFieldType, AvroPrimitive> = {
  Text: 'string',
  LongTextArea: 'string',
  Number: 'double',
  Checkbox: 'boolean',
  DateTime: 'long',
  Date: 'int',
};

const isEventFieldType = (type: string): type is EventFieldType => Object.hasOwn(AVRO_TYPE_OF, type);

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

function readMetadata(file: string, rootElement: string): Record<string, string> {
  const parsed = xml.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const root = parsed[rootElement];
  if (!root || typeof root !== 'object') throw new Error(`${file}: expected a <${rootElement}> root element`);
  return root as Record<string, string>;
}

function readField(eventName: string, file: string): EventFieldDef {
  const meta = readMetadata(file, 'CustomField');
  const name = meta.fullName || path.basename(file).replace(/\.field-meta\.xml$/, '');
  const where = `${eventName}.${name}`;
  if (!name.endsWith('__c')) throw new Error(`${where}: platform event custom fields end in __c`);
  if (!isEventFieldType(meta.type)) {
    throw new Error(
      `${where}: unsupported platform event field type '${meta.type}' (allowed: ${Object.keys(AVRO_TYPE_OF).join(', ')})`,
    );
  }
  const field: EventFieldDef = { name, type: meta.type, required: meta.required === 'true' };
  if (meta.type === 'Text' || meta.type === 'LongTextArea') {
    const length = Number(meta.length);
    if (!Number.isInteger(length) || length <= 0)
      throw new Error(`${where}: ${meta.type} needs a positive <length>, got '${meta.length}'`);
    field.length = length;
  }
  if (meta.type === 'Checkbox') field.defaultValue = meta.defaultValue === 'true';
  return field;
}

/**
 * The Avro record Salesforce serves for a platform event: the standard CreatedDate (epoch ms) and
 * CreatedById, then each custom field; all custom fields except checkboxes are nullable unions.
 */
function avroSchemaOf(eventName: string, fields: EventFieldDef[]): AvroRecordSchema {
  const custom = fields.map((field): AvroField => {
    const avroType = AVRO_TYPE_OF[field.type];
    return field.type === 'Checkbox'
      ? { name: field.name, type: avroType, default: field.defaultValue ?? false, doc: `Data:${field.type}` }
      : { name: field.name, type: ['null', avroType], default: null, doc: `Data:${field.type}` };
  });
  return {
    type: 'record',
    name: eventName,
    namespace: EVENT_NAMESPACE,
    fields: [
      { name: 'CreatedDate', type: 'long', doc: 'CreatedDate:DateTime' },
      { name: 'CreatedById', type: 'string', doc: 'CreatedBy:EntityId' },
      ...custom,
    ],
  };
}

/** Salesforce schema ids are 22 url-safe base64 characters; a hash of the schema keeps ours stable. */
export function schemaIdOf(schemaJson: string): string {
  return createHash('sha256').update(schemaJson).digest().subarray(0, 16).toString('base64url');
}

function loadEvent(objectsDir: string, eventName: string): PlatformEventSchema {
  const folder = path.join(objectsDir, eventName);
  const objectFile = path.join(folder, `${eventName}.object-meta.xml`);
  if (!existsSync(objectFile)) throw new Error(`${eventName}: missing ${objectFile}`);
  const object = readMetadata(objectFile, 'CustomObject');
  if (object.eventType !== 'HighVolume') {
    throw new Error(
      `${eventName}: eventType must be HighVolume (the only supported type), got '${object.eventType ?? ''}'`,
    );
  }
  const fieldsDir = path.join(folder, 'fields');
  const fieldFiles = existsSync(fieldsDir)
    ? readdirSync(fieldsDir).filter((file) => file.endsWith('.field-meta.xml'))
    : [];
  const fields = fieldFiles
    .map((file) => readField(eventName, path.join(fieldsDir, file)))
    .sort((a, b) => a.name.localeCompare(b.name));
  const schema = avroSchemaOf(eventName, fields);
  const schemaJson = JSON.stringify(schema);
  return {
    topicName: `/event/${eventName}`,
    eventName,
    publishBehavior: object.publishBehavior ?? 'PublishAfterCommit',
    schema,
    schemaJson,
    schemaId: schemaIdOf(schemaJson),
    fields,
    type: parseAvroSchema(schema),
  };
}

/** Every platform event (`*__e`) under `objectsDir`, keyed by topic name. */
export function loadEventSchemas(objectsDir: string = DEFAULT_OBJECTS_DIR): Map<string, PlatformEventSchema> {
  if (!existsSync(objectsDir)) throw new Error(`platform event metadata folder not found: ${objectsDir}`);
  const events = new Map<string, PlatformEventSchema>();
  for (const entry of readdirSync(objectsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.endsWith('__e')) continue;
    const event = loadEvent(objectsDir, entry.name);
    events.set(event.topicName, event);
  }
  return events;
}

let packageEvents: Map<string, PlatformEventSchema> | undefined;

/** The package's platform events, read once from force-app. */
export function packageEventSchemas(): ReadonlyMap<string, PlatformEventSchema> {
  packageEvents ??= loadEventSchemas();
  return packageEvents;
}

export function eventSchemaForTopic(topicName: string): PlatformEventSchema | undefined {
  return packageEventSchemas().get(topicName);
}

export function eventSchemaById(schemaId: string): PlatformEventSchema | undefined {
  for (const event of packageEventSchemas().values()) if (event.schemaId === schemaId) return event;
  return undefined;
}
