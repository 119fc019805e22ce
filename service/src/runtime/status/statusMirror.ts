import type { Logger } from 'pino';
import type { OrgConnection } from '../../salesforce/session';
import type { Database } from '../../store/types';
import type { RecordHealth } from '../../store/state/recordHealth';
import type { RecordStatus } from '../../model/recordStatus';
import {
  clearedErrors,
  forgetSentErrors,
  markErrorsSent,
  markRecordStatusesSent,
  pendingErrors,
  pendingRecordStatuses,
  type SentError,
  type SentErrorMark,
} from '../../store/state/reportedStatus';
import {
  errorKeyOf,
  upsertSyncErrors,
  type SyncErrorRecord,
  type SyncErrorSide,
  type SyncErrorUpsert,
} from '../../salesforce/status/syncErrorWriter';
import type { RecordStatusWriter } from '../../salesforce/status/recordStatusWriter';
import { stableHash } from '../../sync/rules/hash';

/**
 * Mirrors record_health into the org: each entry as a Switchboard_Sync_Error__c (upserted by its
 * Error_Key__c, resolved when the entry clears) and as the record status fields of the Salesforce
 * record it concerns. Only what changed since the last flush is sent (store/state/reportedStatus.ts).
 */

/**
 * Side__c says where the write failed: a Salesforce record the validity rules keep out of the directory
 * is a Telephony-side error; a failing entry is always a write-back (a create for a directory contact,
 * an update or delete of a Salesforce record) and, like a directory contact kept from being created in
 * Salesforce, a Salesforce-side one.
 */
function sideOf(health: RecordHealth): SyncErrorSide {
  return health.state === 'excluded' && health.side === 'salesforce' ? 'Telephony' : 'Salesforce';
}

function errorRecordOf(health: RecordHealth, syncId: string): SyncErrorRecord {
  const side = sideOf(health);
  // Telephony-side entries are keyed by the directory contact id (a uuid); Record_Id__c holds 36 characters.
  const recordId = health.recordId ?? health.key;
  const message =
    health.side === 'telephony' && health.recordId === null
      ? `Directory entry ${health.key}: ${health.reason}`
      : health.reason;
  return {
    errorKey: errorKeyOf(recordId, side, health.code),
    syncId,
    recordId,
    side,
    code: health.code,
    message,
    retryCount: health.attempts,
    nextRetry: health.nextRetryAt,
    firstSeen: health.since,
    lastSeen: health.updatedAt,
  };
}

/** Last_Seen__c moves with every refresh; an entry that changed nothing else is not sent again for it. */
const contentHash = (record: SyncErrorRecord): string => stableHash({ ...record, lastSeen: null, state: null });

interface ErrorMirrorOptions {
  db: Database;
  orgId: string;
  conn: OrgConnection;
  namespace: string;
  logger: Logger;
  syncId: string;
  limit: number;
}

/** What a sent row settles once the org took it: its entry marked as sent, or forgotten (resolved). */
type Settles = { mark: SentErrorMark } | { forget: SentError } | null;

export async function sendSyncErrors(options: ErrorMirrorOptions): Promise<void> {
  const { db, orgId, conn, namespace, logger, syncId, limit } = options;
  const pending = await pendingErrors(db, orgId, syncId, limit);
  const cleared = await clearedErrors(db, orgId, Math.max(0, limit - pending.length));
  const batch: Array<{ record: SyncErrorUpsert; settles: Settles }> = [];
  // Refreshed entries whose row would not change are only marked: Last_Seen__c alone is not worth a call.
  const unchanged: SentErrorMark[] = [];
  for (const { health, sentKey, sentHash } of pending) {
    const record = errorRecordOf(health, syncId);
    const mark: SentErrorMark = {
      side: health.side,
      key: health.key,
      errorKey: record.errorKey,
      syncId,
      hash: contentHash(record),
      healthUpdatedAt: health.updatedAt,
    };
    if (sentKey === record.errorKey && sentHash === mark.hash) {
      unchanged.push(mark);
      continue;
    }
    if (sentKey !== null && sentKey !== record.errorKey) {
      // Same record, new cause: the old row is resolved, the new one starts Failing.
      batch.push({ record: { errorKey: sentKey, state: 'Resolved' }, settles: null });
    }
    batch.push({ record: sentKey === record.errorKey ? record : { ...record, state: 'Failing' }, settles: { mark } });
  }
  for (const entry of cleared)
    batch.push({ record: { errorKey: entry.errorKey, state: 'Resolved' }, settles: { forget: entry } });
  const outcomes =
    batch.length === 0
      ? []
      : await upsertSyncErrors(
          conn,
          namespace,
          batch.map((b) => b.record),
        );
  const marks = [...unchanged];
  const forgotten: SentError[] = [];
  for (let i = 0; i < batch.length; i++) {
    const outcome = outcomes[i];
    if (!outcome.ok) {
      logger.warn(
        { errorKey: batch[i].record.errorKey, code: outcome.error.code, reason: outcome.error.message },
        'sync error record not saved',
      );
      // A transient failure is tried again next flush; a permanent one would fail the same way forever.
      if (outcome.error.transient) continue;
    }
    const settles = batch[i].settles;
    if (settles && 'mark' in settles) marks.push(settles.mark);
    else if (settles) forgotten.push(settles.forget);
  }
  await markErrorsSent(db, orgId, marks);
  await forgetSentErrors(db, orgId, forgotten);
}

interface RecordMirrorOptions {
  db: Database;
  orgId: string;
  writer: RecordStatusWriter;
  logger: Logger;
  limit: number;
}

export async function sendRecordStatuses(options: RecordMirrorOptions): Promise<void> {
  const { db, orgId, writer, logger, limit } = options;
  const pending = await pendingRecordStatuses(db, orgId, limit);
  if (pending.length === 0) return;
  const outcomes = await writer.write(pending);
  const settled: RecordStatus[] = [];
  for (let i = 0; i < pending.length; i++) {
    const outcome = outcomes[i];
    if (outcome.kind === 'failed') {
      logger.warn(
        { recordId: pending[i].recordId, code: outcome.error.code, reason: outcome.error.message },
        'record status fields not written',
      );
      if (outcome.error.transient) continue;
    }
    // Written, not supported by the object, or refused for good (deleted record): not to be sent again.
    settled.push(pending[i]);
  }
  await markRecordStatusesSent(db, orgId, settled);
}
