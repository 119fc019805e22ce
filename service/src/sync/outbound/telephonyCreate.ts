import { lockMatchKeys } from '../../store/state/matchKeyLocks';
import { callerNameByNumbers } from '../../directory/callerIdLookup';
import { addedMatchKeys } from '../rules/matching';
import { queueRecordUpdate } from './queueUpdate';
import type { Database, Queryable } from '../../store/types';
import type { ContactFields, DirectoryContact } from '../../directory/model';
import { getContact, insertContact, lockContactAgainstDelete } from '../../directory/contacts';
import { activeCreateFor, cancelPendingCreates, enqueueOutbox, refreshPendingCreate } from '../../store/outbox/outbox';
import { clearRecordHealth, getRecordHealth, setRecordHealth } from '../../store/state/recordHealth';
import { recordAudit } from '../../store/audit';
import type { SfValue, SyncedObject } from '../../model/records';
import { directoryToSf, mappingsFor } from '../rules/fieldMap';
import { createLink, findLinksByContact } from '../../store/state/links';
import { stableHash } from '../rules/hash';
import { contactView } from '../rules/contactView';
import type { OrgSyncSettings, SyncPolicy } from '../rules/context';
import { checkValidity, type ExclusionCode } from '../rules/validity';
import { writeBackPayload } from './writeBackPayload';

/** Why a directory contact is not created in an org: a code for machines and a sentence for people. */
export interface CreateExclusion {
  code: ExclusionCode;
  reason: string;
}

type CreatableContact = Pick<DirectoryContact, 'firstName' | 'lastName' | 'company' | 'title' | 'email' | 'phones'>;

/** The org takes telephony-side changes: its sync is configured and its direction lets them through. */
export function writesToSalesforce(settings: OrgSyncSettings): boolean {
  return settings.syncId !== null && settings.policy.direction !== 'toTelephony';
}

/**
 * Whether a telephony-born contact can become a record of `sobject`: Salesforce requires a last name,
 * and the sync's validity rules apply as they do to records coming the other way (a record the sync would
 * exclude on its way back is not worth creating). Only phones mapped to the object count: a Lead does
 * not carry a home number.
 */
export function createExclusion(
  policy: SyncPolicy,
  settings: Pick<OrgSyncSettings, 'mappings' | 'defaultCountry'>,
  sobject: SyncedObject,
  contact: CreatableContact,
): CreateExclusion | null {
  if (!contact.lastName?.trim()) {
    return {
      code: 'EXCLUDED_NO_LAST_NAME',
      reason: `Salesforce requires a last name to create a ${sobject}; this contact has none`,
    };
  }
  const kinds = new Set(
    mappingsFor(settings.mappings, sobject)
      .filter((m) => m.direction !== 'toTelephony' && m.telephonyField.startsWith('phone.'))
      .map((m) => m.telephonyField.slice('phone.'.length)),
  );
  const verdict = checkValidity({
    rules: policy.validity,
    mappings: settings.mappings,
    sobject,
    defaultCountry: settings.defaultCountry,
    values: directoryToSf(settings.mappings, sobject, contact),
    fields: { ...contact, phones: contact.phones.filter((p) => kinds.has(p.kind)) },
  });
  return verdict.ok ? null : { code: verdict.code, reason: `the sync's validity rules: ${verdict.reason}` };
}

/** The field values a new record is created with: the mapped values the contact has (empty ones left out). */
export function createValues(
  settings: OrgSyncSettings,
  sobject: SyncedObject,
  contact: CreatableContact,
): Record<string, SfValue> {
  return writeBackPayload(sobject, directoryToSf(settings.mappings, sobject, contact), { operation: 'create' });
}

export type CreateVerdict = 'queued' | 'excluded' | 'skipped';

/**
 * Queues the Salesforce create of a telephony-born contact in one org, or records why it is excluded.
 * Runs inside the caller's transaction (the API's insert, the initial sync's push of telephony-only
 * contacts), so the contact and its create commit together.
 */
export async function queueCreate(
  tx: Queryable,
  settings: OrgSyncSettings,
  contact: DirectoryContact,
): Promise<CreateVerdict> {
  if (!writesToSalesforce(settings)) return 'skipped';
  const sobject = settings.policy.defaultObject;
  const exclusion = createExclusion(settings.policy, settings, sobject, contact);
  if (exclusion) {
    await exclude(tx, settings, contact, sobject, exclusion);
    return 'excluded';
  }
  const payload = createValues(settings, sobject, contact);
  await enqueueOutbox(tx, {
    orgId: settings.orgId,
    contactId: contact.id,
    linkId: null,
    sobject,
    recordId: null,
    operation: 'create',
    payload,
    payloadHash: stableHash(payload),
  });
  await clearRecordHealth(tx, settings.orgId, 'telephony', contact.id);
  return 'queued';
}

async function exclude(
  tx: Queryable,
  settings: OrgSyncSettings,
  contact: DirectoryContact,
  sobject: SyncedObject,
  exclusion: CreateExclusion,
): Promise<void> {
  const known = await getRecordHealth(tx, settings.orgId, 'telephony', contact.id);
  await setRecordHealth(tx, {
    orgId: settings.orgId,
    side: 'telephony',
    key: contact.id,
    contactId: contact.id,
    sobject,
    state: 'excluded',
    code: exclusion.code,
    reason: exclusion.reason,
  });
  if (known?.state === 'excluded' && known.code === exclusion.code) return;
  await recordAudit(tx, {
    orgId: settings.orgId,
    contactId: contact.id,
    recordId: null,
    origin: 'telephony',
    action: 'excluded',
    rule: `not created in Salesforce: ${exclusion.reason}`,
    before: null,
    after: contactView(contact),
  });
}

export interface TelephonyCreateResult {
  contact: DirectoryContact;
  /** Orgs where a Salesforce create is queued. */
  queuedIn: string[];
  /** Orgs where the contact is excluded, and why. */
  excludedIn: Array<{ orgId: string } & CreateExclusion>;
}

/**
 * What a caller records with a new contact in the same transaction (a CardDAV client's name for it); throwing
 * undoes the contact and everything queued for it.
 */
export type WithNewContact = (tx: Queryable, contact: DirectoryContact) => Promise<void>;

export interface TelephonyCreateOptions {
  withContact?: WithNewContact;
  /**
   * Create nothing when a contact has this E.164 number by the time the new contact's keys are locked (an
   * unknown caller calling twice at once, or again minutes later, makes one contact): the result is null.
   */
  unlessNumberKnown?: string;
}

/**
 * A contact created on the telephony side: the directory row and one create per org, in one transaction.
 * Null only when `unlessNumberKnown` found the number taken.
 */
export async function createContactFromTelephony(
  db: Database,
  orgs: OrgSyncSettings[],
  fields: ContactFields,
  options: TelephonyCreateOptions = {},
): Promise<TelephonyCreateResult | null> {
  return db.transaction(async (tx) => {
    await lockMatchKeys(tx, addedMatchKeys({}, fields));
    if (options.unlessNumberKnown && (await callerNameByNumbers(tx, [options.unlessNumberKnown], null))) return null;
    const contact = await insertContact(tx, fields, 'telephony');
    await options.withContact?.(tx, contact);
    const result: TelephonyCreateResult = { contact, queuedIn: [], excludedIn: [] };
    for (const settings of orgs) {
      const verdict = await queueCreate(tx, settings, contact);
      if (verdict === 'queued') result.queuedIn.push(settings.orgId);
      if (verdict === 'excluded') {
        const exclusion = createExclusion(settings.policy, settings, settings.policy.defaultObject, contact);
        if (exclusion) result.excludedIn.push({ orgId: settings.orgId, ...exclusion });
      }
    }
    await recordAudit(tx, {
      orgId: null,
      contactId: contact.id,
      recordId: null,
      origin: 'telephony',
      action: 'create',
      rule: `created in the directory; ${result.queuedIn.length} Salesforce create(s) queued`,
      before: null,
      after: contactView(contact),
    });
    return result;
  });
}

/**
 * After a telephony edit, looks again at the contact's creates: an excluded contact that now qualifies is
 * queued, a waiting create takes the new values, one that no longer qualifies is withdrawn, and a parked
 * (failed) create is tried again with the edited values. Only orgs where a create was already decided on
 * are considered: a contact never meant for an org (say, unlinked after a Salesforce delete) is not pushed
 * into it by an edit. Returns the orgs with something new to send.
 */
export async function reevaluateCreates(db: Database, orgs: OrgSyncSettings[], contactId: string): Promise<string[]> {
  return db.transaction(async (tx) => {
    const contact = await getContact(tx, contactId);
    if (!contact) return [];
    const linkedOrgs = new Set((await findLinksByContact(tx, contactId)).map((l) => l.orgId));
    const touched: string[] = [];
    for (const settings of orgs) {
      if (linkedOrgs.has(settings.orgId) || !writesToSalesforce(settings)) continue;
      const active = await activeCreateFor(tx, settings.orgId, contactId);
      const health = await getRecordHealth(tx, settings.orgId, 'telephony', contactId);
      // A create being sent settles on its own: the worker sends whatever the edit changed afterwards.
      if ((!active && !health) || active?.state === 'processing') continue;
      const sobject = active ? (active.sobject as SyncedObject) : settings.policy.defaultObject;
      const exclusion = createExclusion(settings.policy, settings, sobject, contact);
      if (exclusion) {
        if (active) await cancelPendingCreates(tx, contactId, settings.orgId);
        await exclude(tx, settings, contact, sobject, exclusion);
      } else if (active) {
        const payload = createValues(settings, sobject, contact);
        if (await refreshPendingCreate(tx, active.id, payload, stableHash(payload))) touched.push(settings.orgId);
      } else if ((await queueCreate(tx, settings, contact)) === 'queued') {
        touched.push(settings.orgId);
      }
    }
    return touched;
  });
}

/** What the worker knows about a create that Salesforce accepted. */
export interface CreatedRecord {
  orgId: string;
  contactId: string;
  sobject: SyncedObject;
  recordId: string;
  /** The values the record was created with. */
  sent: Record<string, SfValue>;
}

export type CreatedOutcome = 'linked' | 'orphan';

/**
 * Links a record Salesforce just created to its contact (in the worker's settle transaction), with the
 * values it now holds, so a later reconcile or a stray echo sees it as in sync. An edit that arrived
 * while the create was on its way is queued as an update. A contact deleted meanwhile leaves an orphan
 * record: deleted in turn when the sync propagates deletes to Salesforce, otherwise kept and audited.
 */
export async function linkCreatedRecord(
  tx: Queryable,
  settings: OrgSyncSettings,
  created: CreatedRecord,
): Promise<CreatedOutcome> {
  // Locked: the contact cannot be deleted between this read and the link insert.
  const contact = (await lockContactAgainstDelete(tx, created.contactId))
    ? await getContact(tx, created.contactId)
    : null;
  if (!contact) {
    const propagate = writesToSalesforce(settings) && settings.policy.propagateDeletes.toSalesforce;
    if (propagate) {
      await enqueueOutbox(tx, {
        orgId: created.orgId,
        contactId: created.contactId,
        linkId: null,
        sobject: created.sobject,
        recordId: created.recordId,
        operation: 'delete',
        payload: {},
        payloadHash: stableHash({}),
      });
    }
    await recordAudit(tx, {
      orgId: created.orgId,
      contactId: created.contactId,
      recordId: created.recordId,
      origin: 'telephony',
      action: 'created-after-delete',
      rule: `the contact was deleted while its ${created.sobject} was being created; ${propagate ? 'the record is deleted again' : 'the record is kept (deletes are not propagated to Salesforce)'}`,
      before: null,
      after: created.sent,
    });
    return 'orphan';
  }
  const mapped = directoryToSf(settings.mappings, created.sobject, contact);
  // Every mapped field: the ones not sent are empty in the new record.
  const sfValues: Record<string, SfValue> = {
    ...Object.fromEntries(Object.keys(mapped).map((f) => [f, null])),
    ...created.sent,
  };
  const link = await createLink(tx, {
    orgId: created.orgId,
    contactId: contact.id,
    sobject: created.sobject,
    recordId: created.recordId,
    sfValues,
    sfHash: stableHash(sfValues),
    telephonyHash: stableHash(contactView(contact)),
  });
  const later = writeBackPayload(created.sobject, mapped, { operation: 'update', known: sfValues });
  if (Object.keys(later).length > 0) {
    await queueRecordUpdate(
      tx,
      { orgId: created.orgId, linkId: link.id, sobject: created.sobject, recordId: created.recordId },
      contact.id,
      later,
    );
  }
  await recordAudit(tx, {
    orgId: created.orgId,
    contactId: contact.id,
    recordId: created.recordId,
    origin: 'telephony',
    action: 'created-in-salesforce',
    rule: `${created.sobject} created in Salesforce and linked${Object.keys(later).length > 0 ? `; edits made meanwhile queued (${Object.keys(later).join(', ')})` : ''}`,
    before: null,
    after: created.sent,
  });
  return 'linked';
}
