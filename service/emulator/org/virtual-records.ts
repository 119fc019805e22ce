import { makeId, parseId } from './ids';
import { SCHEMA, SOBJECT_NAMES, fieldsOf, findField, resolveSObject, type FieldDef, type SObjectName } from './schema';
import { defaultMappingRecordCount, seedRecord, type SeedCounts } from './seed';
import type { DmlOperation, FieldValue, SfRecord } from './records';

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
 * The org's records as read: ids, lookups, scans and counts. Seeded records are virtual (generated from
 * their index on demand), so an org of a million Contacts costs memory only for the records that were
 * written since; a scan streams. OrgStore adds the DML that writes over them.
 */
export class VirtualRecords {
  readonly orgNumber: number;
  readonly personAccounts: boolean;
  readonly seedCounts: SeedCounts;
  readonly seedSync: boolean;
  private readonly written = new Map<string, Slot>();
  private readonly revisions = new Map<SObjectName, number>();
  private readonly nextIndex: Record<SObjectName, number>;
  private readonly deletedSeeds: Record<SObjectName, number>;
  private readonly createdLive: Record<SObjectName, number>;

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
      const slot =
        this.written.get(id) ?? (index < this.seedCount(sobject) ? seedRecord(this, sobject, index, id) : undefined);
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
    if (!parsed || parsed.orgNumber !== this.orgNumber)
      throw new Error(`scanIndexOf: ${id} is no record id of org ${this.orgNumber}`);
    return parsed.index;
  }

  count(sobject: SObjectName): number {
    return this.seedCount(sobject) - this.deletedSeeds[sobject] + this.createdLive[sobject];
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

  /** The 18-char id of a live record a reference field may point to, or undefined. */
  protected liveReference(def: FieldDef, id: string): string | undefined {
    const target = this.sobjectOfId(id);
    if (!target || !(def.referenceTo ?? []).includes(target) || !this.get(target, id)) return undefined;
    return parseId(id)?.id18 ?? id;
  }

  /** Takes the index (and so the id) of a record being created. */
  protected claimIndex(sobject: SObjectName): number {
    return this.nextIndex[sobject]++;
  }

  /** The index the next created record would take; a rolled-back statement hands it to rewindIndex. */
  protected indexMark(sobject: SObjectName): number {
    return this.nextIndex[sobject];
  }

  /** Gives back the indexes claimed since the mark, so a rolled-back create leaves no gap in the ids. */
  protected rewindIndex(sobject: SObjectName, mark: number): void {
    this.nextIndex[sobject] = mark;
  }

  /**
   * How many records of the object were written so far: what is read from the object's records can be
   * kept until this moves (the package trigger's view of the syncs is read on every DML statement).
   */
  revision(sobject: SObjectName): number {
    return this.revisions.get(sobject) ?? 0;
  }

  /** Writes a committed record over its slot and keeps the live count in step. */
  protected storeCommitted(sobject: SObjectName, operation: DmlOperation, after: SfRecord): void {
    this.revisions.set(sobject, this.revision(sobject) + 1);
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
}
