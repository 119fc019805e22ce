import type { EmulatedOrg } from '../org/org';
import { fieldsOf } from '../org/schema';
import type { DmlBatch, FieldValue, RecordChange, SfRecord } from '../org/store';
import { publishEvents } from '../pubsub/eventBus';
import { eventSchemaForTopic } from '../pubsub/eventSchemas';
import { DEFAULT_MAPPED_FIELDS, isSyncedObject, type SyncedObject } from './mappedFields';
import { packJsonArrays } from './packRecords';

/**
 * Emulates the package's trigger handlers on Contact, Lead and Account: after each DML statement
 * (one trigger context) it publishes Switchboard_Change__e events carrying the changed records'
 * mapped values, exactly as the Apex handler does with PublishAfterCommit.
 */

export const CHANGE_EVENT_NAME = 'Switchboard_Change__e';
export const CHANGE_EVENT_TOPIC = `/event/${CHANGE_EVENT_NAME}`;
/** Records per event, as the handler packs them. */
export const MAX_RECORDS_PER_EVENT = 200;

// A type alias (not an interface) so it is assignable to the publisher's Record<string, unknown>.
export type ChangeEventFields = {
  Payload__c: string;
  Operation__c: DmlBatch['operation'];
  Object_Name__c: SyncedObject;
  Record_Count__c: number;
  Chunk_Sequence__c: number;
  Chunk_Count__c: number;
  Sync_Id__c: string | null;
};

export type PayloadRecord = Record<string, FieldValue>;

/** Payload__c's length from the event's metadata, so the packing follows the package's definition. */
export function payloadCharLimit(): number {
  const field = eventSchemaForTopic(CHANGE_EVENT_TOPIC)?.fields.find((f) => f.name === 'Payload__c');
  if (!field?.length) throw new Error(`${CHANGE_EVENT_NAME}.Payload__c: not found in force-app metadata (or it has no length)`);
  return field.length;
}

function isInScope(org: EmulatedOrg, sobject: SyncedObject, record: SfRecord): boolean {
  if (sobject !== 'Account') return true;
  return org.store.personAccounts && record.IsPersonAccount === true;
}

function valueAt(org: EmulatedOrg, sobject: SyncedObject, record: SfRecord, path: string): FieldValue {
  const value = org.store.resolvePath(sobject, record, path);
  if (value === undefined) throw new Error(`${sobject} ${record.Id}: mapped field ${path} does not exist on ${sobject}`);
  return value === '' ? null : value;
}

/** A path through a lookup (`Account.Name`) also changes when the lookup id changes. */
function lookupFieldOf(org: EmulatedOrg, sobject: SyncedObject, path: string): string | undefined {
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  const relationship = path.slice(0, dot).toLowerCase();
  return fieldsOf(sobject, org.store.personAccounts).find((field) => field.relationshipName?.toLowerCase() === relationship)?.name;
}

function mappedFieldChanged(org: EmulatedOrg, sobject: SyncedObject, change: RecordChange, paths: readonly string[]): boolean {
  const before = change.before;
  if (!before) return true;
  return paths.some((path) => {
    const lookup = lookupFieldOf(org, sobject, path);
    if (lookup !== undefined && before[lookup] !== change.after[lookup]) return true;
    return valueAt(org, sobject, before, path) !== valueAt(org, sobject, change.after, path);
  });
}

function payloadRecord(org: EmulatedOrg, batch: DmlBatch & { sobject: SyncedObject }, record: SfRecord): PayloadRecord {
  const out: PayloadRecord = { Id: record.Id, SystemModstamp: record.SystemModstamp };
  if (batch.operation === 'delete') return out;
  for (const path of DEFAULT_MAPPED_FIELDS[batch.sobject]) out[path] = valueAt(org, batch.sobject, record, path);
  return out;
}

/**
 * The events one trigger context publishes (pure: nothing is published). Empty for the integration
 * user's writes (echo suppression), objects out of scope, and updates that change no mapped field.
 */
export function buildChangeEvents(org: EmulatedOrg, batch: DmlBatch): ChangeEventFields[] {
  if (batch.actor.integration) return [];
  const sobject = batch.sobject;
  if (!isSyncedObject(sobject)) return [];
  if (sobject === 'Account' && !org.store.personAccounts) return [];
  const scoped = { ...batch, sobject };
  const paths = DEFAULT_MAPPED_FIELDS[sobject];
  const records = batch.changes
    .filter((change) => isInScope(org, sobject, change.after))
    .filter((change) => batch.operation !== 'update' || mappedFieldChanged(org, sobject, change, paths))
    .map((change) => payloadRecord(org, scoped, change.after));
  if (records.length === 0) return [];
  const packs = packJsonArrays(
    records,
    { maxItems: MAX_RECORDS_PER_EVENT, maxChars: payloadCharLimit() },
    (record) => `${sobject} ${String(record.Id)}`,
  );
  return packs.map((pack, index) => ({
    Payload__c: pack.json,
    Operation__c: batch.operation,
    Object_Name__c: sobject,
    Record_Count__c: pack.count,
    Chunk_Sequence__c: index + 1,
    Chunk_Count__c: packs.length,
    Sync_Id__c: null,
  }));
}

export interface ChangeTriggerOptions {
  /**
   * A publish failure never undoes the committed DML (PublishAfterCommit); it is reported here.
   * Default: written to stderr.
   */
  onError?: (error: unknown, batch: DmlBatch) => void;
}

const installed = new WeakSet<EmulatedOrg>();

/** Starts publishing change events for the org's DML; returns the uninstaller. */
export function installChangeTrigger(org: EmulatedOrg, options: ChangeTriggerOptions = {}): () => void {
  if (installed.has(org)) throw new Error(`the change trigger is already installed on org ${org.organizationId}`);
  installed.add(org);
  const onError =
    options.onError ??
    ((error: unknown, batch: DmlBatch) =>
      process.stderr.write(`change trigger: ${batch.operation} of ${batch.changes.length} ${batch.sobject} failed to publish: ${String(error)}\n`));
  const stop = org.store.onCommit((batch) => {
    try {
      const events = buildChangeEvents(org, batch);
      // One EventBus.publish per trigger context.
      if (events.length > 0) publishEvents(org, CHANGE_EVENT_TOPIC, events, { createdById: batch.actor.userId });
    } catch (err) {
      onError(err, batch);
    }
  });
  return () => {
    stop();
    installed.delete(org);
  };
}
