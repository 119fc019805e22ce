import type { CountryCode } from 'libphonenumber-js/max';
import type { SyncedObject } from '../../model/records';
import type { FieldMapping } from './fieldMap';
import type { SyncSettings } from './syncSettings';
import { DEFAULT_CALL_LOGGING } from '../../model/calls';

/**
 * The behaviour an admin chose for the org's sync (Switchboard_Sync__c), as the engine applies it.
 * Before a sync record has been read, DEFAULT_POLICY stands in: the package's field defaults.
 */
export type SyncPolicy = Pick<
  SyncSettings,
  | 'direction'
  | 'conflictWinner'
  | 'defaultObject'
  | 'validity'
  | 'matchKeys'
  | 'scope'
  | 'schedule'
  | 'propagateDeletes'
  | 'massDeleteThresholdPercent'
  | 'calls'
>;

export const DEFAULT_POLICY: SyncPolicy = {
  direction: 'both',
  conflictWinner: 'salesforce',
  defaultObject: 'Contact',
  validity: { requireValidPhone: true, requireFirstName: false, requireLastName: true },
  matchKeys: 'both',
  scope: {},
  schedule: '0 * * * *',
  propagateDeletes: { toTelephony: true, toSalesforce: false },
  massDeleteThresholdPercent: 10,
  calls: { logging: DEFAULT_CALL_LOGGING, unknownCallers: 'none' },
};

/** What the sync needs to know about one org while applying or writing back changes. */
export interface OrgSyncSettings {
  orgId: string;
  /** The org's Switchboard_Sync__c id once read; null while the built-in defaults stand in. */
  syncId: string | null;
  mappings: FieldMapping[];
  defaultCountry: CountryCode;
  objects: SyncedObject[];
  policy: SyncPolicy;
}

/** The settings of every connected org, by org id (a contact may be linked in several). */
export type SettingsLookup = (orgId: string) => OrgSyncSettings | undefined;

/** Copies the policy part out of a parsed sync record. */
export function policyOf(sync: SyncSettings): SyncPolicy {
  const {
    direction,
    conflictWinner,
    defaultObject,
    validity,
    matchKeys,
    scope,
    schedule,
    propagateDeletes,
    massDeleteThresholdPercent,
    calls,
  } = sync;
  return {
    direction,
    conflictWinner,
    defaultObject,
    validity,
    matchKeys,
    scope,
    schedule,
    propagateDeletes,
    massDeleteThresholdPercent,
    calls,
  };
}
