import type { EmulatedOrg } from '../org/org';
import type { DmlBatch, FieldValue, RecordChange, SfRecord } from '../org/store';
import { eventSchemaForTopic } from '../pubsub/eventSchemas';
import { resolveFieldPath, type ResolvedPath } from '../soql/paths';
import { activeSyncs, mappedPaths, type ActiveSync } from './activeSyncs';
import { isSyncedObject, type SyncedObject } from './mappedFields';
import { packJsonArrays, type Pack } from './packRecords';
import { compileScope, ScopeError, type CompiledScope } from './scope';

/**
 * The Switchboard_Change__e events the package's trigger handler builds for a trigger context, by the
 * rules of the Apex handler (SwitchboardChangeHandler and its collaborators), reading the syncs and
 * mappings from the org's own Switchboard records. Pure: changeTrigger.ts publishes them.
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

/** A sync's scope for the object compiled, or undefined when it has none (throws ScopeError). */
function scopeOf(org: EmulatedOrg, sobject: SyncedObject, sync: ActiveSync): CompiledScope | undefined {
  const condition = sync.scope[sobject];
  return condition === undefined ? undefined : compileScope(org, sync.id, sobject, condition);
}

/**
 * On update, the changes where a watched field changed (an outbound mapped field, the lookup behind a
 * relationship path, a field the scope reads); every change otherwise. Reads nothing.
 */
function watchedChanges(
  org: EmulatedOrg,
  batch: DmlBatch,
  sobject: SyncedObject,
  changes: RecordChange[],
  sync: ActiveSync,
  scope: CompiledScope | undefined,
): RecordChange[] {
  if (batch.operation !== 'update') return changes;
  const outbound = validPaths(org, sobject, sync.id, mappedPaths(sync, sobject, true), () => undefined);
  const watched = [...new Set([...(scope?.fieldsRead ?? []), ...outbound.map(changeField)])];
  return changes.filter((change) => {
    const before = change.before;
    return !before || watched.some((field) => (before[field] ?? null) !== (change.after[field] ?? null));
  });
}

const identityOf = (record: SfRecord): PayloadRecord => ({ Id: record.Id, SystemModstamp: record.SystemModstamp });

/**
 * The records one sync publishes for one trigger context: deletes unscoped with Id and SystemModstamp
 * only; otherwise the watched changes (see watchedChanges), then only those in scope.
 */
function collect(
  org: EmulatedOrg,
  batch: DmlBatch,
  sobject: SyncedObject,
  changes: RecordChange[],
  sync: ActiveSync,
  report: ProblemReporter,
): PayloadRecord[] {
  if (batch.operation === 'delete') return changes.map((change) => identityOf(change.after));
  const paths = validPaths(org, sobject, sync.id, mappedPaths(sync, sobject), report);
  const scope = scopeOf(org, sobject, sync);
  return watchedChanges(org, batch, sobject, changes, sync, scope)
    .filter((change) => !scope || scope.matches(change.after))
    .map((change) => payloadRecord(org, sobject, change.after, paths));
}

/** One trigger context as the handler sees it: its syncable changes and the syncs that publish them. */
export interface ChangeContext {
  sobject: SyncedObject;
  changes: RecordChange[];
  syncs: ActiveSync[];
}

/**
 * The context of a batch, or undefined when the handler publishes nothing for it: the integration
 * user's writes (echo suppression), objects it does not sync, no syncable change, no sync that sends
 * Salesforce changes and covers the object.
 */
export function changeContext(org: EmulatedOrg, batch: DmlBatch): ChangeContext | undefined {
  if (batch.actor.integration) return undefined;
  const sobject = batch.sobject;
  if (!isSyncedObject(sobject)) return undefined;
  const changes = batch.changes.filter((change) => isSyncable(org, sobject, change.after));
  if (changes.length === 0) return undefined;
  const syncs = activeSyncs(org).filter((sync) => sync.sendsToTelephony && sync.syncs[sobject]);
  return syncs.length === 0 ? undefined : { sobject, changes, syncs };
}

/**
 * The SOQL queries the handler makes to collect a context (SwitchboardChangeBudget.queriesNeeded):
 * one per sync with a scope condition or a valid relationship path for the object; none for deletes.
 */
export function queriesNeeded(org: EmulatedOrg, batch: DmlBatch, context: ChangeContext): number {
  if (batch.operation === 'delete') return 0;
  return context.syncs.filter(
    (sync) =>
      sync.scope[context.sobject] !== undefined ||
      validPaths(org, context.sobject, sync.id, mappedPaths(sync, context.sobject), () => undefined).some(
        (path) => path.resolved.steps.length > 0,
      ),
  ).length;
}

/**
 * The ids one sync may publish from a deferred context, found without a query
 * (SwitchboardChangeCollector.candidateIds): on update those with a watched change, else all. A scope
 * that does not compile is reported and the sync publishes nothing, as inline.
 */
export function candidateIds(
  org: EmulatedOrg,
  batch: DmlBatch,
  context: ChangeContext,
  sync: ActiveSync,
  report: ProblemReporter,
): string[] {
  try {
    const scope = batch.operation === 'delete' ? undefined : scopeOf(org, context.sobject, sync);
    return watchedChanges(org, batch, context.sobject, context.changes, sync, scope).map((c) => c.after.Id);
  } catch (err) {
    if (!(err instanceof ScopeError)) throw err;
    report(err);
    return [];
  }
}

/**
 * What a deferred context publishes for one sync after the commit (SwitchboardDeferredChanges): the
 * records as they are now, still live and in the sync's scope, with every mapped path.
 */
export function currentPayloads(
  org: EmulatedOrg,
  sobject: SyncedObject,
  sync: ActiveSync,
  ids: readonly string[],
  report: ProblemReporter,
): PayloadRecord[] {
  const paths = validPaths(org, sobject, sync.id, mappedPaths(sync, sobject), report);
  let scope: CompiledScope | undefined;
  try {
    scope = scopeOf(org, sobject, sync);
  } catch (err) {
    if (!(err instanceof ScopeError)) throw err;
    report(err);
    return [];
  }
  return ids
    .map((id) => org.store.get(sobject, id))
    .filter((record): record is SfRecord => record !== undefined && (!scope || scope.matches(record)))
    .map((record) => payloadRecord(org, sobject, record, paths));
}

/** Delete identities of a context (what a deferred delete carries: the records are gone after). */
export const deleteIdentities = (context: ChangeContext): PayloadRecord[] =>
  context.changes.map((change) => identityOf(change.after));

/**
 * One publish call's events: per sync (in order) its records packed up to 200 and Payload__c's length
 * per event, with Sync_Id__c, all numbered in one sequence.
 */
export function packEvents(
  operation: DmlBatch['operation'],
  sobject: SyncedObject,
  perSync: ReadonlyArray<{ syncId: string; records: PayloadRecord[] }>,
): ChangeEventFields[] {
  const packs: Array<{ syncId: string; pack: Pack }> = [];
  const limits = { maxItems: MAX_RECORDS_PER_EVENT, maxChars: payloadCharLimit() };
  for (const { syncId, records } of perSync)
    for (const pack of packJsonArrays(records, limits, (record) => `${sobject} ${String(record.Id)}`))
      packs.push({ syncId, pack });
  return packs.map(({ syncId, pack }, index) => ({
    Payload__c: pack.json,
    Operation__c: operation,
    Object_Name__c: sobject,
    Record_Count__c: pack.count,
    Chunk_Sequence__c: index + 1,
    Chunk_Count__c: packs.length,
    Sync_Id__c: syncId,
  }));
}

/**
 * The events one trigger context publishes (pure: nothing is published), following the package's
 * SwitchboardChangeHandler: nothing when changeContext says so; per sync its records (see collect)
 * with its mapped fields and Sync_Id__c; all syncs' events numbered in one sequence, for one publish
 * call. A sync whose scope condition fails publishes nothing; the others still do.
 */
export function buildChangeEvents(
  org: EmulatedOrg,
  batch: DmlBatch,
  report: ProblemReporter = () => undefined,
): ChangeEventFields[] {
  const context = changeContext(org, batch);
  if (!context) return [];
  const perSync: Array<{ syncId: string; records: PayloadRecord[] }> = [];
  for (const sync of context.syncs) {
    try {
      perSync.push({ syncId: sync.id, records: collect(org, batch, context.sobject, context.changes, sync, report) });
    } catch (err) {
      if (!(err instanceof ScopeError)) throw err;
      report(err);
    }
  }
  return packEvents(batch.operation, context.sobject, perSync);
}
