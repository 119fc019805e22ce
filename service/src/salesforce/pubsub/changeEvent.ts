import { z } from 'zod';
import { stripNamespace } from './topics';
import { SYNCED_OBJECTS, type SfChangeRecord, type SfValue, type SyncedObject } from '../../model/records';
import { SALESFORCE_ID_PATTERN } from '../../model/ids';

export type ChangeOperation = 'create' | 'update' | 'delete' | 'undelete';

export interface ChangeEvent {
  /** ProducerEvent.id, the EventUuid: the same event delivered twice has the same id. */
  eventId: string;
  replayId: number;
  objectName: SyncedObject;
  operation: ChangeOperation;
  syncId: string | null;
  records: SfChangeRecord[];
  /** Records of this event that could not be read, each with the reason. */
  rejected: Array<{ index: number; recordId: string | null; reason: string }>;
  chunkSequence: number | null;
  chunkCount: number | null;
}

/** What salesforce-pubsub-api-client hands to the subscribe callback (Avro unions already flattened). */
export interface RawPubSubEvent {
  id: string;
  schemaId?: string;
  replayId: number;
  payload: Record<string, unknown>;
}

export class ChangeEventError extends Error {
  constructor(
    readonly eventId: string,
    readonly field: string,
    message: string,
  ) {
    super(`change event ${eventId}: ${field} ${message}`);
    this.name = 'ChangeEventError';
  }
}

const recordId = z.string().regex(SALESFORCE_ID_PATTERN, 'is not a Salesforce record id');
const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const payloadRecord = z
  .object({ Id: recordId, SystemModstamp: z.iso.datetime({ offset: true }).nullable().optional() })
  .catchall(fieldValue);

/**
 * Reads one Switchboard change event. Event-level problems (unknown object, bad JSON) throw a
 * ChangeEventError naming the field; a bad record inside a good event is listed in `rejected` so the
 * other records still apply.
 */
export function decodeChangeEvent(raw: RawPubSubEvent, namespace: string): ChangeEvent {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw.payload)) fields[stripNamespace(namespace, key)] = value;
  const fail = (field: string, message: string): never => {
    throw new ChangeEventError(raw.id, field, message);
  };

  const objectName = fields.Object_Name__c;
  if (typeof objectName !== 'string' || !(SYNCED_OBJECTS as readonly string[]).includes(objectName)) {
    fail('Object_Name__c', `must be one of ${SYNCED_OBJECTS.join(', ')} (got ${JSON.stringify(objectName)})`);
  }
  const operation = fields.Operation__c;
  if (typeof operation !== 'string' || !['create', 'update', 'delete', 'undelete'].includes(operation)) {
    fail('Operation__c', `must be create, update, delete or undelete (got ${JSON.stringify(operation)})`);
  }
  const payloadText = fields.Payload__c;
  if (typeof payloadText !== 'string') fail('Payload__c', 'is missing');
  let parsed: unknown;
  try {
    parsed = JSON.parse(payloadText as string);
  } catch (err) {
    fail('Payload__c', `is not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed)) fail('Payload__c', 'must be a JSON array of records');

  const records: SfChangeRecord[] = [];
  const rejected: ChangeEvent['rejected'] = [];
  (parsed as unknown[]).forEach((item, index) => {
    const result = payloadRecord.safeParse(item);
    if (!result.success) {
      const issue = result.error.issues[0];
      const id = typeof (item as { Id?: unknown })?.Id === 'string' ? String((item as { Id: string }).Id) : null;
      rejected.push({ index, recordId: id, reason: `${issue.path.join('.') || 'record'}: ${issue.message}` });
      return;
    }
    const { Id, SystemModstamp, ...values } = result.data;
    records.push({ id: Id, systemModstamp: SystemModstamp ?? null, values: values as Record<string, SfValue> });
  });

  const numberOrNull = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  return {
    eventId: raw.id,
    replayId: raw.replayId,
    objectName: objectName as SyncedObject,
    operation: operation as ChangeOperation,
    syncId: typeof fields.Sync_Id__c === 'string' ? fields.Sync_Id__c : null,
    records,
    rejected,
    chunkSequence: numberOrNull(fields.Chunk_Sequence__c),
    chunkCount: numberOrNull(fields.Chunk_Count__c),
  };
}
