import type { Logger } from 'pino';
import type { Database, Queryable } from '../../store/types';
import { completeOutbox, failOutbox, retryOutbox, type OutboxOperation } from '../../store/outbox/outbox';
import { recordAudit } from '../../store/audit';
import { clearFailingHealth, getRecordHealth, setRecordHealth, type HealthSide } from '../../store/state/recordHealth';
import type { SyncedObject } from '../../model/records';
import { classifySaveError, type SaveErrorInfo, type SaveOutcome } from '../../salesforce/saveErrors';
import { BulkIngestJobError } from '../../salesforce/bulk/bulkIngest';
import { contactsLinkedIn, findLinkByRecord, updateLink } from '../../store/state/links';
import { underSavepoint } from '../../store/savepoint';
import { stableHash } from '../rules/hash';
import { linkCreatedRecord } from './telephonyCreate';
import type { OrgSyncSettings } from '../rules/context';
import type { PendingWrite } from './writeBackPlan';

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
}

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
   * Settles a sent batch in one transaction, each write under a savepoint: a write whose bookkeeping
   * fails (say its contact vanished in an unexpected way) is parked with the reason, and the others
   * still commit — a batch Salesforce accepted is never left claimed, to be sent again.
   */
  async settle(writes: PendingWrite[], outcomeOf: (index: number) => SaveOutcome, tally: SettleTally): Promise<void> {
    const { db, logger, orgId } = this.options;
    await db.transaction(async (tx) => {
      // What every written row needs is done once for the batch, at the end.
      const written: Settled = { outboxIds: [], telephony: [], salesforce: [] };
      for (let i = 0; i < writes.length; i++) {
        const write = writes[i];
        try {
          const side = await underSavepoint(tx, 'settle_write', () => this.settleOne(tx, write, outcomeOf(i), tally));
          if (side) {
            written.outboxIds.push(...write.items.map((item) => item.id));
            const [healthSide, key] = healthKey(write);
            if (key) written[healthSide].push(key);
          }
        } catch (err) {
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
    if (write.operation === 'create') {
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

/** A create is about the directory contact (no record yet); updates and deletes about the Salesforce record. */
function healthKey(write: PendingWrite): [HealthSide, string | null] {
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
