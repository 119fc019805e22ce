import type { Database, Queryable } from '../../store/types';
import type { ChangeEvent } from '../../salesforce/pubsub/changeEvent';
import type { SfChangeRecord, SyncedObject } from '../../model/records';
import { findLinkWithInflight, updateLink, type Link } from '../../store/state/links';
import { markEventsProcessed } from '../../store/state/processedEvents';
import { saveReplayId } from '../../store/state/checkpoints';
import { recordAudit } from '../../store/audit';
import { clearExcludedHealth } from '../../store/state/recordHealth';
import { isEchoOfOwnWrite, isOlder, mappedRecord, validityOf } from '../rules/unchangedRecord';
import { replayIdToBytes } from '../../salesforce/pubsub/replayId';
import type { OrgSyncSettings } from '../rules/context';
import { applySalesforceDeletes } from './deletes';
import { storableValues } from '../rules/storableText';
import { auditCleaning } from './textCleaning';
import { excludeRecord } from './exclusion';
import { applyLinked } from './linkedRecord';
import { LinkedRuns, type BurstRecord } from './linkedBatch';
import { joinOrCreate } from './unlinkedRecord';
import type { ApplyContext } from './applyResolution';
import type { RecordOutcome } from './recordOutcome';

export interface ApplyResult {
  duplicate: boolean;
  outcomes: Array<{ recordId: string; outcome: RecordOutcome; contactId: string | null }>;
  rejected: number;
}

/** One event of a batch as the subscriber delivered it: decoded, or refused by the decoder (why). */
export type DeliveredEvent = { event: ChangeEvent; replayId: number } | { rejected: string; replayId: number };

/**
 * Applies delivered events in ONE transaction: each event's directory writes, links, audit entries and
 * its id (for duplicate delivery), in order, then the replay id of the last one — so a crash keeps all of
 * them or none, and the subscriber resumes exactly after the last applied event. An event the decoder
 * refused is audited and passed. Several events per transaction spare a commit (and, on the embedded
 * database, a round trip to its worker) per event when they come in bursts.
 */
export async function applyChangeEvents(
  db: Database,
  settings: OrgSyncSettings,
  topic: string,
  delivered: DeliveredEvent[],
): Promise<Array<ApplyResult | null>> {
  if (delivered.length === 0) return [];
  return db.transaction(async (tx) => {
    const results: Array<ApplyResult | null> = [];
    const ids = delivered.flatMap((item) => ('event' in item ? [item.event.eventId] : []));
    const fresh = await markEventsProcessed(tx, settings.orgId, ids);
    // An id marked now is applied once: a second copy in the same batch is a duplicate too.
    const firsts = delivered.map((item) => 'event' in item && fresh.delete(item.event.eventId));
    const runs = new LinkedRuns(tx, settings, burstUpserts(delivered, firsts));
    for (const [i, item] of delivered.entries()) {
      if ('rejected' in item) {
        await recordAudit(tx, {
          orgId: settings.orgId,
          contactId: null,
          recordId: null,
          origin: 'salesforce',
          action: 'rejected',
          rule: item.rejected,
          before: null,
          after: null,
        });
        results.push(null);
      } else {
        results.push(await applyEventInTransaction(tx, settings, item.event, firsts[i], runs));
      }
    }
    await saveReplayId(tx, settings.orgId, topic, replayIdToBytes(delivered[delivered.length - 1].replayId));
    return results;
  });
}

/**
 * The upserts of a burst's events to apply (first copies, not deletes), in order, as LinkedRuns walks them:
 * a delete event starts a new segment, which no run crosses.
 */
function burstUpserts(delivered: DeliveredEvent[], firsts: boolean[]): Array<BurstRecord & { segment: number }> {
  const out: Array<BurstRecord & { segment: number }> = [];
  let segment = 0;
  for (const [i, item] of delivered.entries()) {
    if (!('event' in item) || !firsts[i]) continue;
    const { event } = item;
    if (event.operation === 'delete') {
      segment++;
      continue;
    }
    const rule = `${event.objectName} ${event.operation} event ${event.eventId}`;
    for (const record of event.records) out.push({ objectName: event.objectName, record, rule, segment });
  }
  return out;
}

/** One change event (see applyChangeEvents), in its own transaction. */
export async function applyChangeEvent(
  db: Database,
  settings: OrgSyncSettings,
  topic: string,
  event: ChangeEvent,
): Promise<ApplyResult> {
  const [result] = await applyChangeEvents(db, settings, topic, [{ event, replayId: event.replayId }]);
  return result as ApplyResult;
}

async function applyEventInTransaction(
  tx: Queryable,
  settings: OrgSyncSettings,
  event: ChangeEvent,
  first: boolean,
  runs: LinkedRuns,
): Promise<ApplyResult> {
  const result: ApplyResult = { duplicate: false, outcomes: [], rejected: event.rejected.length };
  if (!first) return { ...result, duplicate: true };
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
  if (event.operation === 'delete') {
    const gone = event.records.map((record) => ({
      recordId: record.id,
      sobject: event.objectName,
      cause: 'deleted' as const,
    }));
    result.outcomes.push(...(await applySalesforceDeletes(tx, settings, gone, 'event', rule)).outcomes);
  } else {
    for (const record of event.records) {
      // The burst's common case in runs of set-based writes (linkedBatch.ts); the rest record by record.
      const outcome = (await runs.next()) ?? (await applyUpsert(tx, settings, event.objectName, record, rule));
      result.outcomes.push({ recordId: record.id, ...outcome });
    }
  }
  return result;
}

/**
 * One created, updated or undeleted Salesforce record into the directory, by the sync's policy: a sync
 * running telephony → Salesforce only writes nothing to the directory (see applyWithoutDirectoryWrites);
 * a record failing the validity rules is excluded; a linked record updates its contact (conflict kind b);
 * an unlinked one joins the contact its match keys point to (kind a, candidate priority) or creates one.
 * Runs in the caller's transaction (an event's, or an initial-sync batch's); stale and unchanged records
 * are left alone.
 */
export async function applyUpsert(
  tx: Queryable,
  settings: OrgSyncSettings,
  objectName: SyncedObject,
  record: SfChangeRecord,
  rule: string,
): Promise<{ outcome: RecordOutcome; contactId: string | null }> {
  // Text Postgres would refuse fails the whole batch: cleaned first, by one rule, and audited.
  const { values, cleaned } = storableValues(record.values);
  const result = await applyStorable(tx, settings, objectName, { ...record, values }, rule);
  await auditCleaning(tx, settings, objectName, record.id, cleaned, result, rule);
  return result;
}

async function applyStorable(
  tx: Queryable,
  settings: OrgSyncSettings,
  objectName: SyncedObject,
  record: SfChangeRecord,
  rule: string,
): Promise<{ outcome: RecordOutcome; contactId: string | null }> {
  const { link, inflight } = await findLinkWithInflight(tx, settings.orgId, record.id);
  if (link && isOlder(record.systemModstamp, link.sfModstamp)) return { outcome: 'stale', contactId: link.contactId };
  const { values, sfHash, fields } = mappedRecord(settings, objectName, record.values, link);
  const ctx: ApplyContext = { tx, settings, objectName, record, values, sfHash, fields, rule };
  if (settings.policy.direction === 'toSalesforce') return applyWithoutDirectoryWrites(ctx, link);

  const verdict = validityOf(settings, objectName, { values, fields });
  if (!verdict.ok) return excludeRecord(ctx, link, verdict);
  if (link) {
    if (ctx.sfHash === link.sfHash || isEchoOfOwnWrite(link, inflight, values, ctx.sfHash)) {
      return { outcome: 'unchanged', contactId: link.contactId };
    }
    return applyLinked(ctx, link);
  }
  const wasExcluded = await clearExcludedHealth(tx, settings.orgId, 'salesforce', record.id);
  return joinOrCreate(wasExcluded ? { ...ctx, rule: `${rule}; passes the validity rules again (was excluded)` } : ctx);
}

/**
 * Direction telephony → Salesforce: Salesforce's values never reach the directory, and no validity rule
 * removes anything from it. A linked record's link still takes the values Salesforce now holds, so later
 * write-backs send exactly what differs; an unlinked record is linked to the contact its match keys point
 * to (so the contact is not pushed to Salesforce as a duplicate), and when telephony wins conflicts the
 * directory's values are queued to it; with no match nothing is created.
 */
async function applyWithoutDirectoryWrites(
  ctx: ApplyContext,
  link: Link | null,
): Promise<{ outcome: RecordOutcome; contactId: string | null }> {
  if (!link) return joinOrCreate(ctx);
  if (ctx.sfHash !== link.sfHash) {
    await updateLink(ctx.tx, link.id, {
      sfValues: ctx.values,
      sfHash: ctx.sfHash,
      sfModstamp: ctx.record.systemModstamp ?? link.sfModstamp,
    });
  }
  return { outcome: 'skipped', contactId: link.contactId };
}
