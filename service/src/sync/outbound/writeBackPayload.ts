import type { SfValue, SyncedObject } from '../../model/records';
import { withSalesforceRequirements } from './salesforceRequirements';

type Values = Record<string, SfValue>;

/**
 * What a payload is built against.
 * - create: the record is new, so every value it should hold goes, empty ones left out (its fields start
 *   empty).
 * - update: only what Salesforce lacks goes: fields whose value differs from `known` (the record's last
 *   known Salesforce values) and, when given, from `previous` — the mapped values of the directory side as
 *   it stood before (the contact before an edit, or Salesforce's values read back as a contact): a field
 *   that only looks different through a one-way transform (case, E.164) is no change. `only` narrows the
 *   payload to these Salesforce fields (the ones a conflict resolution lets telephony write).
 */
export type PayloadBasis =
  { operation: 'create' } | { operation: 'update'; known: Values; previous?: Values; only?: readonly string[] };

/**
 * The one builder of write-back payloads — API edits and creates, conflict resolutions, reconcile repairs,
 * edits made while a create was on its way — so every path meets Salesforce's requirements alike.
 * `mapped` is what a directory contact stands for in Salesforce (directoryToSf for `sobject`). The
 * requirements are met before anything is compared: a Lead is never sent an empty Company, and a
 * placeholder Salesforce already holds is not sent again. Pure; returns a new object.
 */
export function writeBackPayload(sobject: SyncedObject, mapped: Values, basis: PayloadBasis): Values {
  const only = basis.operation === 'update' ? basis.only : undefined;
  const desired = withSalesforceRequirements(sobject, only ? pick(mapped, only) : mapped);
  if (basis.operation === 'create') return Object.fromEntries(Object.entries(desired).filter(([, v]) => !isEmpty(v)));
  const edited = basis.previous ? changedValues(desired, withSalesforceRequirements(sobject, basis.previous)) : desired;
  return changedValues(edited, basis.known);
}

function pick(values: Values, fields: readonly string[]): Values {
  return Object.fromEntries(Object.entries(values).filter(([field]) => fields.includes(field)));
}

// Salesforce stores an empty text as null: the two never differ.
const isEmpty = (v: SfValue | undefined) => v === undefined || v === null || v === '';

function same(a: SfValue | undefined, b: SfValue | undefined): boolean {
  return isEmpty(a) ? isEmpty(b) : a === b;
}

/** The fields of `desired` whose value differs from `known` (null, '' and a missing value are the same). */
export function changedValues(desired: Values, known: Values): Values {
  const out: Values = {};
  for (const [field, value] of Object.entries(desired)) if (!same(value, known[field])) out[field] = value;
  return out;
}
