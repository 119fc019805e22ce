import type { Queryable } from '../../store/types';
import type { SfChangeRecord, SyncedObject } from '../../model/records';
import type { DirectoryContact } from '../../directory/model';
import { getContacts } from '../../directory/contacts';
import { updateContactScalars, type ScalarUpdate } from '../../directory/contactBatch';
import { findOrgLinksWithInflight, updateAppliedLinks, type Link } from '../../store/state/links';
import { recordsWithQueuedUpdates } from '../../store/outbox/outbox';
import { recordAudits, type AuditEntry } from '../../store/audit';
import { isEchoOfOwnWrite, isOlder, mappedRecord, validityOf } from '../rules/unchangedRecord';
import { storableValues } from '../rules/storableText';
import { resolveChange, toContactFields, type Resolution } from '../rules/conflict';
import { contactView } from '../rules/contactView';
import { stableHash } from '../rules/hash';
import type { OrgSyncSettings } from '../rules/context';
import { changeInput } from './linkedRecord';
import { settleWriteBacks, type ApplyContext } from './applyResolution';
import type { RecordOutcome } from './recordOutcome';

/** One upsert of a burst, in event order. */
export interface BurstRecord {
  objectName: SyncedObject;
  record: SfChangeRecord;
  rule: string;
}

export type BurstOutcome = { outcome: RecordOutcome; contactId: string | null };

/** A run's answer for a record it passes over: the caller applies it by the rules, and the run goes on after it. */
const PASSED = null;

/**
 * The common case of a burst of change events — a linked record's primary whose change the directory takes
 * as it is — in a handful of statements for the whole run instead of several per record: one read of the
 * links (with what is on its way to each record), one of their contacts, then one write each of the
 * contacts, the links and the audit entries, and one look at the outbox after the contacts were written.
 *
 * Contract with applyChangeEvents (through LinkedRuns): `records` are upserts in event order, each record id
 * once. The answer has an outcome for each record of a leading run; the records after it are the caller's,
 * through the per-record rules (applyUpsert), beginning with the one that ended the run. `unlinked` are the
 * records that had no link when read: they need the rules whatever comes first. A record takes the
 * batch only when nothing in it needs those rules: it is stale, unchanged or the echo of our own write (no
 * writes), or its change sets scalar fields of its contact with no conflict, no write-back and no match key
 * (phones and email change how records match, and go through the rules that lock match keys). Records are
 * applied in order, so stopping at the first other one keeps event order.
 */
export async function applyLinkedRun(
  tx: Queryable,
  settings: OrgSyncSettings,
  records: BurstRecord[],
): Promise<{ outcomes: Array<BurstOutcome | typeof PASSED>; unlinked: Set<string> }> {
  if (records.length === 0 || settings.policy.direction === 'toSalesforce')
    return { outcomes: [], unlinked: new Set() };
  const known = await findOrgLinksWithInflight(
    tx,
    settings.orgId,
    records.map((r) => r.record.id),
  );
  const contactIds = [...new Set([...known.values()].map(({ link }) => link.contactId))];
  const contacts = new Map((await getContacts(tx, contactIds)).map((c) => [c.id, c]));
  const outcomes: Array<BurstOutcome | typeof PASSED> = [];
  const writes: Write[] = [];
  const written = new Set<string>();
  for (const item of records) {
    const found = known.get(item.record.id);
    if (!found && excludedWithoutLink(settings, item)) {
      // Its rules write its health entry and audit only, nothing a record of the run reads or writes.
      outcomes.push(PASSED);
      continue;
    }
    const contact = found && !written.has(found.link.contactId) ? contacts.get(found.link.contactId) : undefined;
    const planned = found && contact ? planRecord(tx, settings, item, found.link, found.inflight, contact) : null;
    if (!planned) break;
    outcomes.push(planned.outcome);
    if (planned.write) {
      writes.push(planned.write);
      written.add(contact!.id);
    }
  }
  await writeRun(tx, settings, writes);
  const unlinked = new Set(records.filter((r) => !known.has(r.record.id)).map((r) => r.record.id));
  return { outcomes, unlinked };
}

/** An unlinked record the validity rules keep out: applying it touches no contact and no link. */
function excludedWithoutLink(settings: OrgSyncSettings, item: BurstRecord): boolean {
  return !validityOf(settings, item.objectName, mappedRecord(settings, item.objectName, item.record.values, null)).ok;
}

interface Write {
  link: Link;
  contact: DirectoryContact;
  ctx: ApplyContext;
  resolution: Resolution;
  update: ScalarUpdate;
}

interface Planned {
  outcome: BurstOutcome;
  /** What to write, or absent when the record leaves everything as it is. */
  write?: Write;
}

/** The record's outcome and writes when the batch can take it; null when it needs the per-record rules. */
function planRecord(
  tx: Queryable,
  settings: OrgSyncSettings,
  item: BurstRecord,
  link: Link,
  inflight: Array<Record<string, unknown>>,
  contact: DirectoryContact,
): Planned | null {
  const { record, objectName } = item;
  if (isOlder(record.systemModstamp, link.sfModstamp))
    return { outcome: { outcome: 'stale', contactId: link.contactId } };
  if (link.role !== 'primary' || storableValues(record.values).cleaned.length > 0) return null;
  const { values, sfHash, fields } = mappedRecord(settings, objectName, record.values, link);
  if (!validityOf(settings, objectName, { values, fields }).ok) return null;
  if (sfHash === link.sfHash || isEchoOfOwnWrite(link, inflight, values, sfHash)) {
    return { outcome: { outcome: 'unchanged', contactId: link.contactId } };
  }
  // A write of ours on its way to the record: its fields may need settling, which the rules do.
  if (inflight.length > 0) return null;
  const ctx: ApplyContext = { tx, settings, objectName, record, values, sfHash, fields, rule: item.rule };
  const resolution = resolveChange(changeInput(ctx, contact, link));
  if (resolution.conflicts.length > 0 || resolution.toSalesforce.length > 0) return null;
  const write = toContactFields(contact.phones, resolution.toDirectory);
  if ('phones' in write || 'email' in write || 'tags' in write) return null;
  const changed = Object.keys(write).length > 0;
  return {
    outcome: { outcome: changed ? 'updated' : 'unchanged', contactId: contact.id },
    write: { link, contact, ctx, resolution, update: { read: contact, fields: write } },
  };
}

/** The run's writes, in the order the per-record rules make them (contacts, links, settling, audit). */
async function writeRun(tx: Queryable, settings: OrgSyncSettings, planned: Write[]): Promise<void> {
  if (planned.length === 0) return;
  const changed = planned.filter((w) => Object.keys(w.update.fields).length > 0);
  const written = await updateContactScalars(
    tx,
    changed.map((w) => w.update),
  );
  const after = (w: Write): DirectoryContact => written.get(w.contact.id) ?? w.contact;
  const vanished = changed.find((w) => !written.has(w.contact.id));
  if (vanished)
    throw new Error(`directory contact ${vanished.contact.id} vanished while applying ${vanished.ctx.record.id}`);
  await updateAppliedLinks(
    tx,
    planned.map((w) => ({
      id: w.link.id,
      sfValues: w.ctx.values,
      sfHash: w.ctx.sfHash,
      telephonyHash: stableHash(contactView(after(w))),
      sfModstamp: w.ctx.record.systemModstamp,
    })),
  );
  // A telephony edit of these contacts that committed before their write above may have queued an update
  // of the record: Salesforce's values settle it, as the per-record rules do.
  const queued = await recordsWithQueuedUpdates(
    tx,
    settings.orgId,
    planned.map((w) => w.ctx.record.id),
  );
  for (const w of planned.filter((p) => queued.has(p.ctx.record.id))) {
    const target = { orgId: settings.orgId, linkId: w.link.id, sobject: w.ctx.objectName, recordId: w.ctx.record.id };
    await settleWriteBacks(w.ctx, target, w.contact.id, w.resolution.settledBySalesforce);
  }
  const audits: AuditEntry[] = changed.map((w) => ({
    orgId: settings.orgId,
    contactId: w.contact.id,
    recordId: w.ctx.record.id,
    origin: 'salesforce',
    action: 'update',
    rule: w.ctx.rule,
    before: contactView(w.contact),
    after: contactView(after(w)),
  }));
  await recordAudits(tx, audits);
}

/**
 * Walks a burst's upserts in event order for applyChangeEvents, applying them in runs (applyLinkedRun): `next`
 * is asked for each upsert in turn and answers its outcome when a run took it, or null when the caller must
 * apply it by the per-record rules (then the next run starts after it, on fresh reads). `boundary` marks a
 * point runs must not cross: a delete applied between, whose effects a run read before it would not see.
 */
const MIN_WINDOW = 8;
const MAX_WINDOW = 1000;

export class LinkedRuns {
  private pos = 0;
  private runStart = 0;
  private outcomes: Array<BurstOutcome | typeof PASSED> = [];
  private unlinked = new Set<string>();
  /**
   * How many records the next run reads: it doubles while runs take what they read and falls back when one
   * stops early, so a burst the rules must apply record by record costs two small reads per stop, not a
   * read of the rest of the burst each.
   */
  private window = MIN_WINDOW;

  constructor(
    private readonly tx: Queryable,
    private readonly settings: OrgSyncSettings,
    private readonly records: Array<BurstRecord & { segment: number }>,
  ) {}

  async next(): Promise<BurstOutcome | null> {
    const at = this.pos++;
    if (at < this.runStart + this.outcomes.length) return this.outcomes[at - this.runStart];
    const item = this.records[at];
    if (!item || this.unlinked.has(item.record.id)) return null;
    // A new run from here: to the end of the segment, and before any record id it already holds.
    const seen = new Set<string>();
    const run: BurstRecord[] = [];
    const end = Math.min(this.records.length, at + this.window);
    for (let i = at; i < end && this.records[i].segment === item.segment; i++) {
      if (seen.has(this.records[i].record.id)) break;
      seen.add(this.records[i].record.id);
      run.push(this.records[i]);
    }
    const answer = await applyLinkedRun(this.tx, this.settings, run);
    this.runStart = at;
    this.outcomes = answer.outcomes;
    this.unlinked = answer.unlinked;
    this.window =
      answer.outcomes.length === run.length
        ? Math.min(MAX_WINDOW, this.window * 2)
        : Math.max(MIN_WINDOW, answer.outcomes.length);
    return this.outcomes[0] ?? null;
  }
}
