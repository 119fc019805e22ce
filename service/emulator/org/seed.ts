import { DEFAULT_MAPPING_TYPE, loadCustomMetadataRecords } from './packageObjects';
import { LEAD_STATUSES, SCHEMA, defaultValueOf, type SObjectName } from './schema';
import type { FieldValue, SfRecord } from './store';

/** How many records of each kind a new org starts with. */
export interface SeedCounts {
  contacts: number;
  leads: number;
  businessAccounts: number;
  /** Only seeded where the org has Person Accounts. */
  personAccounts: number;
  /** At least 2: the integration user (index 0) and an administrator (index 1). */
  users: number;
}

export const DEMO_SEED: SeedCounts = { contacts: 300, leads: 120, businessAccounts: 40, personAccounts: 60, users: 8 };
export const EMPTY_SEED: SeedCounts = { contacts: 0, leads: 0, businessAccounts: 0, personAccounts: 0, users: 2 };

/** Seeded records are older than anything written later: one second apart, ending at this instant. */
const SEED_EPOCH = Date.parse('2025-01-01T00:00:00.000Z');

interface SeedContext {
  orgNumber: number;
  personAccounts: boolean;
  seedCounts: SeedCounts;
  seedCount(sobject: SObjectName): number;
  idFor(sobject: SObjectName, index: number): string;
}

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Tim',
  'Radia',
  'Edsger',
  'Hedy',
  'Claude',
  'Katherine',
  'John',
  'Sophie',
  'Mateo',
  'Aiko',
  'Oluwaseun',
  'Zoë',
  'José',
  'Françoise',
  'Bjørn',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Berners-Lee',
  'Perlman',
  'Dijkstra',
  'Lamarr',
  'Shannon',
  'Johnson',
  'McCarthy',
  'Wilson',
  'García',
  'Tanaka',
  'Adeyemi',
  "O'Brien",
  'Müller',
  'Dubois',
  'Nørgaard',
];
const COMPANIES = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella Health',
  'Stark Industries',
  'Wayne Logistics',
  'Hooli',
  'Vandelay Imports',
  'Soylent Foods',
  'Tyrell Systems',
];
const TITLES = ['CEO', 'CTO', 'Head of IT', 'Office Manager', 'Sales Director', 'Buyer', null, 'Telephony Admin'];

/** Small, fast, deterministic PRNG (mulberry32), so record i is the same on every run (and a seeded test corpus too). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];
function digits(r: () => number, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += Math.floor(r() * 10);
  return out;
}

/**
 * Phone numbers as people type them: national and international, dots, dashes, brackets, extensions,
 * UK numbers, and now and then something that is no phone number at all. A London number's exchange
 * follows the record's index, so a big org's UK numbers spread over a thousand exchanges as a real org's
 * do: drawn from one 10,000-number exchange, 15 % of a million Contacts shared a number with another.
 */
function messyPhone(r: () => number, index: number): string {
  const area = pick(r, ['415', '212', '617', '303', '646', '312', '206', '512']);
  const exchange = String(200 + Math.floor(r() * 700));
  const line = digits(r, 4);
  switch (Math.floor(r() * 10)) {
    case 0:
      return `(${area}) ${exchange}-${line}`;
    case 1:
      return `${area}.${exchange}.${line}`;
    case 2:
      return `+1 ${area} ${exchange} ${line}`;
    case 3:
      return `1-${area}-${exchange}-${line}`;
    case 4:
      return `${area}-${exchange}-${line} x${Math.floor(r() * 900) + 100}`;
    case 5:
      return `+44 20 7${String(index % 1000).padStart(3, '0')} ${digits(r, 4)}`;
    case 6:
      return `+49 30 ${digits(r, 8)}`;
    case 7:
      return `${area}${exchange}${line}`;
    case 8:
      return `+1 (${area}) ${exchange}-${line} ext. ${Math.floor(r() * 90) + 10}`;
    default:
      return r() < 0.5 ? 'ask reception' : `${exchange}-${line}`;
  }
}

const maybe = <T>(r: () => number, p: number, value: () => T): T | null => (r() < p ? value() : null);

function emailFor(first: string, last: string, domain: string, index: number): string {
  const local = `${first}.${last}`
    .normalize('NFD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  return `${local}${index}@${domain}`;
}

const domainOf = (company: string): string => company.toLowerCase().replace(/[^a-z]/g, '') + '.example.com';

/**
 * The platform-set fields every seeded record starts with. Each builder below adds its own fields to
 * this object with Object.assign: an object spread per record (`{ ...base, … }`) costs several times
 * more, and a million-row scan builds a million of them.
 */
function audit(ctx: SeedContext, sobject: SObjectName, index: number, id: string, adminId: string): SfRecord {
  const stamp = new Date(SEED_EPOCH - (ctx.seedCount(sobject) - index) * 1000).toISOString();
  return {
    Id: id,
    IsDeleted: false,
    CreatedDate: stamp,
    CreatedById: adminId,
    LastModifiedDate: stamp,
    LastModifiedById: adminId,
    SystemModstamp: stamp,
  };
}

/** A person's compound `Name` (Contact, Lead, User, Person Account): FirstName and LastName, blanks left out. */
export function personName(first: FieldValue, last: FieldValue): string {
  const firstText = first === null ? '' : String(first).trim();
  const lastText = last === null ? '' : String(last).trim();
  return firstText && lastText ? `${firstText} ${lastText}` : firstText || lastText;
}

/** Every seeded record is created and owned by the administrator (user 1); one id per org, made once. */
const adminIds = new WeakMap<SeedContext, string>();
function adminIdOf(ctx: SeedContext): string {
  let id = adminIds.get(ctx);
  if (id === undefined) {
    id = ctx.idFor('User', 1);
    adminIds.set(ctx, id);
  }
  return id;
}

/**
 * Record `index` of `sobject` as seeded: pure function of (org, object, index). `id` is the record's
 * id when the caller has already made it (a scan has).
 */
export function seedRecord(
  ctx: SeedContext,
  sobject: SObjectName,
  index: number,
  id = ctx.idFor(sobject, index),
): SfRecord {
  const r = rng(ctx.orgNumber * 1_000_003 + index * 31 + sobject.length * 7919);
  const first = pick(r, FIRST);
  const last = pick(r, LAST);
  const owner = adminIdOf(ctx);
  const base = audit(ctx, sobject, index, id, owner);
  switch (sobject) {
    case 'User':
      return Object.assign(userRecord(base, index, first, last, r), { UserType: 'Standard' });
    case 'Contact': {
      const businessAccounts = ctx.seedCounts.businessAccounts;
      const accountIndex = businessAccounts > 0 ? index % businessAccounts : -1;
      const company = COMPANIES[Math.max(accountIndex, 0) % COMPANIES.length];
      const firstName = maybe(r, 0.95, () => first);
      // The generator's draws keep their order (literal values evaluate in order; org-seed.test.ts pins them).
      return Object.assign(base, {
        OwnerId: owner,
        AccountId: accountIndex >= 0 ? ctx.idFor('Account', accountIndex) : null,
        FirstName: firstName,
        LastName: last,
        Name: personName(firstName, last),
        Title: pick(r, TITLES),
        Email: maybe(r, 0.85, () => emailFor(first, last, domainOf(company), index)),
        Phone: maybe(r, 0.9, () => messyPhone(r, index)),
        MobilePhone: maybe(r, 0.6, () => messyPhone(r, index)),
        HomePhone: maybe(r, 0.15, () => messyPhone(r, index)),
        OtherPhone: maybe(r, 0.05, () => messyPhone(r, index)),
        Department: null,
        Description: null,
      });
    }
    case 'Lead': {
      const company = pick(r, COMPANIES);
      const firstName = maybe(r, 0.9, () => first);
      return Object.assign(base, {
        OwnerId: owner,
        FirstName: firstName,
        LastName: last,
        Name: personName(firstName, last),
        Company: company,
        Title: pick(r, TITLES),
        Email: maybe(r, 0.8, () => emailFor(first, last, domainOf(company), index)),
        Phone: maybe(r, 0.85, () => messyPhone(r, index)),
        MobilePhone: maybe(r, 0.5, () => messyPhone(r, index)),
        Status: LEAD_STATUSES[0],
        IsConverted: false,
      });
    }
    case 'Account': {
      if (index < ctx.seedCounts.businessAccounts) {
        const record = Object.assign(base, {
          OwnerId: owner,
          Name: `${COMPANIES[index % COMPANIES.length]}${index >= COMPANIES.length ? ` ${Math.floor(index / COMPANIES.length) + 1}` : ''}`,
          Phone: maybe(r, 0.7, () => messyPhone(r, index)),
          Website: null,
          Industry: null,
        });
        if (ctx.personAccounts) Object.assign(record, personBlank(), { IsPersonAccount: false });
        return record;
      }
      return Object.assign(base, {
        OwnerId: owner,
        Name: `${first} ${last}`,
        Phone: maybe(r, 0.5, () => messyPhone(r, index)),
        Website: null,
        Industry: null,
        IsPersonAccount: true,
        FirstName: first,
        LastName: last,
        PersonTitle: null,
        PersonEmail: maybe(r, 0.8, () => emailFor(first, last, 'mail.example.org', index)),
        PersonMobilePhone: maybe(r, 0.8, () => messyPhone(r, index)),
        PersonHomePhone: maybe(r, 0.3, () => messyPhone(r, index)),
        PersonOtherPhone: null,
        PersonContactId: null,
      });
    }
    case 'Task':
      return Object.assign(base, {
        OwnerId: owner,
        Subject: 'Call',
        WhoId: null,
        Status: 'Completed',
        Description: null,
        CallDurationInSeconds: null,
        CallType: null,
      });
    case 'Switchboard_Sync__c':
      return Object.assign(base, defaultSync(owner));
    case 'Switchboard_Default_Mapping__mdt':
      return defaultMappingRecord(id, index);
    case 'Switchboard_Field_Mapping__c':
    case 'Switchboard_Sync_Error__c':
      throw new Error(`${sobject}: a new org has none`);
  }
}

/**
 * The sync a new org starts with, so the emulated triggers publish as an installed, configured package
 * does: active, Contacts, Leads and Person Accounts on, no scope and no mapping rows (the shipped
 * default mappings apply). Every other field has its metadata default.
 */
function defaultSync(owner: string): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const def of SCHEMA.Switchboard_Sync__c.fields) if (!def.system) values[def.name] = defaultValueOf(def);
  return Object.assign(values, {
    OwnerId: owner,
    Name: 'Default sync',
    Status__c: 'Active',
    Sync_Contacts__c: true,
    Sync_Leads__c: true,
    Sync_Person_Accounts__c: true,
  });
}

/** The package's shipped default mappings (custom metadata records), read once from force-app. */
const DEFAULT_MAPPING_RECORDS = loadCustomMetadataRecords(DEFAULT_MAPPING_TYPE);

export function defaultMappingRecordCount(): number {
  return DEFAULT_MAPPING_RECORDS.length;
}

function defaultMappingRecord(id: string, index: number): SfRecord {
  const record = DEFAULT_MAPPING_RECORDS[index];
  return {
    ...record.values,
    Id: id,
    DeveloperName: record.DeveloperName,
    MasterLabel: record.MasterLabel,
    Label: record.MasterLabel,
    QualifiedApiName: record.DeveloperName,
    NamespacePrefix: null,
  };
}

function personBlank(): Record<string, null> {
  return {
    FirstName: null,
    LastName: null,
    PersonTitle: null,
    PersonEmail: null,
    PersonMobilePhone: null,
    PersonHomePhone: null,
    PersonOtherPhone: null,
    PersonContactId: null,
  };
}

function userRecord(base: SfRecord, index: number, first: string, last: string, r: () => number): SfRecord {
  if (index === 0) {
    return Object.assign(base, {
      Username: 'switchboard.integration@example.com',
      FirstName: 'Switchboard',
      LastName: 'Integration',
      Name: 'Switchboard Integration',
      Email: 'switchboard.integration@example.com',
      Phone: null,
      MobilePhone: null,
      Extension: null,
      Title: 'Integration user',
      IsActive: true,
    });
  }
  if (index === 1) {
    return Object.assign(base, {
      Username: 'admin@example.com',
      FirstName: 'Avery',
      LastName: 'Admin',
      Name: 'Avery Admin',
      Email: 'admin@example.com',
      Phone: '+1 415 555 0100',
      MobilePhone: null,
      Extension: '100',
      Title: 'Salesforce Administrator',
      IsActive: true,
    });
  }
  return Object.assign(base, {
    Username: `${first.toLowerCase()}.${index}@example.com`.normalize('NFD').replace(/[^a-z0-9.@]/g, ''),
    FirstName: first,
    LastName: last,
    Name: `${first} ${last}`,
    Email: `user${index}@example.com`,
    Phone: `+1 415 555 ${String(100 + index).padStart(4, '0')}`,
    MobilePhone: maybe(r, 0.5, () => messyPhone(r, index)),
    Extension: String(100 + index),
    Title: 'Account Executive',
    IsActive: true,
  });
}
