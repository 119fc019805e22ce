import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { EmulatedOrg } from '../org/org';
import type { Actor } from '../org/store';
import { fromAvroRecord } from './avro';
import { encodeEventPayload, eventBusOf } from './eventBus';
import { eventSchemaForTopic } from './eventSchemas';
import { PUBSUB_ERROR_CODES, PubSubError, topicNotFound } from './grpcErrors';
import type {
  ProducerEventMessage,
  PublishRequestMessage,
  PublishResponseMessage,
  PublishResultMessage,
} from './proto';

/** Events per publish request the platform accepts. */
export const MAX_EVENTS_PER_PUBLISH = 200;

type Checked = { ok: true; payload: Buffer } | { ok: false; msg: string };

/**
 * Publish and PublishStream share this: validate the topic, then each event (schema id, payload
 * decodable with that schema), stamp CreatedDate/CreatedById as the platform does, append the
 * valid ones in one call, and answer one result per event in request order.
 */
export function handlePublishRequest(
  org: EmulatedOrg,
  actor: Actor,
  request: PublishRequestMessage,
): PublishResponseMessage {
  const schema = eventSchemaForTopic(request.topicName);
  if (!schema) throw topicNotFound(request.topicName);
  if (request.events.length > MAX_EVENTS_PER_PUBLISH) {
    throw new PubSubError(
      grpc.status.INVALID_ARGUMENT,
      PUBSUB_ERROR_CODES.publishBatchTooLarge,
      `A publish request carries at most ${MAX_EVENTS_PER_PUBLISH} events; this one has ${request.events.length}.`,
    );
  }
  const bus = eventBusOf(org);
  const standard = { CreatedDate: bus.now(), CreatedById: actor.userId };

  const check = (event: ProducerEventMessage, index: number): Checked => {
    const label = `event ${index + 1} (id ${event.id || 'none'})`;
    if (event.schemaId !== schema.schemaId) {
      return {
        ok: false,
        msg: `${label}: schema id ${event.schemaId || '(empty)'} is not the schema of ${schema.topicName} (${schema.schemaId}).`,
      };
    }
    try {
      const {
        CreatedDate: _date,
        CreatedById: _by,
        ...fields
      } = fromAvroRecord(schema.schema, schema.type.fromBuffer(event.payload));
      return { ok: true, payload: encodeEventPayload(schema, fields, standard) };
    } catch (err) {
      return {
        ok: false,
        msg: `${label}: payload does not decode with schema ${schema.schemaId}: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  };

  const checked = request.events.map(check);
  const stored = bus.append(
    schema.topicName,
    checked.flatMap((c) => (c.ok ? [{ schemaId: schema.schemaId, payload: c.payload }] : [])),
  );
  let next = 0;
  const results = checked.map((c, index): PublishResultMessage => {
    const correlationKey = request.events[index].id;
    return c.ok
      ? { replayId: stored[next++].replayId, error: null, correlationKey }
      : { replayId: Buffer.alloc(0), error: { code: 'PUBLISH', msg: c.msg }, correlationKey };
  });
  return { results, schemaId: schema.schemaId, rpcId: randomUUID() };
}
