import type { EmulatedOrg } from '../org/org';
import { fromAvroRecord, toAvroRecord } from './avro';
import { EventLog, type StoredEvent } from './eventLog';
import { eventSchemaById, packageEventSchemas, type PlatformEventSchema } from './eventSchemas';

/**
 * One event bus per org, shared by the trigger emulation (publisher) and the gRPC server
 * (subscribers, API publishers).
 */
const buses = new WeakMap<EmulatedOrg, EventLog>();

export function eventBusOf(org: EmulatedOrg): EventLog {
  let bus = buses.get(org);
  if (!bus) {
    bus = new EventLog({ topics: packageEventSchemas().keys(), retentionMs: org.retentionMs });
    buses.set(org, bus);
  }
  return bus;
}

export interface PublishOptions {
  /** The publishing user; the org's administrator when not given. */
  createdById?: string;
}

function schemaOfTopic(topicName: string): PlatformEventSchema {
  const schema = packageEventSchemas().get(topicName);
  if (!schema) {
    const known = [...packageEventSchemas().keys()].join(', ');
    throw new Error(`unknown platform event topic ${topicName} (known: ${known})`);
  }
  return schema;
}

/** Avro-encodes plain field values (unions wrapped for the caller) with the platform's standard fields. */
export function encodeEventPayload(
  schema: PlatformEventSchema,
  fields: Record<string, unknown>,
  standard: { CreatedDate: number; CreatedById: string },
): Buffer {
  return schema.type.toBuffer(toAvroRecord(schema.schema, { ...fields, ...standard }));
}

/** One EventBus.publish call with several events: they get consecutive replay ids. */
export function publishEvents(
  org: EmulatedOrg,
  topicName: string,
  events: Array<Record<string, unknown>>,
  options: PublishOptions = {},
): StoredEvent[] {
  const schema = schemaOfTopic(topicName);
  const bus = eventBusOf(org);
  const standard = { CreatedDate: bus.now(), CreatedById: options.createdById ?? org.adminUser.userId };
  // Encode everything before appending: a bad event fails the whole call, as EventBus.publish of a list would.
  const produced = events.map((fields, index) => {
    try {
      return { schemaId: schema.schemaId, payload: encodeEventPayload(schema, fields, standard) };
    } catch (err) {
      if (events.length === 1) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`event ${index + 1} of ${events.length}: ${message}`, { cause: err });
    }
  });
  return bus.append(topicName, produced);
}

export function publishEvent(
  org: EmulatedOrg,
  topicName: string,
  fields: Record<string, unknown>,
  options: PublishOptions = {},
): StoredEvent {
  return publishEvents(org, topicName, [fields], options)[0];
}

/** The plain field values of a stored event (unions unwrapped), for tests and diagnostics. */
export function decodeStoredEvent(stored: StoredEvent): Record<string, unknown> {
  const schema = eventSchemaById(stored.event.schemaId);
  if (!schema) throw new Error(`event ${stored.event.id}: unknown schema id ${stored.event.schemaId}`);
  return fromAvroRecord(schema.schema, schema.type.fromBuffer(stored.event.payload));
}
