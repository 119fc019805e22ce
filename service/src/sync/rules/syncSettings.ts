import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { validate as isValidCron } from 'node-cron';
import type { SyncedObject } from '../../model/records';
import { DEFAULT_CALL_LOGGING, type CallLogging, type UnknownCallers } from '../../model/calls';
import type { FieldMapping, MappingDirection, TelephonyField } from './fieldMap';
import { TRANSFORMS, type Transform } from './transforms';

/** One sync as the admin configured it in the package's Switchboard_Sync__c record and its mappings. */
export interface SyncSettings {
  syncId: string;
  name: string;
  status: SyncStatus;
  direction: 'both' | 'toTelephony' | 'toSalesforce';
  conflictWinner: 'salesforce' | 'telephony';
  objects: SyncedObject[];
  defaultObject: 'Contact' | 'Lead';
  validity: { requireValidPhone: boolean; requireFirstName: boolean; requireLastName: boolean };
  matchKeys: 'phone' | 'email' | 'both';
  /** Admin-written SOQL conditions (no WHERE), per object; absent = every record. */
  scope: Partial<Record<SyncedObject, string>>;
  /** node-cron expression of the reconciling sync. */
  schedule: string;
  defaultCountry: CountryCode;
  propagateDeletes: { toTelephony: boolean; toSalesforce: boolean };
  massDeleteThresholdPercent: number;
  /** Which calls become Tasks in the org, and what a call from an unknown number creates there. */
  calls: { logging: CallLogging; unknownCallers: UnknownCallers };
  mappings: SettingsMapping[];
}

export type SyncStatus = 'NotStarted' | 'InitialSync' | 'Active' | 'Paused' | 'Error' | 'Deleting';

export interface SettingsMapping extends FieldMapping {
  transform: Transform;
  picklistMap?: Record<string, string>;
  required: boolean;
  /** The mapping row's id (DeveloperName for a shipped default), so a later check can name it. */
  recordId?: string;
}

/** A configuration mistake an admin must fix, naming the record and the field. */
export interface SettingsProblem {
  recordId: string;
  field: string;
  message: string;
}

export const SCHEDULES: Record<string, string> = {
  Every15Minutes: '*/15 * * * *',
  Hourly: '0 * * * *',
  Every6Hours: '0 */6 * * *',
  Daily: '30 2 * * *',
};

/** The package's validation rule Minimum_Call_Seconds_Range. */
const MAX_MINIMUM_CALL_SECONDS = 3600;

const STATUSES: SyncStatus[] = ['NotStarted', 'InitialSync', 'Active', 'Paused', 'Error', 'Deleting'];
const TEL_FIELDS = [
  'firstName',
  'lastName',
  'company',
  'title',
  'email',
  'phone.work',
  'phone.mobile',
  'phone.home',
  'phone.other',
];
const DIRECTIONS: Record<string, MappingDirection> = {
  Both: 'both',
  ToTelephony: 'toTelephony',
  ToSalesforce: 'toSalesforce',
};

type Row = Record<string, unknown>;

/** Reads a field whether or not the org installed the package under a namespace. */
function reader(namespace: string) {
  const prefix = namespace ? `${namespace}__` : '';
  return (row: Row, field: string): unknown => row[prefix + field] ?? row[field];
}

/**
 * Turns the sync record, its mapping rows and the shipped default mappings into settings. Every bad value
 * becomes a problem naming the record and the field; the sync is still returned with safe defaults in its
 * place, so a typo in one mapping does not stop the others.
 */
export function parseSyncSettings(
  record: Row,
  mappingRows: Row[],
  defaultMappingRows: Row[],
  namespace = '',
): { settings: SyncSettings; problems: SettingsProblem[] } {
  const get = reader(namespace);
  const syncId = String(record.Id);
  const problems: SettingsProblem[] = [];
  const problem = (field: string, message: string, recordId = syncId) => problems.push({ recordId, field, message });
  const text = (field: string): string | null => {
    const v = get(record, field);
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
  };
  const flag = (field: string, fallback: boolean): boolean => {
    const v = get(record, field);
    return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : fallback;
  };
  const choice = <T extends string>(field: string, allowed: Record<string, T>, fallback: T): T => {
    const v = text(field);
    if (v === null) return fallback;
    if (v in allowed) return allowed[v];
    problem(field, `"${v}" is not one of ${Object.keys(allowed).join(', ')}`);
    return fallback;
  };

  const statusText = text('Status__c') ?? 'NotStarted';
  const status = (STATUSES as string[]).includes(statusText) ? (statusText as SyncStatus) : 'Error';
  if (status !== statusText) problem('Status__c', `"${statusText}" is not a known status`);

  const objects: SyncedObject[] = [];
  if (flag('Sync_Contacts__c', true)) objects.push('Contact');
  if (flag('Sync_Leads__c', false)) objects.push('Lead');
  if (flag('Sync_Person_Accounts__c', false)) objects.push('Account');
  if (objects.length === 0)
    problem('Sync_Contacts__c', 'no object is selected: choose Contacts, Leads or Person Accounts');

  const country = (text('Default_Country__c') ?? 'US').toUpperCase();
  let defaultCountry: CountryCode = 'US';
  if (isSupportedCountry(country)) defaultCountry = country;
  else problem('Default_Country__c', `"${country}" is not an ISO 3166 country code with a phone numbering plan`);

  const frequency = text('Frequency__c') ?? 'Hourly';
  let schedule = SCHEDULES.Hourly;
  if (frequency === 'Custom') {
    const cron = text('Custom_Schedule__c');
    if (cron && isValidCron(cron)) schedule = cron;
    else
      problem(
        'Custom_Schedule__c',
        cron ? `"${cron}" is not a valid cron expression` : 'is required when Frequency is Custom',
      );
  } else if (frequency in SCHEDULES) {
    schedule = SCHEDULES[frequency];
  } else {
    problem('Frequency__c', `"${frequency}" is not one of ${[...Object.keys(SCHEDULES), 'Custom'].join(', ')}`);
  }

  const threshold = Number(get(record, 'Mass_Delete_Threshold__c') ?? 10);
  const massDeleteThresholdPercent = Number.isFinite(threshold) && threshold >= 1 && threshold <= 100 ? threshold : 10;
  if (massDeleteThresholdPercent !== threshold)
    problem('Mass_Delete_Threshold__c', `must be between 1 and 100 (got ${String(threshold)})`);

  const calls = callSettings(get, record, flag, choice, problem);

  const scope: Partial<Record<SyncedObject, string>> = {};
  const contactScope = text('Contact_Scope__c');
  const leadScope = text('Lead_Scope__c');
  const personScope = text('Person_Account_Scope__c');
  if (contactScope) scope.Contact = contactScope;
  if (leadScope) scope.Lead = leadScope;
  if (personScope) scope.Account = personScope;

  const own = mappingRows.map((row) => parseMapping(row, get, problem));
  const mappings = (own.length > 0 ? own : defaultMappingRows.map((row) => parseMapping(row, get, problem))).filter(
    (m): m is SettingsMapping => m !== null,
  );

  const settings: SyncSettings = {
    syncId,
    name: text('Name') ?? syncId,
    status,
    direction: choice(
      'Direction__c',
      { Both: 'both', ToTelephony: 'toTelephony', ToSalesforce: 'toSalesforce' } as const,
      'both',
    ),
    conflictWinner: choice(
      'Conflict_Winner__c',
      { Salesforce: 'salesforce', Telephony: 'telephony' } as const,
      'salesforce',
    ),
    objects,
    defaultObject: choice('Default_Object__c', { Contact: 'Contact', Lead: 'Lead' } as const, 'Contact'),
    validity: {
      requireValidPhone: flag('Require_Valid_Phone__c', true),
      requireFirstName: flag('Require_First_Name__c', false),
      requireLastName: flag('Require_Last_Name__c', true),
    },
    matchKeys: choice('Match_Keys__c', { Phone: 'phone', Email: 'email', Both: 'both' } as const, 'both'),
    scope,
    schedule,
    defaultCountry,
    propagateDeletes: {
      toTelephony: flag('Propagate_Deletes_To_Telephony__c', true),
      toSalesforce: flag('Propagate_Deletes_To_Salesforce__c', false),
    },
    massDeleteThresholdPercent,
    calls,
    mappings,
  };
  return { settings, problems };
}

/** Call logging and unknown callers; a bad minimum duration is a problem and logs every answered call. */
function callSettings(
  get: (row: Row, field: string) => unknown,
  record: Row,
  flag: (field: string, fallback: boolean) => boolean,
  choice: <T extends string>(field: string, allowed: Record<string, T>, fallback: T) => T,
  problem: (field: string, message: string) => void,
): SyncSettings['calls'] {
  const raw = get(record, 'Minimum_Call_Seconds__c');
  const seconds = raw === null || raw === undefined ? 0 : Number(raw);
  const valid = Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_MINIMUM_CALL_SECONDS;
  if (!valid)
    problem(
      'Minimum_Call_Seconds__c',
      `must be a whole number from 0 to ${MAX_MINIMUM_CALL_SECONDS} (got ${String(raw)})`,
    );
  const d = DEFAULT_CALL_LOGGING;
  return {
    logging: {
      inbound: flag('Log_Inbound_Calls__c', d.inbound),
      outbound: flag('Log_Outbound_Calls__c', d.outbound),
      unanswered: flag('Log_Missed_Calls__c', d.unanswered),
      minimumSeconds: valid ? seconds : d.minimumSeconds,
    },
    unknownCallers: choice('Unknown_Callers__c', { None: 'none', Lead: 'Lead', Contact: 'Contact' } as const, 'none'),
  };
}

function parseMapping(
  row: Row,
  get: (row: Row, field: string) => unknown,
  problem: (field: string, message: string, recordId?: string) => void,
): SettingsMapping | null {
  const id = String(row.Id ?? row.DeveloperName ?? 'mapping');
  const str = (field: string) => {
    const v = get(row, field);
    return typeof v === 'string' ? v.trim() : '';
  };
  const sobject = str('Salesforce_Object__c');
  const sfField = str('Salesforce_Field__c');
  const telephonyField = str('Telephony_Field__c');
  const direction = DIRECTIONS[str('Direction__c') || 'Both'];
  const transform = (str('Transform__c') || 'None') as Transform;
  if (!['Contact', 'Lead', 'Account'].includes(sobject)) {
    problem('Salesforce_Object__c', `"${sobject}" is not Contact, Lead or Account`, id);
    return null;
  }
  if (!/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/.test(sfField)) {
    problem('Salesforce_Field__c', `"${sfField}" is not a field API name`, id);
    return null;
  }
  if (!TEL_FIELDS.includes(telephonyField)) {
    problem('Telephony_Field__c', `"${telephonyField}" is not one of ${TEL_FIELDS.join(', ')}`, id);
    return null;
  }
  if (!direction) {
    problem('Direction__c', `"${str('Direction__c')}" is not Both, ToTelephony or ToSalesforce`, id);
    return null;
  }
  if (!(TRANSFORMS as readonly string[]).includes(transform)) {
    problem('Transform__c', `"${transform}" is not one of ${TRANSFORMS.join(', ')}`, id);
    return null;
  }
  let picklistMap: Record<string, string> | undefined;
  if (transform === 'PicklistMap') {
    try {
      const parsed: unknown = JSON.parse(str('Picklist_Map__c') || '{}');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      picklistMap = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } catch (err) {
      problem(
        'Picklist_Map__c',
        `must be a JSON object of Salesforce value → telephony value (${(err as Error).message})`,
        id,
      );
      return null;
    }
  }
  const relationship = sfField.includes('.');
  if (relationship && direction !== 'toTelephony') {
    problem('Direction__c', `${sfField} belongs to a related record: it can only flow to telephony`, id);
  }
  return {
    sobject: sobject as SyncedObject,
    sfField,
    telephonyField: telephonyField as TelephonyField,
    direction: relationship ? 'toTelephony' : direction,
    transform,
    picklistMap,
    required: get(row, 'Required__c') === true,
    recordId: id,
  };
}
