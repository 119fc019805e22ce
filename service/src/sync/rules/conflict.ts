import type { ContactFields, DirectoryPhone, PhoneKind } from '../../directory/model';
import { sortPhones, type TelephonyField } from './fieldMap';

/**
 * The conflict rules, field by field, on flat directory values (`firstName`, `phone.work`, …): pure, so
 * every rule is unit-tested apart from the database. A phone field holds the first number of its kind.
 */
export type FieldValue = string | DirectoryPhone | null;
export type FlatFields = Partial<Record<TelephonyField, FieldValue>>;
export type Side = 'salesforce' | 'telephony';
type ScalarField = Exclude<TelephonyField, `phone.${PhoneKind}`>;

export interface FieldConflict {
  field: TelephonyField;
  winner: Side;
  salesforce: FieldValue;
  telephony: FieldValue;
}

export interface Resolution {
  /** Values the directory takes. */
  toDirectory: FlatFields;
  /** Fields whose directory value Salesforce should get (written back when the direction allows). */
  toSalesforce: TelephonyField[];
  /** Fields where Salesforce's value now stands: queued write-backs must no longer overwrite them. */
  settledBySalesforce: TelephonyField[];
  /** Fields both sides disagreed on, decided by the winner (the loser's value is audited). */
  conflicts: FieldConflict[];
}

const isPhoneField = (field: TelephonyField): field is `phone.${PhoneKind}` => field.startsWith('phone.');

export function flatten(contact: ContactFields, telephonyFields: Iterable<TelephonyField>): FlatFields {
  const out: FlatFields = {};
  for (const field of telephonyFields) {
    if (isPhoneField(field)) {
      const kind = field.slice(6) as PhoneKind;
      out[field] = (contact.phones ?? []).find((p) => p.kind === kind) ?? null;
    } else {
      out[field] = contact[field] ?? null;
    }
  }
  return out;
}

/** The same number (E.164 and extension) however typed; emails ignore case; other text compares exactly. */
export function sameValue(field: TelephonyField, a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === null || y === null) return x === y;
  if (typeof x === 'string' || typeof y === 'string') {
    return field === 'email' ? String(x).trim().toLowerCase() === String(y).trim().toLowerCase() : x === y;
  }
  if (x.e164 !== null && y.e164 !== null) return x.e164 === y.e164 && (x.extension ?? null) === (y.extension ?? null);
  return x.raw.trim() === y.raw.trim();
}

/** What the audit log shows of a value: phones as typed. */
export function displayValue(value: FieldValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : value.raw;
}

function emptyResolution(): Resolution {
  return { toDirectory: {}, toSalesforce: [], settledBySalesforce: [], conflicts: [] };
}

function decide(
  resolution: Resolution,
  field: TelephonyField,
  directory: FieldValue,
  salesforce: FieldValue,
  winner: Side,
): void {
  resolution.conflicts.push({ field, winner, salesforce, telephony: directory });
  if (winner === 'salesforce') takeSalesforce(resolution, field, salesforce);
  else resolution.toSalesforce.push(field);
}

function takeSalesforce(resolution: Resolution, field: TelephonyField, salesforce: FieldValue): void {
  resolution.toDirectory[field] = salesforce;
  resolution.settledBySalesforce.push(field);
}

/**
 * Conflict kind (a): a record joins a directory contact it was not linked to (matched by the keys). The
 * two never shared a history, so an empty value is no opinion: Salesforce fills the directory's empty
 * fields, the directory's values fill Salesforce's empty ones only when telephony wins (with Salesforce
 * winning nothing is written to Salesforce on a join), and fields holding different values go to the
 * winner.
 */
export function resolveJoin(directory: FlatFields, salesforce: FlatFields, winner: Side): Resolution {
  const resolution = emptyResolution();
  for (const field of Object.keys(salesforce) as TelephonyField[]) {
    const telephony = directory[field] ?? null;
    const sf = salesforce[field] ?? null;
    if (sameValue(field, telephony, sf)) continue;
    if (telephony === null) takeSalesforce(resolution, field, sf);
    else if (sf === null) {
      if (winner === 'telephony') resolution.toSalesforce.push(field);
    } else decide(resolution, field, telephony, sf, winner);
  }
  return resolution;
}

/**
 * Conflict kind (a) when a record takes the org's primary place on a contact from another record of the
 * same org (it outranks it, or the previous primary went). What the directory holds because the previous
 * primary said so is that record's, not the directory's: on a shared office number it is another
 * person's. So a field still holding the previous primary's value takes the new primary's, blank
 * included — the contact never keeps one person's email under another's name. A field the directory
 * changed since (a phone-side edit, another org's value) joins by resolveJoin.
 */
export function resolveTakeOver(
  directory: FlatFields,
  salesforce: FlatFields,
  previous: FlatFields,
  winner: Side,
): Resolution {
  const ours: FlatFields = {};
  const joined: FlatFields = {};
  for (const field of Object.keys(salesforce) as TelephonyField[]) {
    const fromPrevious = field in previous && sameValue(field, directory[field], previous[field]);
    if (fromPrevious) ours[field] = salesforce[field] ?? null;
    else joined[field] = salesforce[field] ?? null;
  }
  const resolution = resolveJoin(directory, joined, winner);
  for (const field of Object.keys(ours) as TelephonyField[]) {
    if (!sameValue(field, directory[field], ours[field])) takeSalesforce(resolution, field, ours[field] ?? null);
  }
  return resolution;
}

export interface ChangeInput {
  directory: FlatFields;
  salesforce: FlatFields;
  /**
   * What the directory held of each field Salesforce changed, as of the last sync (the link's Salesforce
   * values as directory values); a field missing here has no known history and Salesforce's value applies.
   */
  base: FlatFields;
  /** Fields whose Salesforce value differs from the one last seen. */
  sfChanged: TelephonyField[];
  winner: Side;
}

/**
 * Conflict kind (b): a linked record changed in Salesforce while the contact may have changed in the
 * directory since the last sync. Per field: changed in Salesforce only → Salesforce's value; changed in
 * the directory only → the directory keeps it (its write-back is already queued); changed on both sides
 * to the same value → nothing to do; to different values → the winner.
 */
export function resolveChange(input: ChangeInput): Resolution {
  const resolution = emptyResolution();
  for (const field of input.sfChanged) {
    const telephony = input.directory[field] ?? null;
    const sf = input.salesforce[field] ?? null;
    if (!(field in input.base) || sameValue(field, telephony, input.base[field])) {
      if (!sameValue(field, telephony, sf)) takeSalesforce(resolution, field, sf);
    } else if (!sameValue(field, telephony, sf)) {
      decide(resolution, field, telephony, sf, input.winner);
    }
  }
  return resolution;
}

/**
 * Directory fields setting the flat values on a contact with these phones: a phone field replaces the
 * numbers of its kind, the contact's other numbers stay.
 */
export function toContactFields(currentPhones: DirectoryPhone[], flat: FlatFields): ContactFields {
  const out: ContactFields = {};
  let phones: DirectoryPhone[] | undefined;
  for (const field of Object.keys(flat) as TelephonyField[]) {
    const value = flat[field] ?? null;
    if (isPhoneField(field)) {
      const kind = field.slice(6) as PhoneKind;
      phones = (phones ?? currentPhones).filter((p) => p.kind !== kind);
      if (value !== null && typeof value !== 'string') phones.push(value);
    } else {
      out[field as ScalarField] = typeof value === 'string' ? value : null;
    }
  }
  if (phones) out.phones = sortPhones(phones);
  return out;
}

/** The audit's before (the loser's value) and after (the winner's value), field by field. */
export function conflictAudit(conflicts: FieldConflict[]): {
  before: Record<string, string | null>;
  after: Record<string, string | null>;
} {
  const before: Record<string, string | null> = {};
  const after: Record<string, string | null> = {};
  for (const c of conflicts) {
    const [won, lost] = c.winner === 'salesforce' ? [c.salesforce, c.telephony] : [c.telephony, c.salesforce];
    before[c.field] = displayValue(lost);
    after[c.field] = displayValue(won);
  }
  return { before, after };
}
