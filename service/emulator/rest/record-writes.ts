import type { Response } from 'express';
import type { EmulatedOrg } from '../org/org';
import type { SObjectName } from '../org/schema';
import type { Actor, DmlResult } from '../org/store';
import { sendSfError } from '../http/context';
import { sendDmlErrors, sendNotFound } from './errors';
import { isPlainObject } from './params';
import { makeId } from '../org/ids';
import { EventPayloadError } from '../pubsub/avro';
import { publishEvent } from '../pubsub/eventBus';
import type { PlatformEventSchema } from '../pubsub/eventSchemas';

/**
 * Single-record writes shared by the REST sObject routes (the API user) and the emulator's control
 * routes (a person in the UI): HTTP status and body decided here, sent by `sendOutcome`.
 */
export type WriteOutcome =
  | { kind: 'created'; result: DmlResult }
  | { kind: 'done' }
  | { kind: 'restored'; result: DmlResult }
  | { kind: 'dml-error'; result: DmlResult }
  | { kind: 'not-found' }
  | { kind: 'deleted' }
  | { kind: 'bad-body'; message: string }
  /** An upsert by external id; `modern` is API 46.0+, which answers an update with 200 and a body. */
  | { kind: 'upserted'; result: DmlResult; modern: boolean }
  | { kind: 'multiple-matches'; urls: string[] }
  | { kind: 'not-external-id'; field: string }
  | { kind: 'bad-field'; errorCode: string; message: string; field: string }
  /** A platform event accepted for publishing: the bus delivers it asynchronously. */
  | { kind: 'published'; id: string; uuid: string };

export function sendOutcome(res: Response, outcome: WriteOutcome): void {
  switch (outcome.kind) {
    case 'created':
      res.status(201).json({ id: outcome.result.id, success: true, errors: [] });
      return;
    case 'restored':
      res.status(200).json({ id: outcome.result.id, success: true, errors: [] });
      return;
    case 'done':
      res.status(204).end();
      return;
    case 'dml-error':
      sendDmlErrors(res, 400, outcome.result.errors);
      return;
    case 'not-found':
      sendNotFound(res);
      return;
    case 'deleted':
      sendSfError(res, 404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
      return;
    case 'bad-body':
      sendSfError(res, 400, 'JSON_PARSER_ERROR', outcome.message);
      return;
    case 'upserted': {
      const { result, modern } = outcome;
      if (!result.success) sendDmlErrors(res, 400, result.errors);
      else if (result.created)
        res.status(201).json({ id: result.id, success: true, errors: [], ...(modern ? { created: true } : {}) });
      else if (modern) res.status(200).json({ id: result.id, success: true, errors: [], created: false });
      else res.status(204).end();
      return;
    }
    case 'multiple-matches':
      res.status(300).json(outcome.urls);
      return;
    case 'not-external-id':
      sendSfError(
        res,
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${outcome.field}`,
      );
      return;
    case 'bad-field':
      sendSfError(res, 400, outcome.errorCode, outcome.message, [outcome.field]);
      return;
    case 'published':
      // High-volume events are enqueued: success, with OPERATION_ENQUEUED and the event's UUID in errors.
      res.status(201).json({
        id: outcome.id,
        success: true,
        errors: [{ statusCode: 'OPERATION_ENQUEUED', message: outcome.uuid, fields: [] }],
      });
      return;
  }
}

const notAnObject = (sobject: SObjectName): WriteOutcome => ({
  kind: 'bad-body',
  message: `The request body must be a JSON object of ${sobject} fields`,
});

/** Update and delete need a live record: a missing one is 404, one in the recycle bin ENTITY_IS_DELETED. */
function missing(org: EmulatedOrg, sobject: SObjectName, id: string): WriteOutcome | undefined {
  if (org.store.get(sobject, id)) return undefined;
  return org.store.getDeleted(sobject, id) ? { kind: 'deleted' } : { kind: 'not-found' };
}

const only = (results: DmlResult[]): DmlResult => results[0];

export function createRecord(org: EmulatedOrg, sobject: SObjectName, body: unknown, actor: Actor): WriteOutcome {
  if (!isPlainObject(body)) return notAnObject(sobject);
  const result = only(org.store.insert(sobject, [body], actor, true));
  return result.success ? { kind: 'created', result } : { kind: 'dml-error', result };
}

export function updateRecord(
  org: EmulatedOrg,
  sobject: SObjectName,
  id: string,
  body: unknown,
  actor: Actor,
): WriteOutcome {
  if (!isPlainObject(body)) return notAnObject(sobject);
  const absent = missing(org, sobject, id);
  if (absent) return absent;
  const result = only(org.store.update(sobject, [{ ...body, Id: id }], actor, true));
  return result.success ? { kind: 'done' } : { kind: 'dml-error', result };
}

export function deleteRecord(org: EmulatedOrg, sobject: SObjectName, id: string, actor: Actor): WriteOutcome {
  const absent = missing(org, sobject, id);
  if (absent) return absent;
  const result = only(org.store.delete(sobject, [id], actor, true));
  return result.success ? { kind: 'done' } : { kind: 'dml-error', result };
}

export function undeleteRecord(org: EmulatedOrg, sobject: SObjectName, id: string, actor: Actor): WriteOutcome {
  if (!org.store.get(sobject, id) && !org.store.getDeleted(sobject, id)) return { kind: 'not-found' };
  const result = only(org.store.undelete(sobject, [id], actor, true));
  return result.success ? { kind: 'restored', result } : { kind: 'dml-error', result };
}

/**
 * `PATCH /sobjects/:name/:field/:value`: update the one record whose external id holds the value, or
 * create one with it. The body may name neither Id nor the external id field (the URL carries it).
 */
export function upsertRecord(
  org: EmulatedOrg,
  sobject: SObjectName,
  field: string,
  value: string,
  body: unknown,
  actor: Actor,
  version: string,
): WriteOutcome {
  if (!isPlainObject(body)) return notAnObject(sobject);
  const def = org.store.externalIdField(sobject, field);
  if (!def) return { kind: 'not-external-id', field };
  for (const key of Object.keys(body)) {
    if (key.toLowerCase() === 'id' || key.toLowerCase() === def.name.toLowerCase()) {
      return {
        kind: 'bad-field',
        errorCode: 'INVALID_FIELD',
        message: `${key}: not allowed in the body of an upsert by ${def.name}; the URL carries the key`,
        field: key,
      };
    }
  }
  const matches = org.store.findByExternalId(sobject, def.name, value);
  if (matches.length > 1)
    return {
      kind: 'multiple-matches',
      urls: matches.map((id) => `/services/data/v${version}/sobjects/${sobject}/${id}`),
    };
  const result = only(org.store.upsert(sobject, def.name, [{ ...body, [def.name]: value }], actor));
  return { kind: 'upserted', result, modern: Number(version) >= 46 };
}

const eventIds = new WeakMap<EmulatedOrg, number>();

/** `POST /sobjects/:event__e`: publishes one platform event as the calling user, as EventBus.publish would. */
export function publishEventRecord(
  org: EmulatedOrg,
  schema: PlatformEventSchema,
  body: unknown,
  actor: Actor,
): WriteOutcome {
  if (!isPlainObject(body))
    return { kind: 'bad-body', message: `The request body must be a JSON object of ${schema.eventName} fields` };
  for (const [key, value] of Object.entries(body)) {
    const def = schema.fields.find((f) => f.name === key);
    if (!def)
      return {
        kind: 'bad-field',
        errorCode: 'INVALID_FIELD',
        message: `No such column '${key}' on sobject of type ${schema.eventName}`,
        field: key,
      };
    if (def.length !== undefined && typeof value === 'string' && value.length > def.length) {
      return {
        kind: 'bad-field',
        errorCode: 'STRING_TOO_LONG',
        message: `${key}: data value too large: ${value.slice(0, 40)} (max length=${def.length})`,
        field: key,
      };
    }
  }
  let stored;
  try {
    stored = publishEvent(org, schema.topicName, body, { createdById: actor.userId });
  } catch (err) {
    if (!(err instanceof EventPayloadError)) throw err;
    return { kind: 'bad-field', errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', message: err.message, field: err.field };
  }
  const next = (eventIds.get(org) ?? 0) + 1;
  eventIds.set(org, next);
  return { kind: 'published', id: makeId('e01', org.store.orgNumber, next), uuid: stored.event.id };
}
