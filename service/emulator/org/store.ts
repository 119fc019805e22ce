import { EventEmitter } from 'node:events';
import { parseId } from './ids';
import type { FieldDef, SObjectName } from './schema';
import { deriveFields, newRecordBase, requireCreateFields, validateFields } from './field-rules';
import { KeyIndex } from './key-index';
import { planUpsert, rowOf } from './upsert-plan';
import { VirtualRecords } from './virtual-records';

export * from './records';
export { isBlank } from './field-rules';
export type { OrgStoreOptions } from './virtual-records';
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

const failure = (error: SfError): DmlResult => ({ id: null, success: false, created: false, errors: [error] });

/** What an all-or-none statement reports for a valid row it did not commit because another row failed. */
const rolledBack = (): SfError => ({
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
});

/**
 * The org's data: the records (read as VirtualRecords) and the DML statements that write them. Each
 * statement tells the commit listeners once, as one trigger context.
 */
export class OrgStore extends VirtualRecords {
  private readonly events = new EventEmitter();
  private lastStamp = 0;
  private transactions = 0;
  private currentTransaction: number | undefined;
  private readonly keys = new KeyIndex(this.personAccounts);

  /** Listeners run synchronously after each successful DML statement, as after-triggers do. */
  onCommit(listener: (batch: DmlBatch) => void): () => void {
    this.events.on('commit', listener);
    return () => this.events.off('commit', listener);
  }

  /**
   * Runs statements as one transaction (one API call): their batches carry its number, and the
   * transaction-end listeners hear it once after the last, as work deferred to after the commit
   * (a Queueable) runs then. Nested calls join the running transaction.
   */
  transaction<T>(work: () => T): T {
    if (this.currentTransaction !== undefined) return work();
    const id = ++this.transactions;
    this.currentTransaction = id;
    try {
      return work();
    } finally {
      this.currentTransaction = undefined;
      this.events.emit('transactionEnd', id);
    }
  }

  /** Listeners run after each transaction (see transaction()), with its number. */
  onTransactionEnd(listener: (transaction: number) => void): () => void {
    this.events.on('transactionEnd', listener);
    return () => this.events.off('transactionEnd', listener);
  }

  /** Strictly increasing timestamps, so SystemModstamp orders every write. */
  now(): string {
    const t = Math.max(Date.now(), this.lastStamp + 1);
    this.lastStamp = t;
    return new Date(t).toISOString();
  }

  /**
   * Objects the API user may read but not create, as with a profile without a user permission such as Edit
   * Tasks: their describe says not createable and a create fails INSUFFICIENT_ACCESS_OR_READONLY.
   */
  readonly uncreatable = new Set<SObjectName>();

  insert(sobject: SObjectName, rows: Record<string, unknown>[], actor: Actor, allOrNone = false): DmlResult[] {
    return this.run(sobject, 'create', rows, actor, allOrNone, (row) => {
      if (this.uncreatable.has(sobject)) {
        throw new DmlError({
          statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
          message: 'insufficient access rights on object id',
          fields: [],
        });
      }
      const fields = this.writableFields(sobject, row, 'create');
      requireCreateFields(sobject, fields, this.personAccounts);
      this.requireActiveOwner(sobject, fields);
      const index = this.claimIndex(sobject);
      const stamp = this.now();
      const record: SfRecord = {
        ...newRecordBase(sobject, this.personAccounts, actor, index),
        ...fields,
        Id: this.idFor(sobject, index),
        IsDeleted: false,
        CreatedDate: stamp,
        CreatedById: actor.userId,
        LastModifiedDate: stamp,
        LastModifiedById: actor.userId,
        SystemModstamp: stamp,
      };
      deriveFields(sobject, record, this.personAccounts);
      return { before: null, after: record };
    });
  }

  update(sobject: SObjectName, rows: Record<string, unknown>[], actor: Actor, allOrNone = false): DmlResult[] {
    return this.run(sobject, 'update', rows, actor, allOrNone, (row) => {
      const id = typeof row.Id === 'string' ? row.Id : typeof row.id === 'string' ? row.id : '';
      const before = this.requireLive(sobject, id);
      const { Id: _ignored, id: _ignoredLower, ...rest } = row;
      const fields = this.writableFields(sobject, rest, 'update');
      this.requireActiveOwner(sobject, fields);
      const stamp = this.now();
      const after: SfRecord = {
        ...before,
        ...fields,
        LastModifiedDate: stamp,
        LastModifiedById: actor.userId,
        SystemModstamp: stamp,
      };
      deriveFields(sobject, after, this.personAccounts);
      return { before, after };
    });
  }

  delete(sobject: SObjectName, ids: string[], actor: Actor, allOrNone = false): DmlResult[] {
    return this.run(
      sobject,
      'delete',
      ids.map((Id) => ({ Id })),
      actor,
      allOrNone,
      (row) => {
        const before = this.requireLive(sobject, String(row.Id));
        const stamp = this.now();
        const after: SfRecord = { ...before, IsDeleted: true, SystemModstamp: stamp, LastModifiedById: actor.userId };
        return { before, after };
      },
    );
  }

  undelete(sobject: SObjectName, ids: string[], actor: Actor, allOrNone = false): DmlResult[] {
    return this.run(
      sobject,
      'undelete',
      ids.map((Id) => ({ Id })),
      actor,
      allOrNone,
      (row) => {
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
      },
    );
  }

  /**
   * Creates the rows whose external id matches no record and updates the ones it matches once, as
   * REST upsert does: creates and updates are separate DML statements (insert, then update triggers).
   * A value matching several records, or given twice in one call, fails that row. With allOrNone a
   * failed insert rolls everything back; a failed update cannot undo the inserts before it (the store
   * has no cross-statement transaction).
   */
  upsert(
    sobject: SObjectName,
    externalIdField: string,
    rows: Record<string, unknown>[],
    actor: Actor,
    allOrNone = false,
  ): DmlResult[] {
    const def = this.externalIdField(sobject, externalIdField);
    if (!def) throw new Error(`${sobject}.${externalIdField} is not an external id field`);
    return this.transaction(() => this.upsertPlanned(sobject, def, rows, actor, allOrNone));
  }

  private upsertPlanned(
    sobject: SObjectName,
    def: FieldDef,
    rows: Record<string, unknown>[],
    actor: Actor,
    allOrNone: boolean,
  ): DmlResult[] {
    const plans = planUpsert(def, rows, (value) => this.findByExternalId(sobject, def.name, value));
    const results: DmlResult[] = plans.map((p) => failure('error' in p ? p.error : rolledBack()));
    if (allOrNone && plans.some((p) => 'error' in p)) return results;
    const creates = plans.flatMap((p, i) => ('create' in p ? [i] : []));
    const updates = plans.flatMap((p, i) => ('update' in p ? [i] : []));
    const rowAt = (i: number): Record<string, unknown> => rowOf(plans[i]);
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
    return this.keys.externalIdField(sobject, name);
  }

  /** Ids of the live records whose external-id (or unique) field holds the value. */
  findByExternalId(sobject: SObjectName, field: string, value: string): string[] {
    return this.keys.find(sobject, field, value);
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
    const mark = this.indexMark(sobject);
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
        if ('after' in p) prepared[i] = this.keys.uniqueConflict(sobject, p.after, claimed) ?? p;
      });
    }
    const failed = prepared.some((p) => !('after' in p));
    if (allOrNone && failed) {
      this.rewindIndex(sobject, mark);
      return prepared.map((p) => failure('after' in p ? rolledBack() : p));
    }
    const changes: RecordChange[] = [];
    const results = prepared.map((p): DmlResult => {
      if (!('after' in p)) return failure(p);
      this.commit(sobject, operation, p);
      changes.push(p);
      return { id: p.after.Id, success: true, created: operation === 'create', errors: [] };
    });
    if (changes.length > 0)
      this.transaction(() =>
        this.events.emit('commit', {
          sobject,
          operation,
          actor,
          changes,
          transaction: this.currentTransaction,
        } satisfies DmlBatch),
      );
    return results;
  }

  private commit(sobject: SObjectName, operation: DmlOperation, change: RecordChange): void {
    this.keys.reindex(sobject, change.before, operation === 'delete' ? null : change.after);
    this.storeCommitted(sobject, operation, change.after);
  }

  private writableFields(
    sobject: SObjectName,
    row: Record<string, unknown>,
    mode: 'create' | 'update',
  ): Record<string, FieldValue> {
    return validateFields(sobject, row, mode, this.personAccounts, (def, id) => this.liveReference(def, id));
  }

  /** As an org: a record cannot be given to a deactivated user (INACTIVE_OWNER_OR_USER). */
  private requireActiveOwner(sobject: SObjectName, fields: Record<string, FieldValue>): void {
    const owner = typeof fields.OwnerId === 'string' ? this.get('User', fields.OwnerId) : undefined;
    if (owner?.IsActive !== false) return;
    throw new DmlError({
      statusCode: 'INACTIVE_OWNER_OR_USER',
      message: `operation performed with inactive user [${String(fields.OwnerId)}] as owner of ${sobject.toLowerCase()}`,
      fields: [],
    });
  }

  private requireLive(sobject: SObjectName, id: string): SfRecord {
    const parsed = parseId(id);
    if (!parsed) {
      throw new DmlError({
        statusCode: 'MALFORMED_ID',
        message: `${sobject} ID: id value of incorrect type: ${id}`,
        fields: ['Id'],
      });
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
}
