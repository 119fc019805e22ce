import { queueRecordUpdate } from '../outbound/queueUpdate';
import type { Queryable } from '../../store/types';
import type { SfChangeRecord, SfValue, SyncedObject } from '../../model/records';
import type { ContactFields, DirectoryContact } from '../../directory/model';
import { updateContact } from '../../directory/contacts';
import { createLink, updateLink, type Link, type LinkRole } from '../../store/state/links';
import { trimPendingUpdates } from '../../store/outbox/outbox';
import { lockMatchKeys } from '../../store/state/matchKeyLocks';
import { addedMatchKeys } from '../rules/matching';
import { recordAudit } from '../../store/audit';
import { directoryToSf, mappingsFor, sfToDirectory, type TelephonyField } from '../rules/fieldMap';
import { isSyncedObject } from '../../model/records';
import { stableHash } from '../rules/hash';
import { contactView } from '../rules/contactView';
import { writeBackPayload } from '../outbound/writeBackPayload';
import {
  conflictAudit,
  flatten,
  resolveJoin,
  resolveTakeOver,
  toContactFields,
  type Resolution,
} from '../rules/conflict';
import type { OrgSyncSettings } from '../rules/context';

/** One Salesforce record being applied, with what every step needs. */
export interface ApplyContext {
  tx: Queryable;
  settings: OrgSyncSettings;
  objectName: SyncedObject;
  record: SfChangeRecord;
  /** The record's mapped values (the link's last known values overlaid with the incoming ones). */
  values: Record<string, SfValue>;
  sfHash: string;
  /** `values` as directory fields. */
  fields: ContactFields;
  rule: string;
}

export interface Commit {
  contact: DirectoryContact;
  /** The record's link to refresh (optionally changing its role), or the role of the link to create. */
  link: { existing: Link; role?: LinkRole } | { create: LinkRole };
  resolution: Resolution;
  /** For the audit: which conflict kind, and how the record came to this contact. */
  kind: 'a' | 'b';
  note: string;
}

/** The directory fields each Salesforce field of the object feeds, for mappings that flow to telephony. */
export function incomingTelephonyFields(
  ctx: Pick<ApplyContext, 'settings' | 'objectName' | 'values'>,
): Map<TelephonyField, string[]> {
  const out = new Map<TelephonyField, string[]>();
  for (const m of mappingsFor(ctx.settings.mappings, ctx.objectName)) {
    if (m.direction === 'toSalesforce' || !(m.sfField in ctx.values)) continue;
    out.set(m.telephonyField, [...(out.get(m.telephonyField) ?? []), m.sfField]);
  }
  return out;
}

function sfFieldsOf(ctx: Pick<ApplyContext, 'settings' | 'objectName'>, telephonyFields: TelephonyField[]): string[] {
  return mappingsFor(ctx.settings.mappings, ctx.objectName)
    .filter((m) => telephonyFields.includes(m.telephonyField))
    .map((m) => m.sfField);
}

/**
 * Writes a decided resolution, all in the caller's transaction: the directory takes its fields (unless
 * the sync runs telephony → Salesforce only), the link records what Salesforce now holds, the
 * telephony-won values are queued to Salesforce (unless it runs Salesforce → telephony only), pending
 * write-backs of fields Salesforce settled are trimmed (and its values queued behind any already on their
 * way), and the audit log gets the change and, field by
 * field, every conflict with the loser's value.
 */
export async function commitResolution(
  ctx: ApplyContext,
  commit: Commit,
): Promise<{ after: DirectoryContact; changed: boolean; link: Link }> {
  const { tx, settings, record } = ctx;
  const { direction, conflictWinner } = settings.policy;
  const applies = direction !== 'toSalesforce';
  const toDirectory = applies ? commit.resolution.toDirectory : {};
  const changed = Object.keys(toDirectory).length > 0;
  let after = commit.contact;
  if (changed) {
    const write = toContactFields(after.phones, toDirectory);
    await lockMatchKeys(tx, addedMatchKeys(after, write));
    const updated = await updateContact(tx, after.id, write, after);
    if (!updated) throw new Error(`directory contact ${after.id} vanished while applying ${record.id}`);
    after = updated;
  }

  const linkValues = {
    sfValues: ctx.values,
    sfHash: ctx.sfHash,
    telephonyHash: stableHash(contactView(after)),
  };
  let link: Link;
  if ('create' in commit.link) {
    link = await createLink(tx, {
      orgId: settings.orgId,
      contactId: after.id,
      sobject: ctx.objectName,
      recordId: record.id,
      role: commit.link.create,
      sfModstamp: record.systemModstamp ?? undefined,
      ...linkValues,
    });
  } else {
    const { existing, role } = commit.link;
    const patch = {
      ...linkValues,
      contactId: after.id,
      role: role ?? existing.role,
      sfModstamp: record.systemModstamp ?? existing.sfModstamp,
    };
    await updateLink(tx, existing.id, patch);
    link = { ...existing, ...patch };
  }

  const target = { orgId: settings.orgId, linkId: link.id, sobject: ctx.objectName, recordId: record.id };
  let queued: string[] = [];
  if (direction !== 'toTelephony' && commit.resolution.toSalesforce.length > 0) {
    const payload = writeBackPayload(ctx.objectName, directoryToSf(settings.mappings, ctx.objectName, after), {
      operation: 'update',
      only: sfFieldsOf(ctx, commit.resolution.toSalesforce),
      known: ctx.values,
    });
    queued = Object.keys(payload);
    if (queued.length > 0) {
      await queueRecordUpdate(tx, target, after.id, payload);
    }
  }
  const followed = applies ? await settleWriteBacks(ctx, target, after.id, commit.resolution.settledBySalesforce) : [];

  const created = 'create' in commit.link;
  const roleChanged = !created && 'role' in commit.link && commit.link.role !== undefined;
  if (changed || created || roleChanged) {
    await recordAudit(tx, {
      orgId: settings.orgId,
      contactId: after.id,
      recordId: record.id,
      origin: 'salesforce',
      action: created ? 'link' : 'update',
      rule: [ctx.rule, commit.note].filter(Boolean).join('; '),
      before: contactView(commit.contact),
      after: contactView(after),
    });
  }
  const { conflicts } = commit.resolution;
  if (conflicts.length > 0) {
    const kind =
      commit.kind === 'a'
        ? 'kind a: the record matched a contact it was not linked to'
        : 'kind b: changed on both sides since the last sync';
    const fieldNames = conflicts.map((c) => `${c.field} (${sfFieldsOf(ctx, [c.field]).join(', ')})`).join(', ');
    const effects = [
      conflictWinner === 'salesforce' && !applies ? 'not applied: the sync runs telephony → Salesforce only' : '',
      conflictWinner === 'telephony' && direction === 'toTelephony'
        ? 'not written back: the sync runs Salesforce → telephony only'
        : '',
      queued.length > 0 ? `directory values queued to Salesforce (${queued.join(', ')})` : '',
      followed.length > 0
        ? `Salesforce's values queued behind a write-back already on its way (${followed.join(', ')})`
        : '',
    ].filter(Boolean);
    await recordAudit(tx, {
      orgId: settings.orgId,
      contactId: after.id,
      recordId: record.id,
      origin: 'salesforce',
      action: 'conflict',
      rule: `${ctx.rule}: conflict (${kind}); ${conflictWinner} wins ${fieldNames}${effects.length ? `; ${effects.join('; ')}` : ''}`,
      ...conflictAudit(conflicts),
    });
  }
  return { after, changed, link };
}

/**
 * Queued write-backs of the fields Salesforce settled lose them (trimPendingUpdates); a write already on its
 * way may land after this edit, so Salesforce's own value follows it (it never goes before it: one record's
 * writes leave in order) and the org ends with the winner's value. Returns the fields that follow one.
 */
export async function settleWriteBacks(
  ctx: Pick<ApplyContext, 'tx' | 'settings' | 'objectName' | 'values'>,
  target: { orgId: string; linkId: string; sobject: SyncedObject; recordId: string },
  contactId: string,
  settledBySalesforce: TelephonyField[],
): Promise<string[]> {
  const settled = sfFieldsOf(ctx, settledBySalesforce);
  const { inFlight } = await trimPendingUpdates(ctx.tx, target.orgId, target.recordId, settled, stableHash);
  if (inFlight.length > 0) {
    const winning = Object.fromEntries(inFlight.map((field) => [field, ctx.values[field] ?? null]));
    await queueRecordUpdate(ctx.tx, target, contactId, winning);
  }
  return inFlight;
}

/** Audits a directory contact created for the record being applied (a new person, or a vanished contact re-created). */
export async function auditCreated(
  ctx: ApplyContext,
  after: DirectoryContact,
): Promise<{ outcome: 'created'; contactId: string }> {
  await recordAudit(ctx.tx, {
    orgId: ctx.settings.orgId,
    contactId: after.id,
    recordId: ctx.record.id,
    origin: 'salesforce',
    action: 'create',
    rule: ctx.rule,
    before: null,
    after: contactView(after),
  });
  return { outcome: 'created', contactId: after.id };
}

/**
 * The record being applied becomes the org's primary for `contact`: the previous primary (if any) is
 * demoted in the caller's transaction, and the record's values join the contact — by conflict kind (a),
 * except that what the contact still holds of the previous primary's values gives way to the new
 * primary's (rules/conflict.ts resolveTakeOver: on a shared number they are another person's). Returns
 * the resolution for commitResolution.
 */
export async function takeOverAsPrimary(
  ctx: ApplyContext,
  contact: DirectoryContact,
  primary: Link | null | undefined,
): Promise<Resolution> {
  if (primary) await updateLink(ctx.tx, primary.id, { role: 'secondary' });
  return joinAsPrimary(ctx, contact, primary ?? null);
}

/** The resolution of `ctx`'s record joining `contact` as the org's primary after `previous` (or none). */
export function joinAsPrimary(ctx: ApplyContext, contact: DirectoryContact, previous: Link | null): Resolution {
  const telephonyFields = [...incomingTelephonyFields(ctx).keys()];
  const directory = flatten(contact, telephonyFields);
  const salesforce = flatten(ctx.fields, telephonyFields);
  const winner = ctx.settings.policy.conflictWinner;
  if (!previous?.sfValues || !isSyncedObject(previous.sobject)) return resolveJoin(directory, salesforce, winner);
  const { mappings, defaultCountry } = ctx.settings;
  const previousFields = sfToDirectory(mappings, previous.sobject, previous.sfValues, defaultCountry);
  const fed = new Set(
    mappingsFor(mappings, previous.sobject)
      .filter((m) => m.direction !== 'toSalesforce' && m.sfField in (previous.sfValues ?? {}))
      .map((m) => m.telephonyField),
  );
  return resolveTakeOver(directory, salesforce, flatten(previousFields, [...fed]), winner);
}
