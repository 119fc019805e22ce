import { EventEmitter } from 'node:events';
import { makeId, parseId } from './ids';
import { SCHEMA, SOBJECT_NAMES, defaultValueOf, fieldsOf, findField, resolveSObject, type FieldDef, type SObjectName } from './schema';
import { coerceFieldValue } from './coerce';
import { defaultMappingRecordCount, personName, seedRecord, type SeedCounts } from './seed';

export * from './records';
import {
  DmlError,
  type Actor,
  type DmlBatch,
  type DmlOperation,
  type DmlResult,
  type FieldValue,
  type RecordChange,
  type SfError,
  type SfRecord,
} from './records';

export interface OrgStoreOptions {
  orgNumber: number;
  personAccounts: boolean;
  seed: SeedCounts;
  /** Start with the package's "Default sync" (Switchboard_Sync__c); default true. */
  seedSync?: boolean;
}

const DELETED = Symbol('deleted');
type Slot = SfRecord | { [DELETED]: SfRecord };

const isDeletedSlot = (slot: Slot): slot is { [DELETED]: SfRecord } => DELETED in slot;

/**
 * The org's data. Seeded records are virtual (generated from their index on demand), so an org of a
 * million Contacts costs memory only for the records that were written since; a scan streams.
 */
export class OrgStore {
  readonly orgNumber: number;
  readonly personAccounts: boolean;
  readonly seedCounts: SeedCounts;
  readonly seedSync: boolean;
  private readonly written = new Map<string, Slot>();
  private readonly nextIndex: Record<SObjectName, number>;
  private readonly deletedSeeds: Record<SObjectName, number>;
  private readonly createdLive: Record<SObjectName, number>;
  private readonly events = new EventEmitter();
  private lastStamp = 0;
  /** `Object.Field` → normalised value → ids of the live records holding it, for external-id and unique fields. */
  private readonly keyIndex = new Map<string, Map<string, Set<string>>>();

  constructor(options: OrgStoreOptions) {
    this.orgNumber = options.orgNumber;
    this.personAccounts = options.personAccounts;
    this.seedCounts = options.seed;
    this.seedSync = options.seedSync ?? true;
    this.nextIndex = {} as Record<SObjectName, number>;
    this.deletedSeeds = {} as Record<SObjectName, number>;
    this.createdLive = {} as Record<SObjectName, number>;
    for (const name of SOBJECT_NAMES) {
      this.nextIndex[name] = this.seedCount(name);
      this.deletedSeeds[name] = 0;
      this.createdLive[name] = 0;
    }
  }

  /** Listeners run synchronously after each successful DML statement, as after-triggers do. */
  onCommit(listener: (batch: DmlBatch) => void): () => void {
    this.events.on('commit', listener);
    return () => this.events.off('commit', listener);
  }

  seedCount(sobject: SObjectName): number {
    switch (sobject) {
      case 'Contact':
        return this.seedCounts.contacts;
      case 'Lead':
        return this.seedCounts.leads;
      case 'Account':
        return this.seedCounts.businessAccounts + (this.personAccounts ? this.seedCounts.personAccounts : 0);
      case 'User':
        return Math.max(2, this.seedCounts.users);
      case 'Task':
      case 'Switchboard_Field_Mapping__c':
      case 'Switchboard_Sync_Error__c':
        return 0;
      case 'Switchboard_Sync__c':
        return this.seedSync ? 1 : 0;
      case 'Switchboard_Default_Mapping__mdt':
        return defaultMappingRecordCount();
    }
  }

  /** Strictly increasing timestamps, so SystemModstamp orders every write. */
  now(): string {
    const t = Math.max(Date.now(), this.lastStamp + 1);
    this.lastStamp = t;
    return new Date(t).toISOString();
  }

  idFor(sobject: SObjectName, index: number): string {
    return makeId(SCHEMA[sobject].keyPrefix, this.orgNumber, index);
  }

  sobjectOfId(id: string): SObjectName | undefined {
    const parsed = parseId(id);
    if (!parsed || parsed.orgNumber !== this.orgNumber) return undefined;
    return SOBJECT_NAMES.find((name) => SCHEMA[name].keyPrefix === parsed.keyPrefix);
  }

  private slot(sobject: SObjectName, id: string): Slot | undefined {
    const parsed = parseId(id);
    if (!parsed || parsed.orgNumber !== this.orgNumber || parsed.keyPrefix !== SCHEMA[sobject].keyPrefix) {
      return undefined;
    }
    const written = this.written.get(parsed.id18);
    if (written) return written;
    if (parsed.index < this.seedCount(sobject)) return seedRecord(this, sobject, parsed.index);
    return undefined;
  }

  /** A live record, or undefined when it does not exist or is in the recycle bin. */
  get(sobject: SObjectName, id: string): SfRecord | undefined {
    const slot = this.slot(sobject, id);
    return slot && !isDeletedSlot(slot) ? slot : undefined;
  }

  /** A record in the recycle bin. */
  getDeleted(sobject: SObjectName, id: string): SfRecord | undefined {
    const slot = this.slot(sobject, id);
    return slot && isDeletedSlot(slot) ? slot[DELETED] : undefined;
  }

  /**
   * Streams records in id order; deleted ones only when asked (queryAll). `fromIndex` starts the walk
   * at a record's scan index (see scanIndexOf), so a paged reader resumes where it stopped.
   */
  *scan(sobject: SObjectName, includeDeleted = false, fromIndex = 0): Generator<SfRecord> {
    const end = this.nextIndex[sobject];
    for (let index = Math.max(0, Math.floor(fromIndex)); index < end; index++) {
      const id = this.idFor(sobject, index);
      const slot = this.written.get(id) ?? (index < this.seedCount(sobject) ? seedRecord(this, sobject, index, id) : undefined);
      if (!slot) continue;
      if (isDeletedSlot(slot)) {
        if (includeDeleted) yield slot[DELETED];
      } else {
        yield slot;
      }
    }
  }

  /** Where a record of this org sits in its object's scan: pass it (or one past it) to scan's `fromIndex`. */
  scanIndexOf(id: string): number {
    const parsed = parseId(id);
    if (!parsed || parsed.orgNumber !== this.orgNumber) throw new Error(`scanIndexOf: ${id} is no record id of org ${this.orgNumber}`);
    return parsed.index;
  }

  count(sobject: SObjectName): number {
    return this.seedCount(sobject) - this.deletedSeeds[sobject] + this.createdLive[sobject];
  }

  insert(sobject: SObjectName, rows: Record<string, unknown>[], actor: Actor, allOrNone = false): DmlResult[] {
    return this.run(sobject, 'create', rows, actor, allOrNone, (row) => {
      const fields = this.validateFields(sobject, row, 'create');
      for (const def of fieldsOf(sobject, this.personAccounts)) {
        if (def.requiredOnCreate && !this.isPersonAccountException(sobject, def, fields) && isBlank(fields[def.name])) {
          throw new DmlError({
            statusCode: 'REQUIRED_FIELD_MISSING',
            message: `Required fields are missing: [${def.name}]`,
            fields: [def.name],
          });
        }
      }
      const index = this.nextIndex[sobject]++;
      const stamp = this.now();
      const record: SfRecord = {
        ...this.blankRecord(sobject),
        ...this.createDefaults(sobject, actor),
        ...this.autoNumbers(sobject, index),
        ...fields,
        Id: this.idFor(sobject, index),
        IsDeleted: false,
        CreatedDate: stamp,
        CreatedById: actor.userId,
        LastModifiedDate: stamp,
        LastModifiedById: actor.userId,
        SystemModstamp: stamp,
      };
      this.derive(sobject, record);
      return { before: null, after: record };
    });
  }

  update(sobject: SObjectName, rows: Record<string, unknown>[], actor: Actor, allOrNone = false): DmlResult[] {
    return this.run(sobject, 'update', rows, actor, allOrNone, (row) => {
      const id = typeof row.Id === 'string' ? row.Id : typeof row.id === 'string' ? row.id : '';
      const before = this.requireLive(sobject, id);
      const { Id: _ignored, id: _ignoredLower, ...rest } = row;
      const fields = this.validateFields(sobject, rest, 'update');
      const stamp = this.now();
      const after: SfRecord = {
        ...before,
        ...fields,
        LastModifiedDate: stamp,
        LastModifiedById: actor.userId,
        SystemModstamp: stamp,
      };
      this.derive(sobject, after);
      return { before, after };
    });
  }

  delete(sobject: SObjectName, ids: string[], actor: Actor, allOrNone = false): DmlResult[] {
    return this.run(sobject, 'delete', ids.map((Id) => ({ Id })), actor, allOrNone, (row) => {
      const before = this.requireLive(sobject, String(row.Id));
      const stamp = this.now();
      const after: SfRecord = { ...before, IsDeleted: true, SystemModstamp: stamp, LastModifiedById: actor.userId };
      return { before, after };
    });
  }

  undelete(sobject: SObjectName, ids: string[], actor: Actor, allOrNone = false): DmlResult[] {
    return this.run(sobject, 'undelete', ids.map((Id) => ({ Id })), actor, allOrNone, (row) => {
      const id = String(row.Id);
      const before = this.getDeleted(sobject, id);
      if (!before) {
        throw new DmlError({
          statusCode: 'UNDELETE_FAILED',
          message: `Entity is not in the recycle bin: ${id}`,
          fields: [],
        });
      }
      const stamp = this.now();
      const after: SfRecord = { ...before, IsDeleted: false, SystemModstamp: stamp, LastModifiedById: actor.userId };
      return { before, after };
    });
  }

  /**
   * Validates every row first, then commits the successful ones and tells the listeners once:
   * one DML statement, one trigger context. With allOrNone, one failure rolls back the lot.
   */
  private run(
    sobject: SObjectName,
    operation: DmlOperation,
    rows: Record<string, unknown>[],
    actor: Actor,
    allOrNone: boolean,
    prepare: (row: Record<string, unknown>) => RecordChange,
  ): DmlResult[] {
    const nextIndexBefore = this.nextIndex[sobject];
    const prepared: Array<RecordChange | SfError> = rows.map((row) => {
      try {
        return prepare(row);
      } catch (err) {
        if (err instanceof DmlError) return err.error;
        throw err;
      }
    });
    if (operation !== 'delete') {
      const claimed = new Map<string, string>();
      prepared.forEach((p, i) => {
        if ('after' in p) prepared[i] = this.uniqueConflict(sobject, p.after, claimed) ?? p;
      });
    }
    const failed = prepared.some((p) => !('after' in p));
    if (allOrNone && failed) {
      this.nextIndex[sobject] = nextIndexBefore;
      return prepared.map((p) => ({
        id: null,
        success: false,
        created: false,
        errors: [
          'after' in p
            ? {
                statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
                fields: [],
              }
            : p,
        ],
      }));
    }
    const changes: RecordChange[] = [];
    const results = prepared.map((p): DmlResult => {
      if (!('after' in p)) return { id: null, success: false, created: false, errors: [p] };
      this.commit(sobject, operation, p);
      changes.push(p);
      return { id: p.after.Id, success: true, created: operation === 'create', errors: [] };
    });
    if (changes.length > 0) this.events.emit('commit', { sobject, operation, actor, changes } satisfies DmlBatch);
    return results;
  }

  private commit(sobject: SObjectName, operation: DmlOperation, change: RecordChange): void {
    const { after } = change;
    this.reindex(sobject, change.before, operation === 'delete' ? null : after);
    const isSeed = (parseId(after.Id)?.index ?? Infinity) < this.seedCount(sobject);
    if (operation === 'delete') {
      this.written.set(after.Id, { [DELETED]: after });
      if (isSeed) this.deletedSeeds[sobject]++;
      else this.createdLive[sobject]--;
    } else {
      this.written.set(after.Id, after);
      if (operation === 'create') this.createdLive[sobject]++;
      if (operation === 'undelete') {
        if (isSeed) this.deletedSeeds[sobject]--;
        else this.createdLive[sobject]++;
      }
    }
  }

  /**
   * Creates the rows whose external id matches no record and updates the ones it matches once, as
   * REST upsert does: creates and updates are separate DML statements (insert, then update triggers).
   * A value matching several records, or given twice in one call, fails that row. With allOrNone a
   * failed insert rolls everything back; a failed update cannot undo the inserts before it (the store
   * has no cross-statement transaction).
   */
  upsert(sobject: SObjectName, externalIdField: string, rows: Record<string, unknown>[], actor: Actor, allOrNone = false): DmlResult[] {
    const def = this.externalIdField(sobject, externalIdField);
    if (!def) throw new Error(`${sobject}.${externalIdField} is not an external id field`);
    const failure = (error: SfError): DmlResult => ({ id: null, success: false, created: false, errors: [error] });
    const seen = new Set<string>();
    const plans = rows.map((row): { create: Record<string, unknown> } | { update: Record<string, unknown> } | { error: SfError } => {
      const key = Object.keys(row).find((k) => k.toLowerCase() === def.name.toLowerCase());
      const value = key === undefined ? undefined : row[key];
      if (isBlank(value)) return { error: { statusCode: 'MISSING_ARGUMENT', message: `${def.name} not specified`, fields: [def.name] } };
      const normalised = normaliseKey(def, String(value));
      if (seen.has(normalised)) {
        return { error: { statusCode: 'DUPLICATE_VALUE', message: `Duplicate external id specified: ${String(value)}`, fields: [def.name] } };
      }
      seen.add(normalised);
      const matches = this.findByExternalId(sobject, def.name, String(value));
      if (matches.length > 1) {
        return {
          error: {
            statusCode: 'DUPLICATE_EXTERNAL_ID',
            message: `${def.name}: more than one record found for external id field: [${matches.join(', ')}]`,
            fields: [def.name],
          },
        };
      }
      return matches.length === 1 ? { update: { ...row, Id: matches[0] } } : { create: row };
    });
    const rolledBack: SfError = {
      statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
      fields: [],
    };
    if (allOrNone && plans.some((p) => 'error' in p)) return plans.map((p) => failure('error' in p ? p.error : rolledBack));
    const results: DmlResult[] = plans.map((p) => failure('error' in p ? p.error : rolledBack));
    const creates = plans.flatMap((p, i) => ('create' in p ? [i] : []));
    const updates = plans.flatMap((p, i) => ('update' in p ? [i] : []));
    const rowAt = (i: number): Record<string, unknown> => {
      const plan = plans[i];
      return 'create' in plan ? plan.create : 'update' in plan ? plan.update : {};
    };
    if (creates.length > 0) {
      const inserted = this.insert(sobject, creates.map(rowAt), actor, allOrNone);
      creates.forEach((index, i) => (results[index] = inserted[i]));
      if (allOrNone && inserted.some((r) => !r.success)) return results;
    }
    if (updates.length > 0) {
      const updated = this.update(sobject, updates.map(rowAt), actor, allOrNone);
      updates.forEach((index, i) => (results[index] = updated[i]));
    }
    return results;
  }

  /** The field, when it can key an upsert: an external id (or unique) field of the object. */
  externalIdField(sobject: SObjectName, name: string): FieldDef | undefined {
    const def = findField(sobject, name, this.personAccounts);
    return def && (def.externalId || def.unique) && def.type !== 'textarea' ? def : undefined;
  }

  /** Ids of the live records whose external-id (or unique) field holds the value. */
  findByExternalId(sobject: SObjectName, field: string, value: string): string[] {
    const def = this.externalIdField(sobject, field);
    if (!def) return [];
    return [...(this.keyIndex.get(`${sobject}.${def.name}`)?.get(normaliseKey(def, value)) ?? [])];
  }

  private keyFields(sobject: SObjectName): FieldDef[] {
    return fieldsOf(sobject, this.personAccounts).filter((def) => def.externalId || def.unique);
  }

  /** DUPLICATE_VALUE when a unique field's value is held by another live record or an earlier row of the batch. */
  private uniqueConflict(sobject: SObjectName, record: SfRecord, claimed: Map<string, string>): SfError | undefined {
    for (const def of this.keyFields(sobject)) {
      const value = record[def.name];
      if (!def.unique || isBlank(value)) continue;
      const key = `${def.name}|${normaliseKey(def, String(value))}`;
      const holders = [...(this.keyIndex.get(`${sobject}.${def.name}`)?.get(normaliseKey(def, String(value))) ?? [])];
      const other = holders.find((id) => id !== record.Id) ?? (claimed.has(key) && claimed.get(key) !== record.Id ? claimed.get(key) : undefined);
      if (other) {
        return {
          statusCode: 'DUPLICATE_VALUE',
          message: `duplicate value found: ${def.name} duplicates value on record with id: ${other}`,
          fields: [],
        };
      }
      claimed.set(key, record.Id);
    }
    return undefined;
  }

  /** Keeps keyIndex in step with a committed change (seeded records hold no external-id values). */
  private reindex(sobject: SObjectName, before: SfRecord | null, after: SfRecord | null): void {
    for (const def of this.keyFields(sobject)) {
      const slot = `${sobject}.${def.name}`;
      let values = this.keyIndex.get(slot);
      if (!values) this.keyIndex.set(slot, (values = new Map()));
      const old = before?.[def.name];
      if (!isBlank(old)) {
        const ids = values.get(normaliseKey(def, String(old)));
        ids?.delete(before?.Id ?? '');
        if (ids?.size === 0) values.delete(normaliseKey(def, String(old)));
      }
      const next = after?.[def.name];
      if (!isBlank(next) && after) {
        const key = normaliseKey(def, String(next));
        const ids = values.get(key) ?? new Set<string>();
        ids.add(after.Id);
        values.set(key, ids);
      }
    }
  }

  private requireLive(sobject: SObjectName, id: string): SfRecord {
    const parsed = parseId(id);
    if (!parsed) {
      throw new DmlError({ statusCode: 'MALFORMED_ID', message: `${sobject} ID: id value of incorrect type: ${id}`, fields: ['Id'] });
    }
    const live = this.get(sobject, id);
    if (live) return live;
    if (this.getDeleted(sobject, id)) {
      throw new DmlError({ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] });
    }
    throw new DmlError({
      statusCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: `invalid cross reference id`,
      fields: [],
    });
  }

  private isPersonAccountException(sobject: SObjectName, def: FieldDef, fields: Record<string, FieldValue>): boolean {
    // A Person Account is created with LastName instead of Name.
    return sobject === 'Account' && def.name === 'Name' && this.personAccounts && !isBlank(fields.LastName);
  }

  private blankRecord(sobject: SObjectName): Record<string, FieldValue> {
    const record: Record<string, FieldValue> = {};
    for (const def of fieldsOf(sobject, this.personAccounts)) record[def.name] = def.type === 'boolean' ? false : null;
    return record;
  }

  /**
   * What the platform fills in on create when the request leaves it out: the owner is the creating
   * user, and a field with a default (Lead Status) gets it.
   */
  private createDefaults(sobject: SObjectName, actor: Actor): Record<string, FieldValue> {
    const defaults: Record<string, FieldValue> = {};
    for (const def of fieldsOf(sobject, this.personAccounts)) {
      if (def.name === 'OwnerId') defaults.OwnerId = actor.userId;
      else if (def.defaultValue !== undefined) defaults[def.name] = defaultValueOf(def);
    }
    return defaults;
  }

  /** AutoNumber fields (`FM-{0000}`): the record's number is its position in the object, from 1. */
  private autoNumbers(sobject: SObjectName, index: number): Record<string, FieldValue> {
    const numbers: Record<string, FieldValue> = {};
    for (const def of fieldsOf(sobject, this.personAccounts)) {
      if (def.autoNumberFormat === undefined) continue;
      numbers[def.name] = def.autoNumberFormat.replace(/\{(0+)\}/, (_match, zeros: string) => String(index + 1).padStart(zeros.length, '0'));
    }
    return numbers;
  }

  /** Fields the platform computes from others. */
  private derive(sobject: SObjectName, record: SfRecord): void {
    if (sobject === 'Account' && this.personAccounts) {
      const person = !isBlank(record.LastName);
      record.IsPersonAccount = person;
      if (person) record.Name = personName(record.FirstName, record.LastName);
    }
    if (sobject === 'User' || sobject === 'Contact' || sobject === 'Lead') record.Name = personName(record.FirstName, record.LastName);
  }

  private validateFields(
    sobject: SObjectName,
    row: Record<string, unknown>,
    mode: 'create' | 'update',
  ): Record<string, FieldValue> {
    const out: Record<string, FieldValue> = {};
    for (const [key, value] of Object.entries(row)) {
      if (key === 'attributes') continue;
      const def = findField(sobject, key, this.personAccounts);
      if (!def) {
        throw new DmlError({
          statusCode: 'INVALID_FIELD',
          message: `No such column '${key}' on sobject of type ${sobject}`,
          fields: [key],
        });
      }
      if (mode === 'create' ? !def.createable : !def.updateable) {
        throw new DmlError({
          statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
          message: `Unable to create/update fields: ${def.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          fields: [def.name],
        });
      }
      out[def.name] = coerceFieldValue(def, value, (id) => this.liveReference(def, id));
    }
    return out;
  }

  /** The 18-char id of a live record a reference field may point to, or undefined. */
  private liveReference(def: FieldDef, id: string): string | undefined {
    const target = this.sobjectOfId(id);
    if (!target || !(def.referenceTo ?? []).includes(target) || !this.get(target, id)) return undefined;
    return parseId(id)?.id18 ?? id;
  }

  /** Resolves `Account.Name`-style paths for SOQL and the trigger payload. */
  resolvePath(sobject: SObjectName, record: SfRecord, path: string): FieldValue | undefined {
    const parts = path.split('.');
    let currentObject: SObjectName = sobject;
    let current: SfRecord | undefined = record;
    for (let i = 0; i < parts.length - 1; i++) {
      const relationship = parts[i].toLowerCase();
      const def: FieldDef | undefined = fieldsOf(currentObject, this.personAccounts).find(
        (field) => field.relationshipName?.toLowerCase() === relationship,
      );
      if (!def || !current) return undefined;
      const targetId: FieldValue = current[def.name];
      if (typeof targetId !== 'string') return null;
      const target: SObjectName | undefined = this.sobjectOfId(targetId);
      if (!target) return null;
      current = this.get(target, targetId) ?? this.getDeleted(target, targetId);
      currentObject = target;
      if (!current) return null;
    }
    const leaf = findField(currentObject, parts[parts.length - 1], this.personAccounts);
    if (!leaf || !current) return undefined;
    return current[leaf.name] ?? null;
  }

  /** The object named in a URL or query, or undefined. */
  resolveSObject(name: string): SObjectName | undefined {
    return resolveSObject(name);
  }
}

/** How an external id compares: exactly when the field is case-sensitive, ignoring case otherwise. */
function normaliseKey(def: FieldDef, value: string): string {
  return def.caseSensitive ? value : value.toLowerCase();
}

export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}
