import { v7 as timeOrderedUuid } from 'uuid';
import type { Queryable } from '../../store/types';
import type { BulkRow } from '../../salesforce/bulk/bulkQuery';
import type { SfChangeRecord, SfValue, SyncedObject } from '../../model/records';
import type { ContactFields } from '../../directory/model';
import { insertContactsBulk, takenMatchKeys, type NewBulkContact } from '../../directory/bulkLoad';
import { insertLinksBulk, linkedRecordIds, type NewBulkLink } from '../../store/state/links';
import { insertExclusionsBulk, recordIdsWithHealth, type NewBulkExclusion } from '../../store/state/recordHealth';
import { lockAllMatchKeys } from '../../store/state/matchKeyLocks';
import { recordAudit } from '../../store/audit';
import { applyUpsert } from '../inbound/applyChange';
import { joinOrCreate } from '../inbound/unlinkedRecord';
import { mappedSfValues, sfToDirectory } from '../rules/fieldMap';
import { stableHash } from '../rules/hash';
import { checkValidity, type Verdict } from '../rules/validity';
import { storableValues, type FieldCleaning } from '../rules/storableText';
import { auditCleaning } from '../inbound/textCleaning';
import { matchKeysOf } from '../rules/matching';
import type { ContactView } from '../rules/contactView';
import type { OrgSyncSettings } from '../rules/context';
import type { RecordOutcome } from '../inbound/recordOutcome';

/** One snapshot row, mapped once: what applyUpsert would compute from it. */
export interface SnapshotRow {
  record: SfChangeRecord;
  values: Record<string, SfValue>;
  sfHash: string;
  fields: ContactFields;
  verdict: Verdict;
  /** Match keys per the sync's setting; the email as the directory compares it (trimmed, lower case). */
  keys: string[];
  /** The hash of the contact these fields make (the link's telephonyHash when the row creates one). */
  telephonyHash: string;
  /** Text the row held that Postgres cannot store, cleaned in `record` (rules/storableText.ts). */
  cleaned: FieldCleaning[];
}

export interface PageOutcome {
  /** New contacts and links written in one batch. */
  created: number;
  /** New exclusions recorded in one batch. */
  excluded: number;
  /** Rows that went through the per-record rules (linked, possible match, known health entry). */
  perRecord: number;
  /** Where the page's time went, in ms: finding what is known of its rows, the set-based writes, the per-record rules. */
  ms: { lookup: number; batch: number; perRecord: number };
}

/** Maps a page of Bulk API rows (pure CPU work: done while the previous page is being written). */
export function prepareRows(settings: OrgSyncSettings, objectName: SyncedObject, rows: BulkRow[]): SnapshotRow[] {
  const { mappings, defaultCountry, policy } = settings;
  return rows.map((row) => {
    // Cleaned before mapping: one row Postgres refuses would fail its whole page, and so the sync.
    const raw = toChangeRecord(row);
    const { values: storable, cleaned } = storableValues(raw.values);
    const record = { ...raw, values: storable };
    const values = mappedSfValues(mappings, objectName, record.values);
    const fields = sfToDirectory(mappings, objectName, values, defaultCountry);
    const verdict = checkValidity({
      rules: policy.validity,
      mappings,
      sobject: objectName,
      defaultCountry,
      values,
      fields,
    });
    const { e164s, email } = matchKeysOf(fields, policy.matchKeys);
    const keys = email ? [...e164s, `@${email.trim().toLowerCase()}`] : e164s;
    return {
      record,
      values,
      sfHash: stableHash(values),
      fields,
      verdict,
      keys,
      telephonyHash: stableHash(viewOf(fields)),
      cleaned,
    };
  });
}

/**
 * prepareRows a slice at a time, giving the event loop a turn between slices. The next page is prepared
 * while the current one is written: run in one go, its half second of mapping kept the database's
 * answers to the current page waiting, so the two took turns instead of working side by side.
 */
export async function prepareRowsInSlices(
  settings: OrgSyncSettings,
  objectName: SyncedObject,
  rows: BulkRow[],
  sliceSize = 250,
): Promise<SnapshotRow[]> {
  const prepared: SnapshotRow[] = [];
  for (let start = 0; start < rows.length; start += sliceSize) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    for (const row of prepareRows(settings, objectName, rows.slice(start, start + sliceSize))) prepared.push(row);
  }
  return prepared;
}

/**
 * Writes one snapshot page inside the caller's transaction. A row that is new to the org and can only
 * become a new contact — not linked, no health entry, passing the validity rules, and sharing no match key
 * with any directory contact nor with an earlier row of the page — is written with the page's other such
 * rows in a few set-based statements (contacts, phones, links), with the same values and hashes
 * applyUpsert would store. A new row failing the validity rules is recorded as excluded the same way.
 * The others take the per-record rules, in page order, after the batch: a new row sharing a key goes
 * straight to the join rules (joinOrCreate: matching, candidates, conflict kind a) with the values
 * already mapped — it is known to be unlinked and without a health entry — and a row already linked or
 * with a health entry goes through applyUpsert (stale check, exclusion, kind b). Rows of the batch share
 * no key with those, so the order between the two groups changes nothing.
 *
 * Audit: each batch gets ONE summary entry per page (object, count, first and last record id), not one
 * per row: a million "created" entries would double the load's cost and say nothing the contacts and
 * links (created_at) do not. Per-record paths audit per record as always.
 */
export async function applySnapshotPage(
  tx: Queryable,
  settings: OrgSyncSettings,
  objectName: SyncedObject,
  rows: SnapshotRow[],
  label: string,
): Promise<PageOutcome> {
  const { orgId } = settings;
  const clock = stopwatch();
  const ids = rows.map((r) => r.record.id);
  const linked = await linkedRecordIds(tx, orgId, ids);
  const withHealth = await recordIdsWithHealth(tx, orgId, ids);
  // Salesforce → telephony values may not be applied at all: every row takes the per-record rules.
  const batchable = settings.policy.direction !== 'toSalesforce';
  const fresh = rows.filter((r) => batchable && !linked.has(r.record.id) && !withHealth.has(r.record.id));
  // The keys found free below must stay free until the page commits: another org's stream may be
  // bringing the same person right now (see matchKeyLocks.ts).
  if (fresh.length > 0) await lockAllMatchKeys(tx);
  const taken = await takenKeysOf(
    tx,
    fresh.filter((r) => r.verdict.ok),
  );
  const lookup = clock.lap();

  const contacts: NewBulkContact[] = [];
  const links: NewBulkLink[] = [];
  const exclusions: NewBulkExclusion[] = [];
  const perRecord = new Set<SnapshotRow>();
  // What the set-based writes did with rows whose text was cleaned, for the audit (few rows, if any).
  const batched = new Map<string, { outcome: RecordOutcome; contactId: string | null }>();
  const joins = new Set<SnapshotRow>();
  const seen = new Set<string>();
  const freshIds = new Set(fresh.map((r) => r.record.id));
  for (const row of rows) {
    const clash = row.keys.some((key) => seen.has(key) || taken.has(key));
    for (const key of row.keys) seen.add(key);
    if (!freshIds.has(row.record.id)) {
      perRecord.add(row);
    } else if (!row.verdict.ok) {
      exclusions.push({
        sobject: objectName,
        recordId: row.record.id,
        code: row.verdict.code,
        reason: row.verdict.reason,
      });
      if (row.cleaned.length > 0) batched.set(row.record.id, { outcome: 'excluded', contactId: null });
    } else if (clash) {
      joins.add(row);
    } else {
      // Time-ordered (UUIDv7), not random: a million new ids then land at the right edge of the contacts'
      // key and of every index and foreign-key check that refers to it, instead of on random pages that
      // stop fitting in memory as the load grows.
      const id = timeOrderedUuid();
      contacts.push({ id, fields: row.fields });
      if (row.cleaned.length > 0) batched.set(row.record.id, { outcome: 'created', contactId: id });
      links.push({
        contactId: id,
        sobject: objectName,
        recordId: row.record.id,
        sfValues: row.values,
        sfHash: row.sfHash,
        telephonyHash: row.telephonyHash,
        sfModstamp: row.record.systemModstamp,
        // The contact is made by this very statement batch at its first version, from these fields.
        telephonyVersion: 1,
      });
    }
  }

  await insertContactsBulk(tx, contacts, 'salesforce');
  await insertLinksBulk(tx, orgId, links);
  await insertExclusionsBulk(tx, orgId, exclusions);
  await summarise(
    tx,
    orgId,
    'create',
    `${label}: ${links.length} new contacts and links in one batch (no match by the match keys)`,
    links,
  );
  await summarise(
    tx,
    orgId,
    'excluded',
    `${label}: ${exclusions.length} records excluded by the validity rules (reasons in record health)`,
    exclusions,
  );
  const batch = clock.lap();
  // In page order: a join may match a contact an earlier row of the page created or changed.
  for (const row of rows) {
    let result: { outcome: RecordOutcome; contactId: string | null } | null = null;
    if (joins.has(row))
      result = await joinOrCreate({
        tx,
        settings,
        objectName,
        record: row.record,
        values: row.values,
        sfHash: row.sfHash,
        fields: row.fields,
        rule: label,
      });
    else if (perRecord.has(row)) result = await applyUpsert(tx, settings, objectName, row.record, label);
    else if (row.cleaned.length > 0) result = batched.get(row.record.id) ?? null;
    if (result) await auditCleaning(tx, settings, objectName, row.record.id, row.cleaned, result, label);
  }
  return {
    created: links.length,
    excluded: exclusions.length,
    perRecord: perRecord.size + joins.size,
    ms: { lookup, batch, perRecord: clock.lap() },
  };
}

function stopwatch(): { lap(): number } {
  let last = performance.now();
  return {
    lap() {
      const now = performance.now();
      const ms = now - last;
      last = now;
      return ms;
    },
  };
}

async function takenKeysOf(tx: Queryable, rows: SnapshotRow[]): Promise<Set<string>> {
  const e164s: string[] = [];
  const emails: string[] = [];
  for (const row of rows) {
    for (const key of row.keys) {
      if (key.startsWith('@')) emails.push(key.slice(1));
      else e164s.push(key);
    }
  }
  const taken = await takenMatchKeys(tx, [...new Set(e164s)], [...new Set(emails)]);
  return new Set([...taken.e164s, ...[...taken.emails].map((email) => `@${email}`)]);
}

async function summarise(
  tx: Queryable,
  orgId: string,
  action: string,
  rule: string,
  rows: Array<{ recordId: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  await recordAudit(tx, {
    orgId,
    contactId: null,
    recordId: null,
    origin: 'salesforce',
    action,
    rule,
    before: null,
    after: { records: rows.length, firstRecordId: rows[0].recordId, lastRecordId: rows[rows.length - 1].recordId },
  });
}

/** What contactView() gives for a contact inserted with these fields (the link's telephonyHash covers it). */
function viewOf(fields: ContactFields): ContactView {
  return {
    firstName: fields.firstName ?? null,
    lastName: fields.lastName ?? null,
    company: fields.company ?? null,
    title: fields.title ?? null,
    email: fields.email ?? null,
    phones: (fields.phones ?? []).map(({ kind, raw, e164, extension }) => ({ kind, raw, e164, extension })),
  };
}

function toChangeRecord(row: BulkRow): SfChangeRecord {
  const { Id, SystemModstamp, ...values } = row;
  if (!Id) throw new Error(`Bulk API row without an Id (columns ${Object.keys(row).join(', ')})`);
  return { id: Id, systemModstamp: SystemModstamp ?? null, values };
}
