import type { FieldValue } from './store';
import {
  loadPackageObjects,
  loadStandardObjectFields,
  PACKAGE_KEY_PREFIXES,
  PACKAGE_SOBJECT_NAMES,
  type PackageObjectDef,
} from './packageObjects';

/**
 * The sObjects the emulator knows, with the field properties that describe, SOQL and DML need.
 * Shapes follow the REST describe result (name, type, length, createable, updateable, nillable,
 * referenceTo, relationshipName); only what Switchboard touches is modelled. The package's own
 * objects are read from its metadata (packageObjects.ts).
 */
export type FieldType =
  | 'id'
  | 'string'
  | 'email'
  | 'phone'
  | 'reference'
  | 'datetime'
  | 'date'
  | 'boolean'
  | 'picklist'
  | 'textarea'
  | 'int'
  | 'double';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length?: number;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  /** Set by the platform (Id, audit fields); never accepted from a client. */
  system?: boolean;
  referenceTo?: string[];
  relationshipName?: string;
  picklistValues?: string[];
  /** What the platform fills in on create when the field is not given (a picklist's default value). */
  defaultValue?: string;
  /** Required on create (REQUIRED_FIELD_MISSING when absent). */
  requiredOnCreate?: boolean;
  /** Only present in orgs with Person Accounts enabled. */
  personAccountOnly?: boolean;
  /** A restricted picklist accepts only its values. */
  restrictedPicklist?: boolean;
  /** A lookup's name on the parent's side (`Field_Mappings__r`). */
  childRelationshipName?: string;
  /** An AutoNumber Name: the store numbers new records with this format (`FM-{0000}`). */
  autoNumberFormat?: string;
  /** Usable as the key of an upsert (`PATCH /sobjects/X/Field__c/value`). */
  externalId?: boolean;
  /** No two live records may hold the same value (DUPLICATE_VALUE otherwise). */
  unique?: boolean;
  /** A unique field that tells "abc" from "ABC"; unique text is case-insensitive otherwise. */
  caseSensitive?: boolean;
}

export interface SObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDef[];
}

export const STANDARD_SOBJECT_NAMES = ['Contact', 'Lead', 'Account', 'User', 'Task'] as const;
export const SOBJECT_NAMES = [...STANDARD_SOBJECT_NAMES, ...PACKAGE_SOBJECT_NAMES] as const;
export type SObjectName = (typeof SOBJECT_NAMES)[number];

const f = (name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  label,
  type,
  createable: true,
  updateable: true,
  nillable: true,
  ...extra,
});

const sys = (name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef =>
  f(name, label, type, { createable: false, updateable: false, system: true, ...extra });

const auditFields = (): FieldDef[] => [
  sys('Id', 'Record ID', 'id', { nillable: false, length: 18 }),
  sys('IsDeleted', 'Deleted', 'boolean', { nillable: false }),
  sys('CreatedDate', 'Created Date', 'datetime', { nillable: false }),
  sys('CreatedById', 'Created By ID', 'reference', {
    referenceTo: ['User'],
    relationshipName: 'CreatedBy',
    length: 18,
  }),
  sys('LastModifiedDate', 'Last Modified Date', 'datetime', { nillable: false }),
  sys('LastModifiedById', 'Last Modified By ID', 'reference', {
    referenceTo: ['User'],
    relationshipName: 'LastModifiedBy',
    length: 18,
  }),
  sys('SystemModstamp', 'System Modstamp', 'datetime', { nillable: false }),
];

const ownerField = (): FieldDef =>
  f('OwnerId', 'Owner ID', 'reference', {
    referenceTo: ['User'],
    relationshipName: 'Owner',
    length: 18,
    nillable: false,
  });

const phone = (name: string, label: string, extra: Partial<FieldDef> = {}): FieldDef =>
  f(name, label, 'phone', { length: 40, ...extra });
const text = (name: string, label: string, length: number, extra: Partial<FieldDef> = {}): FieldDef =>
  f(name, label, 'string', { length, ...extra });

/** The read-only compound `Name` of Contact, Lead and User: FirstName and LastName, derived by the store. */
const fullName = (): FieldDef => text('Name', 'Full Name', 121, { createable: false, updateable: false });

/** Lead Status values; the first is the org's default (what a new Lead gets when none is given). */
export const LEAD_STATUSES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Closed - Converted',
  'Closed - Not Converted',
] as const;

/** A package object with the platform's standard fields (custom metadata records have none of those but Id). */
function packageObject(def: PackageObjectDef): SObjectDef {
  const standard = def.customMetadata ? [sys('Id', 'Record ID', 'id', { nillable: false, length: 18 })] : auditFields();
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural,
    keyPrefix: PACKAGE_KEY_PREFIXES[def.name],
    fields: [...standard, ...(def.hasOwner ? [ownerField()] : []), ...def.fields],
  };
}

const PACKAGE_OBJECTS = loadPackageObjects();
/** The package's custom fields on Contact and Lead (the record status fields the service writes). */
const CONTACT_PACKAGE_FIELDS = loadStandardObjectFields('Contact');
const LEAD_PACKAGE_FIELDS = loadStandardObjectFields('Lead');

/**
 * A person account carries every Contact custom field under the `__pc` suffix, and only where the org
 * has Person Accounts (as the platform exposes them on Account).
 */
const personAccountFields = (contactFields: FieldDef[]): FieldDef[] =>
  contactFields.map((def) => ({ ...def, name: def.name.replace(/__c$/, '__pc'), personAccountOnly: true }));

export const SCHEMA: Record<SObjectName, SObjectDef> = {
  Contact: {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    fields: [
      ...auditFields(),
      ownerField(),
      f('AccountId', 'Account ID', 'reference', { referenceTo: ['Account'], relationshipName: 'Account', length: 18 }),
      text('FirstName', 'First Name', 40),
      text('LastName', 'Last Name', 80, { nillable: false, requiredOnCreate: true }),
      fullName(),
      text('Title', 'Title', 128),
      f('Email', 'Email', 'email', { length: 80 }),
      phone('Phone', 'Business Phone'),
      phone('MobilePhone', 'Mobile Phone'),
      phone('HomePhone', 'Home Phone'),
      phone('OtherPhone', 'Other Phone'),
      text('Department', 'Department', 80),
      f('Description', 'Contact Description', 'textarea', { length: 32000 }),
      ...CONTACT_PACKAGE_FIELDS,
    ],
  },
  Lead: {
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: '00Q',
    fields: [
      ...auditFields(),
      ownerField(),
      text('FirstName', 'First Name', 40),
      text('LastName', 'Last Name', 80, { nillable: false, requiredOnCreate: true }),
      fullName(),
      text('Company', 'Company', 255, { nillable: false, requiredOnCreate: true }),
      text('Title', 'Title', 128),
      f('Email', 'Email', 'email', { length: 80 }),
      phone('Phone', 'Phone'),
      phone('MobilePhone', 'Mobile Phone'),
      f('Status', 'Status', 'picklist', {
        length: 255,
        picklistValues: [...LEAD_STATUSES],
        defaultValue: LEAD_STATUSES[0],
      }),
      f('IsConverted', 'Converted', 'boolean', { createable: false, updateable: false, nillable: false }),
      ...LEAD_PACKAGE_FIELDS,
    ],
  },
  Account: {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    fields: [
      ...auditFields(),
      ownerField(),
      text('Name', 'Account Name', 255, { nillable: false, requiredOnCreate: true }),
      phone('Phone', 'Account Phone'),
      text('Website', 'Website', 255),
      text('Industry', 'Industry', 255),
      f('IsPersonAccount', 'Is Person Account', 'boolean', {
        createable: false,
        updateable: false,
        nillable: false,
        personAccountOnly: true,
      }),
      text('FirstName', 'First Name', 40, { personAccountOnly: true }),
      text('LastName', 'Last Name', 80, { personAccountOnly: true }),
      text('PersonTitle', 'Title', 80, { personAccountOnly: true }),
      f('PersonEmail', 'Email', 'email', { length: 80, personAccountOnly: true }),
      phone('PersonMobilePhone', 'Mobile', { personAccountOnly: true }),
      phone('PersonHomePhone', 'Home Phone', { personAccountOnly: true }),
      phone('PersonOtherPhone', 'Other Phone', { personAccountOnly: true }),
      f('PersonContactId', 'Person Contact ID', 'reference', {
        createable: false,
        updateable: false,
        referenceTo: ['Contact'],
        relationshipName: 'PersonContact',
        length: 18,
        personAccountOnly: true,
      }),
      ...personAccountFields(CONTACT_PACKAGE_FIELDS),
    ],
  },
  User: {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    fields: [
      ...auditFields(),
      text('Username', 'Username', 80, { nillable: false, requiredOnCreate: true }),
      text('FirstName', 'First Name', 40),
      text('LastName', 'Last Name', 80, { nillable: false, requiredOnCreate: true }),
      fullName(),
      f('Email', 'Email', 'email', { length: 128, nillable: false, requiredOnCreate: true }),
      phone('Phone', 'Phone'),
      phone('MobilePhone', 'Mobile'),
      text('Extension', 'Extension', 40),
      text('EmployeeNumber', 'Employee Number', 20),
      text('Title', 'Title', 80),
      f('IsActive', 'Active', 'boolean', { nillable: false }),
      // Set by the platform from the user's licence (Standard for internal users), never by DML.
      f('UserType', 'User Type', 'picklist', {
        length: 40,
        picklistValues: [
          'Standard',
          'PowerPartner',
          'CspLitePortal',
          'CustomerSuccess',
          'PowerCustomerSuccess',
          'CsnOnly',
          'Guest',
        ],
        defaultValue: 'Standard',
        createable: false,
        updateable: false,
        nillable: false,
      }),
    ],
  },
  Task: {
    name: 'Task',
    label: 'Task',
    labelPlural: 'Tasks',
    keyPrefix: '00T',
    fields: [
      ...auditFields(),
      ownerField(),
      text('Subject', 'Subject', 255),
      f('WhoId', 'Name ID', 'reference', { referenceTo: ['Contact', 'Lead'], relationshipName: 'Who', length: 18 }),
      f('WhatId', 'Related To ID', 'reference', { referenceTo: ['Account'], relationshipName: 'What', length: 18 }),
      // Status and Priority are required picklists with defaults, as in every org.
      f('Status', 'Status', 'picklist', {
        length: 40,
        nillable: false,
        picklistValues: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
        defaultValue: 'Not Started',
      }),
      f('Priority', 'Priority', 'picklist', {
        length: 40,
        nillable: false,
        picklistValues: ['High', 'Normal', 'Low'],
        defaultValue: 'Normal',
      }),
      // TaskSubtype is set on create only; CallType is a restricted picklist (a Task of another call type fails).
      f('TaskSubtype', 'Task Subtype', 'picklist', {
        length: 40,
        updateable: false,
        restrictedPicklist: true,
        picklistValues: ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'],
      }),
      f('Type', 'Type', 'picklist', { length: 40, picklistValues: ['Call', 'Email', 'Meeting', 'Other'] }),
      f('ActivityDate', 'Due Date Only', 'date'),
      f('Description', 'Comments', 'textarea', { length: 32000 }),
      f('CallDurationInSeconds', 'Call Duration', 'int'),
      f('CallType', 'Call Type', 'picklist', {
        length: 40,
        restrictedPicklist: true,
        picklistValues: ['Internal', 'Inbound', 'Outbound'],
      }),
      text('CallObject', 'Call Object Identifier', 255),
      text('CallDisposition', 'Call Result', 255),
    ],
  },
  ...(Object.fromEntries(PACKAGE_SOBJECT_NAMES.map((name) => [name, packageObject(PACKAGE_OBJECTS[name])])) as Record<
    (typeof PACKAGE_SOBJECT_NAMES)[number],
    SObjectDef
  >),
};

/** What a new record holds in a field it was not given: the field's default, else false or null. */
export function defaultValueOf(def: FieldDef): FieldValue {
  if (def.type === 'boolean') return def.defaultValue === 'true';
  if (def.defaultValue === undefined) return null;
  return def.type === 'double' || def.type === 'int' ? Number(def.defaultValue) : def.defaultValue;
}

/** The object's fields as the org shows them: Person Account fields only where the feature is on. */
export function fieldsOf(sobject: SObjectName, personAccounts: boolean): FieldDef[] {
  return SCHEMA[sobject].fields.filter((field) => personAccounts || !field.personAccountOnly);
}

export function isSObjectName(name: string): name is SObjectName {
  return (SOBJECT_NAMES as readonly string[]).includes(name);
}

/** Case-insensitive lookup, as the platform resolves API names. */
export function resolveSObject(name: string): SObjectName | undefined {
  const lower = name.toLowerCase();
  return SOBJECT_NAMES.find((n) => n.toLowerCase() === lower);
}

export function findField(sobject: SObjectName, name: string, personAccounts: boolean): FieldDef | undefined {
  const lower = name.toLowerCase();
  return fieldsOf(sobject, personAccounts).find((field) => field.name.toLowerCase() === lower);
}
