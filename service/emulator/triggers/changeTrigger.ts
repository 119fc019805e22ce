import type { EmulatedOrg } from '../org/org';
import type { DmlBatch, FieldValue, RecordChange, SfRecord } from '../org/store';
import { publishEvents } from '../pubsub/eventBus';
import { eventSchemaForTopic } from '../pubsub/eventSchemas';
import { resolveFieldPath, type ResolvedPath } from '../soql/paths';
import { activeSyncs, mappedPaths, type ActiveSync } from './activeSyncs';
import { isSyncedObject, type SyncedObject } from './mappedFields';
import { packJsonArrays, type Pack } from './packRecords';
import { compileScope, ScopeError } from './scope';

/**
 * Emulates the package's trigger handlers on Contact, Lead and Account: after each DML statement
 * (one trigger context) it publishes Switchboard_Change__e events carrying the changed records'
 * mapped values, by the rules of the Apex handler (SwitchboardChangeHandler and its collaborators),
 * reading the syncs and mappings from the org's own Switchboard records, with PublishAfterCommit.
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
  Sync_Id__c: string;
};

export type PayloadRecord = Record<string, FieldValue>;

/** A mapping's Salesforce side: as the admin wrote it (the payload key) and resolved against the schema. */
interface MappedPath {
  mapped: string;
  resolved: ResolvedPath;
}

/** Where the handler would log (SwitchboardLog.error): a skipped mapping or a scope that does not run. */
export type ProblemReporter = (problem: Error) => void;

/** Payload__c's length from the event's metadata, so the packing follows the package's definition. */
export function payloadCharLimit(): number {
  const field = eventSchemaForTopic(CHANGE_EVENT_TOPIC)?.fields.find((f) => f.name === 'Payload__c');
  if (!field?.length)
    throw new Error(`${CHANGE_EVENT_NAME}.Payload__c: not found in force-app metadata (or it has no length)`);
  return field.length;
}

/** Person Accounts are the only Accounts synced (and only where the org has them); the rest always are. */
function isSyncable(org: EmulatedOrg, sobject: SyncedObject, record: SfRecord): boolean {
  const person = org.store.personAccounts && record.IsPersonAccount === true;
  return sobject === 'Account' ? person : !person;
}

const IDENTITY_PATHS = new Set(['id', 'systemmodstamp']);

/**
 * The mapped paths that exist on the object (following lookups), each other one reported and left
 * out, as the handler does: a typo in a mapping row must not fail the user's save.
 */
function validPaths(
  org: EmulatedOrg,
  sobject: SyncedObject,
  syncId: string,
  paths: string[],
  report: ProblemReporter,
): MappedPath[] {
  const valid: MappedPath[] = [];
  for (const path of paths) {
    try {
      valid.push({
        mapped: path,
        resolved: resolveFieldPath(
          path,
          sobject,
          { text: path, parts: path.split('.'), pos: 0 },
          org.store.personAccounts,
        ),
      });
    } catch {
      report(
        new Error(
          `sync ${syncId}: mapped field ${path} does not exist on ${sobject} (or cannot be synced); it is left out`,
        ),
      );
    }
  }
  return valid;
}

/** The field whose change can change a path's value: the field itself, or the lookup it goes through. */
const changeField = ({ resolved }: MappedPath): string =>
  resolved.steps.length > 0 ? resolved.steps[0].foreignKey : resolved.leafName;

function payloadRecord(org: EmulatedOrg, sobject: SyncedObject, record: SfRecord, paths: MappedPath[]): PayloadRecord {
  const out: PayloadRecord = { Id: record.Id, SystemModstamp: record.SystemModstamp };
  for (const { mapped } of paths) {
    if (IDENTITY_PATHS.has(mapped.toLowerCase())) continue;
    const value = org.store.resolvePath(sobject, record, mapped) ?? null;
    out[mapped] = value === '' ? null : value;
  }
  return out;
}

/**
 * The records one sync publishes for one trigger context: deletes unscoped with Id and SystemModstamp
 * only; otherwise, on update only records where a watched field changed (an outbound mapped field,
 * the lookup behind a relationship path, a field the scope reads), then only those in scope.
 */
function collect(
  org: EmulatedOrg,
  batch: DmlBatch,
  sobject: SyncedObject,
  changes: RecordChange[],
  sync: ActiveSync,
  report: ProblemReporter,
): PayloadRecord[] {
  if (batch.operation === 'delete')
    return changes.map((change) => ({ Id: change.after.Id, SystemModstamp: change.after.SystemModstamp }));
  const paths = validPaths(org, sobject, sync.id, mappedPaths(sync, sobject), report);
  const condition = sync.scope[sobject];
  const scope = condition === undefined ? undefined : compileScope(org, sync.id, sobject, condition);
  let candidates = changes;
  if (batch.operation === 'update') {
    const outbound = validPaths(org, sobject, sync.id, mappedPaths(sync, sobject, true), () => undefined);
    const watched = [...new Set([...(scope?.fieldsRead ?? []), ...outbound.map(changeField)])];
    candidates = changes.filter((change) => {
      const before = change.before;
      return !before || watched.some((field) => (before[field] ?? null) !== (change.after[field] ?? null));
    });
  }
  return candidates
    .filter((change) => !scope || scope.matches(change.after))
    .map((change) => payloadRecord(org, sobject, change.after, paths));
}

/**
 * The events one trigger context publishes (pure: nothing is published), following the package's
 * SwitchboardChangeHandler: nothing for the integration user's writes (echo suppression) or when no
 * sync is active; per active sync that sends Salesforce changes and covers the object, its records
 * (see collect) with its mapped fields and Sync_Id__c; all syncs' events numbered in one sequence,
 * for one publish call. A sync whose scope condition fails publishes nothing; the others still do.
 */
export function buildChangeEvents(
  org: EmulatedOrg,
  batch: DmlBatch,
  report: ProblemReporter = () => undefined,
): ChangeEventFields[] {
  if (batch.actor.integration) return [];
  const sobject = batch.sobject;
  if (!isSyncedObject(sobject)) return [];
  const changes = batch.changes.filter((change) => isSyncable(org, sobject, change.after));
  if (changes.length === 0) return [];
  const packs: Array<{ syncId: string; pack: Pack }> = [];
  for (const sync of activeSyncs(org)) {
    if (!sync.sendsToTelephony || !sync.syncs[sobject]) continue;
    let records: PayloadRecord[];
    try {
      records = collect(org, batch, sobject, changes, sync, report);
    } catch (err) {
      if (!(err instanceof ScopeError)) throw err;
      report(err);
      continue;
    }
    const limits = { maxItems: MAX_RECORDS_PER_EVENT, maxChars: payloadCharLimit() };
    for (const pack of packJsonArrays(records, limits, (record) => `${sobject} ${String(record.Id)}`))
      packs.push({ syncId: sync.id, pack });
  }
  return packs.map(({ syncId, pack }, index) => ({
    Payload__c: pack.json,
    Operation__c: batch.operation,
    Object_Name__c: sobject,
    Record_Count__c: pack.count,
    Chunk_Sequence__c: index + 1,
    Chunk_Count__c: packs.length,
    Sync_Id__c: syncId,
  }));
}

export interface ChangeTriggerOptions {
  /**
   * A publish failure never undoes the committed DML (PublishAfterCommit); it is reported here, as
   * are the problems the handler would log (a mapped field that does not exist, a scope condition that
   * does not run). Default: written to stderr.
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
      process.stderr.write(
        `change trigger: ${batch.operation} of ${batch.changes.length} ${batch.sobject}: ${String(error)}\n`,
      ));
  const stop = org.store.onCommit((batch) => {
    try {
      const events = buildChangeEvents(org, batch, (problem) => onError(problem, batch));
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
