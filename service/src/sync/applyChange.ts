import type { Database, Queryable } from '../store/types';
import type { ChangeEvent, SfChangeRecord, SfValue, SyncedObject } from '../salesforce/changeEvent';
import type { ContactFields, DirectoryContact } from '../directory/model';
import { deleteContact, findContactIdsByEmail, findContactIdsByPhones, getContact, insertContact, updateContact } from '../directory/contacts';
import { createLink, deleteLink, findLinkByRecord, findLinksByContact, updateLink, type Link } from './links';
import { markEventProcessed } from '../store/processedEvents';
import { saveReplayId } from '../store/checkpoints';
import { inflightPayloadsForRecord } from '../store/outbox';
import { recordAudit } from '../store/audit';
import { mappedSfValues, sfToDirectory } from './fieldMap';
import { e164sOf } from './phones';
import { stableHash } from './hash';
import { replayIdToBytes } from './replayId';
import type { OrgSyncSettings } from './context';
import { contactView } from './contactView';

export type RecordOutcome = 'created' | 'linked' | 'updated' | 'unchanged' | 'stale' | 'deleted' | 'unlinked' | 'missing';

export interface ApplyResult {
  duplicate: boolean;
  outcomes: Array<{ recordId: string; outcome: RecordOutcome; contactId: string | null }>;
  rejected: number;
}

/**
 * Applies one change event: every record's directory write, link, audit entry, the event's id (for
 * duplicate delivery) and its replay id, all in ONE transaction — so a crash either keeps all of it or
 * none, and the subscriber resumes exactly after the last applied event.
 */
export async function applyChangeEvent(
  db: Database,
  settings: OrgSyncSettings,
  topic: string,
  event: ChangeEvent,
): Promise<ApplyResult> {
  return db.transaction(async (tx) => {
    const result: ApplyResult = { duplicate: false, outcomes: [], rejected: event.rejected.length };
    const fresh = await markEventProcessed(tx, settings.orgId, event.eventId);
    if (!fresh) {
      result.duplicate = true;
    } else {
      for (const bad of event.rejected) {
        await recordAudit(tx, {
          orgId: settings.orgId,
          contactId: null,
          recordId: bad.recordId,
          origin: 'salesforce',
          action: 'rejected',
          rule: `${event.objectName} ${event.operation} record #${bad.index + 1}: ${bad.reason}`,
          before: null,
          after: null,
        });
      }
      const rule = `${event.objectName} ${event.operation} event ${event.eventId}`;
      for (const record of event.records) {
        const applied =
          event.operation === 'delete'
            ? await applyDelete(tx, settings, record, rule)
            : await applyUpsert(tx, settings, event.objectName, record, rule);
        result.outcomes.push({ recordId: record.id, ...applied });
      }
    }
    await saveReplayId(tx, settings.orgId, topic, replayIdToBytes(event.replayId));
    return result;
  });
}

/**
 * One created, updated or undeleted Salesforce record into the directory: update its linked contact, or
 * join a matching unlinked contact, or create one. Stale and unchanged records are left alone.
 */
export async function applyUpsert(
  tx: Queryable,
  settings: OrgSyncSettings,
  objectName: SyncedObject,
  record: SfChangeRecord,
  rule: string,
): Promise<{ outcome: RecordOutcome; contactId: string | null }> {
  const values = mappedSfValues(settings.mappings, objectName, record.values);
  const sfHash = stableHash(values);
  const fields = sfToDirectory(settings.mappings, objectName, values, settings.defaultCountry);
  const link = await findLinkByRecord(tx, settings.orgId, record.id);

  if (link) {
    if (isOlder(record.systemModstamp, link.sfModstamp)) return { outcome: 'stale', contactId: link.contactId };
    if (sfHash === link.sfHash || (await isEchoOfOwnWrite(tx, settings.orgId, record.id, values, sfHash))) {
      return { outcome: 'unchanged', contactId: link.contactId };
    }
    const before = await getContact(tx, link.contactId);
    const after = before
      ? await updateContact(tx, before.id, fields)
      : await insertContact(tx, fields, 'salesforce');
    if (!after) throw new Error(`directory contact ${link.contactId} vanished while applying ${record.id}`);
    await updateLink(tx, link.id, {
      contactId: after.id,
      sfValues: { ...(link.sfValues ?? {}), ...values },
      sfHash,
      sfModstamp: record.systemModstamp ?? link.sfModstamp,
      telHash: stableHash(contactView(after)),
    });
    await audit(tx, settings, record, rule, before ? 'update' : 'create', before, after);
    return { outcome: before ? 'updated' : 'created', contactId: after.id };
  }

  const match = await findUnlinkedMatch(tx, settings.orgId, fields);
  const before = match ? await getContact(tx, match) : null;
  const after = before ? await updateContact(tx, before.id, fields) : await insertContact(tx, fields, 'salesforce');
  if (!after) throw new Error(`directory contact ${match} vanished while linking ${record.id}`);
  await createLink(tx, {
    orgId: settings.orgId,
    contactId: after.id,
    sobject: objectName,
    recordId: record.id,
    sfValues: values,
    sfHash,
    sfModstamp: record.systemModstamp ?? undefined,
    telHash: stableHash(contactView(after)),
  });
  await audit(tx, settings, record, rule, before ? 'link' : 'create', before, after);
  return { outcome: before ? 'linked' : 'created', contactId: after.id };
}

async function applyDelete(
  tx: Queryable,
  settings: OrgSyncSettings,
  record: SfChangeRecord,
  rule: string,
): Promise<{ outcome: RecordOutcome; contactId: string | null }> {
  const link = await findLinkByRecord(tx, settings.orgId, record.id);
  if (!link) return { outcome: 'missing', contactId: null };
  const before = await getContact(tx, link.contactId);
  await deleteLink(tx, link.id);
  const otherLinks = before ? await findLinksByContact(tx, before.id) : [];
  // A contact born in the phone system, or still linked elsewhere, outlives its Salesforce record.
  const removeContact = before !== null && before.source === 'salesforce' && otherLinks.length === 0;
  if (removeContact) await deleteContact(tx, before.id);
  await audit(tx, settings, record, rule, removeContact ? 'delete' : 'unlink', before, null);
  return { outcome: removeContact ? 'deleted' : 'unlinked', contactId: link.contactId };
}

/**
 * A contact already in the directory that this record should join rather than duplicate: same email,
 * or one of the same E.164 numbers, and not linked to another record of this org.
 */
async function findUnlinkedMatch(tx: Queryable, orgId: string, fields: ContactFields): Promise<string | null> {
  const candidates = new Set<string>();
  if (fields.email) for (const id of await findContactIdsByEmail(tx, fields.email)) candidates.add(id);
  const numbers = e164sOf(fields.phones ?? []);
  if (numbers.length > 0) for (const id of await findContactIdsByPhones(tx, numbers)) candidates.add(id);
  for (const id of candidates) {
    const links: Link[] = await findLinksByContact(tx, id);
    if (!links.some((l) => l.orgId === orgId)) return id;
  }
  return null;
}

/**
 * The values are what Salesforce holds, or will hold once our queued or in-flight write-backs land: the
 * echo of our own write. The outbox is read before the link is read again, so a write-back settling in
 * between (which moves its values from the outbox into the link) is seen on one side or the other.
 */
async function isEchoOfOwnWrite(
  tx: Queryable,
  orgId: string,
  recordId: string,
  values: Record<string, SfValue>,
  sfHash: string,
): Promise<boolean> {
  const payloads = await inflightPayloadsForRecord(tx, orgId, recordId);
  const link = await findLinkByRecord(tx, orgId, recordId);
  const expected: Record<string, unknown> = { ...(link?.sfValues ?? {}) };
  for (const payload of payloads) Object.assign(expected, payload);
  const comparable: Record<string, unknown> = {};
  for (const key of Object.keys(values)) comparable[key] = expected[key] ?? null;
  return stableHash(comparable) === sfHash;
}

function isOlder(incoming: string | null, known: string | null): boolean {
  if (!incoming || !known) return false;
  return Date.parse(incoming) < Date.parse(known);
}

async function audit(
  tx: Queryable,
  settings: OrgSyncSettings,
  record: SfChangeRecord,
  rule: string,
  action: string,
  before: DirectoryContact | null,
  after: DirectoryContact | null,
): Promise<void> {
  await recordAudit(tx, {
    orgId: settings.orgId,
    contactId: after?.id ?? before?.id ?? null,
    recordId: record.id,
    origin: 'salesforce',
    action,
    rule,
    before: before ? contactView(before) : null,
    after: after ? contactView(after) : null,
  });
}

