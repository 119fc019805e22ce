/**
 * The engine's own record vocabulary: which Salesforce objects it syncs and how a record's values travel
 * through it. Every room speaks these types — the Pub/Sub decoder and the REST reads produce them, the
 * rules and the store consume them — so they live here, importing nothing of the service.
 */

/** The objects whose triggers publish change events (Account = Person Accounts). */
export const SYNCED_OBJECTS = ['Contact', 'Lead', 'Account'] as const;
export type SyncedObject = (typeof SYNCED_OBJECTS)[number];

export function isSyncedObject(name: string): name is SyncedObject {
  return (SYNCED_OBJECTS as readonly string[]).includes(name);
}

/** A Salesforce field value as the sync carries it (the JSON scalar types a trigger or a query gives). */
export type SfValue = string | number | boolean | null;

/** One Salesforce record's state as the engine applies it. */
export interface SfChangeRecord {
  id: string;
  systemModstamp: string | null;
  /** Mapped field values as the trigger read them (`Account.Name` for the company). */
  values: Record<string, SfValue>;
}

/**
 * A Salesforce record whose directory contact a delete would take away, and why. The deletes path and
 * the mass-deletion guard judge these; held ones wait in the store (store/state/heldDeletes.ts).
 */
export interface DeleteCandidate {
  recordId: string;
  sobject: SyncedObject;
  /** excluded: the validity rules now keep the record out, and its contact would leave the directory. */
  cause: 'deleted' | 'out-of-scope' | 'excluded';
}
