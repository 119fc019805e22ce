/**
 * The narrow part of avro-js the emulator uses, typed (avro-js ships no declarations), and the
 * conversion between plain field values and Avro's wrapped-union shape (`{ string: 'x' }`), which
 * is how Salesforce's nullable event fields travel and how the Pub/Sub client expects them.
 */

export interface AvroType {
  toBuffer(value: unknown): Buffer;
  fromBuffer(buffer: Buffer): unknown;
}

interface AvroModule {
  parse(schema: string | object): AvroType;
}

// avro-js has no type declarations; `require` keeps the untyped import confined to this line.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an untyped CommonJS package, typed by AvroModule here
const avro: AvroModule = require('avro-js');

export type AvroPrimitive = 'string' | 'long' | 'int' | 'double' | 'boolean';
export type AvroFieldType = AvroPrimitive | ['null', AvroPrimitive];

export interface AvroField {
  name: string;
  type: AvroFieldType;
  default?: null | boolean;
  doc?: string;
}

export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace: string;
  fields: AvroField[];
}

export function parseAvroSchema(schema: AvroRecordSchema): AvroType {
  return avro.parse(schema);
}

/** Raised for values that do not fit the event's schema; the message names the event and the field. */
export class EventPayloadError extends Error {
  constructor(
    readonly eventName: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${eventName} field ${field}: ${detail}`);
    this.name = 'EventPayloadError';
  }
}

const DAY_MS = 86_400_000;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return Array.isArray(value) ? 'array' : 'object';
  return `${typeof value} ${String(value)}`;
}

function coerce(eventName: string, field: string, type: AvroPrimitive, value: unknown): string | number | boolean {
  const bad = (expected: string): never => {
    throw new EventPayloadError(eventName, field, `expected ${expected}, got ${describe(value)}`);
  };
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : bad('a string');
    case 'boolean':
      return typeof value === 'boolean' ? value : bad('a boolean');
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? value : bad('a finite number');
    case 'long': {
      // DateTime fields: epoch milliseconds; a Date or an ISO string is converted for the caller.
      const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
      return typeof ms === 'number' && Number.isSafeInteger(ms)
        ? ms
        : bad('epoch milliseconds (an integer, Date or ISO date-time)');
    }
    case 'int': {
      // Date fields: days since the epoch; 'YYYY-MM-DD' is converted for the caller.
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value))
        return Math.floor(Date.parse(`${value}T00:00:00Z`) / DAY_MS);
      return typeof value === 'number' && Number.isInteger(value)
        ? value
        : bad('days since the epoch (an integer or YYYY-MM-DD)');
    }
  }
}

/** `{ string: 'x' }` → 'x', as the caller may hand over values already in Avro's union shape. */
function unwrapUnion(value: unknown, branch: AvroPrimitive): unknown {
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === branch) return (value as Record<string, unknown>)[branch];
  }
  return value;
}

/**
 * Plain values → the record avro-js encodes: nullable fields wrapped as `{ type: value }`, unknown
 * field names and wrong types rejected with the field named.
 */
export function toAvroRecord(schema: AvroRecordSchema, values: Record<string, unknown>): Record<string, unknown> {
  const known = new Set(schema.fields.map((field) => field.name));
  for (const key of Object.keys(values)) {
    if (!known.has(key)) throw new EventPayloadError(schema.name, key, `no such field on ${schema.name}`);
  }
  const record: Record<string, unknown> = {};
  for (const field of schema.fields) {
    const raw = values[field.name];
    if (Array.isArray(field.type)) {
      const branch = field.type[1];
      const value = unwrapUnion(raw, branch);
      record[field.name] =
        value === null || value === undefined ? null : { [branch]: coerce(schema.name, field.name, branch, value) };
    } else if (raw === undefined || raw === null) {
      if (field.default === undefined) throw new EventPayloadError(schema.name, field.name, 'a value is required');
      record[field.name] = field.default;
    } else {
      record[field.name] = coerce(schema.name, field.name, field.type, unwrapUnion(raw, field.type));
    }
  }
  return record;
}

/** A decoded record with its unions unwrapped: `{ Payload__c: { string: 'x' } }` → `{ Payload__c: 'x' }`. */
export function fromAvroRecord(schema: AvroRecordSchema, decoded: unknown): Record<string, unknown> {
  const source = decoded as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of schema.fields) {
    const value = source[field.name];
    out[field.name] = Array.isArray(field.type) ? unwrapUnion(value, field.type[1]) : value;
  }
  return out;
}
