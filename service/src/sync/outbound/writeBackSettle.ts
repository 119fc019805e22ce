import type { Logger } from 'pino';
import type { Database, Queryable } from '../../store/types';
import {
  completeOutbox,
  doneOutboxIds,
  failOutbox,
  retryOutbox,
  type OutboxOperation,
} from '../../store/outbox/outbox';
import { recordAudit } from '../../store/audit';
import { isDatabaseUnavailable } from '../../store/availability';
import { clearFailingHealth, getRecordHealth, setRecordHealth, type HealthSide } from '../../store/state/recordHealth';
import type { SyncedObject } from '../../model/records';
import { classifySaveError, type SaveErrorInfo, type SaveOutcome } from '../../salesforce/saveErrors';
import { BulkIngestJobError } from '../../salesforce/bulk/bulkIngest';
import { contactsLinkedIn, findLinkByRecord, updateLink } from '../../store/state/links';
import { underSavepoint } from '../../store/savepoint';
import { stableHash } from '../rules/hash';
import { linkCreatedRecord } from './telephonyCreate';
import { dropCallTaskOwner, recordCallTask, settleCallTaskRow } from '../../store/calls';
import { taskHealthKey } from '../../model/calls';
import type { OrgSyncSettings } from '../rules/context';
import { isCallTask, outboxIdsOf, type PendingWrite } from './writeBackPlan';

/**
 * What the write-back worker records once Salesforce has answered: the outbox row's fate, the link and
 * record health it changes, and the audit entry an admin reads.
 */

/** The outcomes of a round, counted into the worker's DrainResult. */
export interface SettleTally {
  written: number;
  retried: number;
  failed: number;
}

export interface SettlerOptions {
  db: Database;
  orgId: string;
  /** The org's live settings (mappings and policy), read when a create settles. */
  settings: OrgSyncSettings;
  logger: Logger;
  /** Transient failures are retried this many times before the row is parked as failing. */
  maxAttempts: number;
  /** Whether the worker is stopping: a settle cut off by an outage then gives up instead of waiting. */
  stopped?: () => boolean;
}

/** The first wait before a settle cut off by a database outage is tried again; it doubles up to the max. */
const OUTAGE_RETRY_MS = 250;
const OUTAGE_RETRY_MAX_MS = 5_000;

/** Rows written in one settle transaction, and the failing entries their success clears. */
interface Settled {
  outboxIds: string[];
  telephony: string[];
  salesforce: string[];
}

/** A record that is already gone needs no delete. */
const ALREADY_DELETED = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY', 'NOT_FOUND']);

/** Records the outcomes of the writes one worker sends, each write's bookkeeping independent of the others. */
export class WriteBackSettler {
  constructor(private readonly options: SettlerOptions) {}

  /** A matching record arrived from Salesforce and got linked while the create waited: creating it too would duplicate it. */
  async dropCreatesAlreadyLinked(writes: PendingWrite[], tally: SettleTally): Promise<PendingWrite[]> {
    const { db, orgId } = this.options;
    const linked = await contactsLinkedIn(
      db,
      orgId,
      writes.map((w) => w.contactId).filter((id): id is string => id !== null),
    );
    if (linked.size === 0) return writes;
    const dropped = writes.filter((w) => w.contactId !== null && linked.has(w.contactId));
    await db.transaction(async (tx) => {
      for (const write of dropped) {
        await completeOutbox(
          tx,
          write.items.map((i) => i.id),
        );
        await auditWrite(
          tx,
          orgId,
          write,
          'create-skipped',
          `not created: the contact was linked to a ${write.sobject === 'Lead' ? 'Lead' : 'record'} of this org meanwhile`,
        );
      }
    });
    tally.written += dropped.length;
    return writes.filter((w) => !dropped.includes(w));
  }

  /**
   * Updates left with nothing to send — Salesforce's value won each of their fields while they were on
   * their way, and it is queued behind them — are done without a call.
   */
  async completeEmptyUpdates(writes: PendingWrite[], tally: SettleTally): Promise<PendingWrite[]> {
    const empty = writes.filter((w) => Object.keys(w.payload).length === 0);
    if (empty.length === 0) return writes;
    await completeOutbox(this.options.db, outboxIdsOf(empty));
    tally.written += empty.length;
    return writes.filter((w) => !empty.includes(w));
  }

  /**
   * Settles a sent batch in one transaction, each write under a savepoint: a write whose bookkeeping
   * fails (say its contact vanished in an unexpected way) is parked with the reason, and the others
   * still commit — a batch Salesforce accepted is never left claimed, to be sent again.
   *
   * Salesforce's answers exist only here, in memory. Should the database go away before they are
   * recorded, the settle waits for it and tries again (unless the worker stops): left claimed, the rows
   * would be taken back and sent again — over any edit made in Salesforce meanwhile. A try whose commit
   * went through although its answer was lost is not repeated: its rows are done.
   */
  async settle(writes: PendingWrite[], outcomeOf: (index: number) => SaveOutcome, tally: SettleTally): Promise<void> {
    let pending = writes.map((write, index) => ({ write, index }));
    for (let waitMs = OUTAGE_RETRY_MS; ; waitMs = Math.min(waitMs * 2, OUTAGE_RETRY_MAX_MS)) {
      const attempt: SettleTally = { written: 0, retried: 0, failed: 0 };
      try {
        const outcome = (i: number) => outcomeOf(pending[i]?.index ?? -1);
        await this.settleOnce(
          pending.map((p) => p.write),
          outcome,
          attempt,
        );
        return addTally(tally, attempt);
      } catch (err) {
        if (!isDatabaseUnavailable(err) || this.options.stopped?.()) throw err;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        const done = await doneOutboxIds(this.options.db, outboxIdsOf(pending.map((p) => p.write))).catch(
          (error: unknown) => {
            if (isDatabaseUnavailable(error)) return new Set<string>();
            throw error;
          },
        );
        pending = pending.filter((p) => !p.write.items.every((item) => done.has(item.id)));
        if (pending.length === 0) return addTally(tally, attempt);
      }
    }
  }

  private async settleOnce(
    writes: PendingWrite[],
    outcomeOf: (index: number) => SaveOutcome,
    tally: SettleTally,
  ): Promise<void> {
    const { db, logger, orgId } = this.options;
    await db.transaction(async (tx) => {
      // What every written row needs is done once for the batch, at the end.
      const written: Settled = { outboxIds: [], telephony: [], salesforce: [] };
      for (let i = 0; i < writes.length; i++) {
        const write = writes[i];
        try {
          const side = await underSavepoint(tx, 'settle_write', () => this.settleOne(tx, write, outcomeOf(i), tally));
          if (side && (await this.callTaskChangedMeanwhile(tx, write, outcomeOf(i)))) continue;
          if (side) {
            written.outboxIds.push(...write.items.map((item) => item.id));
            const [healthSide, key] = healthKey(write);
            if (key) written[healthSide].push(key);
          }
        } catch (err) {
          // The database went away: nothing can be recorded, the rows stay claimed and the round fails
          // (logged once as an outage); a worker takes them back when it is here again.
          if (isDatabaseUnavailable(err)) throw err;
          logger.error(
            { err, recordId: write.recordId, contactId: write.contactId },
            'could not record a write-back outcome',
          );
          const info: SaveErrorInfo = {
            code: 'SETTLE_FAILED',
            message: `the outcome could not be recorded: ${(err as Error).message}`,
            fields: [],
            transient: false,
          };
          await this.fail(tx, write, info, tally);
        }
      }
      await completeOutbox(tx, written.outboxIds);
      await clearFailingHealth(tx, orgId, 'telephony', written.telephony);
      await clearFailingHealth(tx, orgId, 'salesforce', written.salesforce);
    });
  }

  /**
   * A call's Task that went through while a later report changed the call: its row is queued again as an update
   * of the Task (store/calls.ts settleCallTaskRow) instead of being completed. The Task's health entry and audit
   * are the write's own, already recorded.
   */
  private async callTaskChangedMeanwhile(tx: Queryable, write: PendingWrite, outcome: SaveOutcome): Promise<boolean> {
    const item = write.items.find((i) => i.callId);
    const taskId = write.operation === 'create' ? outcome.id : write.recordId;
    if (!item || !taskId) return false;
    return settleCallTaskRow(tx, item.id, item.payloadHash, taskId);
  }

  /** Records one outcome; true when the write went through (its row is completed with the batch). */
  private async settleOne(
    tx: Queryable,
    write: PendingWrite,
    outcome: SaveOutcome,
    tally: SettleTally,
  ): Promise<boolean> {
    const error = outcome.errors[0] ?? unknownError();
    const gone = write.operation === 'delete' && !outcome.success && ALREADY_DELETED.has(error.code);
    if (!outcome.success && !gone) {
      await this.fail(tx, write, error, tally);
      return false;
    }
    const { orgId, settings } = this.options;
    if (write.operation === 'create' && isCallTask(write)) {
      if (!outcome.id) throw new Error('Salesforce reported a create without a record id');
      const callId = write.items.find((item) => item.callId)?.callId as string;
      await recordCallTask(tx, callId, orgId, outcome.id);
      await auditWrite(
        tx,
        orgId,
        write,
        'call-logged',
        `call ${String(write.payload.CallObject)} logged as Task ${outcome.id}`,
      );
    } else if (write.operation === 'create') {
      if (!outcome.id || !write.contactId) throw new Error('Salesforce reported a create without a record id');
      await linkCreatedRecord(tx, settings, {
        orgId,
        contactId: write.contactId,
        sobject: write.sobject as SyncedObject,
        recordId: outcome.id,
        sent: write.payload,
      });
    } else if (write.operation === 'update') {
      const link = await findLinkByRecord(tx, orgId, write.recordId as string);
      if (link) {
        const sfValues = { ...(link.sfValues ?? {}), ...write.payload };
        await updateLink(tx, link.id, { sfValues, sfHash: stableHash(sfValues) });
      }
      await auditWrite(
        tx,
        orgId,
        write,
        'written-back',
        `${write.sobject} updated in Salesforce (${Object.keys(write.payload).join(', ')})`,
      );
    } else {
      await auditWrite(
        tx,
        orgId,
        write,
        'deleted-in-salesforce',
        gone
          ? `${write.sobject} was already deleted in Salesforce (${error.code})`
          : `${write.sobject} deleted in Salesforce`,
      );
    }
    tally.written++;
    return true;
  }

  /**
   * Retried with backoff while transient and under the attempt limit, else parked; either way visible in
   * record_health. An error an admin ignored for this record is not retried: the write is parked at once.
   */
  private async fail(tx: Queryable, write: PendingWrite, error: SaveErrorInfo, tally: SettleTally): Promise<void> {
    const { orgId } = this.options;
    // The user whose extension took the call was deactivated since the users were last pulled: the call is still
    // logged, owned by the integration user, rather than parked.
    if (error.code === 'INACTIVE_OWNER_OR_USER' && isCallTask(write) && 'OwnerId' in write.payload) {
      for (const item of write.items) await dropCallTaskOwner(tx, item.id);
      tally.retried++;
      return;
    }
    const attempts = Math.max(...write.items.map((i) => i.attempts)) + 1;
    const [side, key] = healthKey(write);
    const known = key && error.transient ? await getRecordHealth(tx, orgId, side, key) : null;
    const ignored = known?.ignoredAt != null && known.state === 'failing' && known.code === error.code;
    const park = !error.transient || ignored || attempts >= this.options.maxAttempts;
    const nextAttemptAt = park ? null : new Date(Date.now() + backoffMs(attempts));
    for (const item of write.items) {
      if (nextAttemptAt) await retryOutbox(tx, item.id, error, nextAttemptAt);
      else await failOutbox(tx, item.id, error);
    }
    if (key) {
      await setRecordHealth(tx, {
        orgId,
        side,
        key,
        sobject: write.sobject,
        recordId: write.recordId,
        contactId: write.contactId,
        state: 'failing',
        code: error.code,
        reason: `${write.operation} failed: ${error.message}${error.fields.length > 0 ? ` (${error.fields.join(', ')})` : ''}`,
        attempts,
        nextRetryAt: nextAttemptAt?.toISOString() ?? null,
      });
    }
    if (park) {
      await auditWrite(
        tx,
        orgId,
        write,
        'write-back-failed',
        `${error.code}: ${error.message}${ignored ? ' (ignored by an admin: not retried)' : ''}`,
      );
      tally.failed++;
    } else {
      tally.retried++;
    }
  }
}

/**
 * A create is about the directory contact (no record yet); updates and deletes about the Salesforce record; a
 * call's Task about the call (its own entry: a failing Task must not mark, nor a logged one clear, the contact's).
 */
function healthKey(write: PendingWrite): [HealthSide, string | null] {
  const callId = write.items.find((item) => item.callId)?.callId;
  if (callId) return ['telephony', taskHealthKey(callId)];
  return write.operation === 'create' ? ['telephony', write.contactId] : ['salesforce', write.recordId];
}

function auditWrite(tx: Queryable, orgId: string, write: PendingWrite, action: string, rule: string): Promise<void> {
  return recordAudit(tx, {
    orgId,
    contactId: write.contactId,
    recordId: write.recordId,
    origin: 'telephony',
    action,
    rule,
    before: null,
    after: write.operation === 'delete' ? null : write.payload,
  });
}

/**
 * A whole call failed. A bulk insert whose end was never seen may have run: sending it again could create
 * every record twice, so it is parked for an admin to check the job; updates and deletes are safe to repeat.
 */
export function callError(err: unknown, operation: OutboxOperation): SaveErrorInfo {
  if (err instanceof BulkIngestJobError)
    return { code: err.code, message: err.message, fields: [], transient: operation !== 'create' };
  return classifySaveError(err);
}

/** 2 s, 4 s, 8 s … capped at 5 minutes. */
function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** attempts);
}

/** The outcome of a write Salesforce said nothing about: transient, so it is sent again. */
export function unknownError(): SaveErrorInfo {
  return { code: 'UNKNOWN', message: 'Salesforce returned no result for this record', fields: [], transient: true };
}

function addTally(into: SettleTally, more: SettleTally): void {
  into.written += more.written;
  into.retried += more.retried;
  into.failed += more.failed;
}
