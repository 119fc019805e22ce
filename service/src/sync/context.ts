import type { CountryCode } from 'libphonenumber-js/max';
import type { SyncedObject } from '../salesforce/changeEvent';
import type { FieldMapping } from './fieldMap';

/** What the sync needs to know about one org while applying or writing back changes. */
export interface OrgSyncSettings {
  orgId: string;
  mappings: FieldMapping[];
  defaultCountry: CountryCode;
  objects: SyncedObject[];
}

/** The settings of every connected org, by org id (a contact may be linked in several). */
export type SettingsLookup = (orgId: string) => OrgSyncSettings | undefined;
