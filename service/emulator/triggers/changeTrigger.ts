import type { EmulatedOrg } from '../org/org';
import type { DmlBatch } from '../org/store';
import { publishEvents } from '../pubsub/eventBus';
import {
  CHANGE_EVENT_TOPIC,
  buildChangeEvents,
  candidateIds,
  changeContext,
  currentPayloads,
  deleteIdentities,
  packEvents,
  queriesNeeded,
  type PayloadRecord,
  type ProblemReporter,
} from './changeEvents';
import { activeSyncs } from './activeSyncs';
import type { SyncedObject } from './mappedFields';

export * from './changeEvents';

/**
 * Emulates the package's trigger handlers on Contact, Lead and Account: after each DML statement (one
 * trigger context) it publishes Switchboard_Change__e events (see changeEvents.ts) in one publish
 * call, with PublishAfterCommit, within the same per-transaction budget as the Apex handler
 * (SwitchboardChangeBudget): a transaction (one API call, see OrgStore.transaction) publishes inline
 * while the handler has made at most MAX_INLINE_QUERIES scope queries and MAX_INLINE_PUBLISHES
 * publishes; the context that would cross it, and every later one of the transaction, is deferred,
 * as the Apex hands it to a SwitchboardDeferredChanges Queueable: its candidate ids are taken now
 * (watched fields, no query), and after the transaction each deferred context is published by its
 * own call, read as the records are then, packed and numbered as the handler packs one context.
 *
 * The Apex budget also keeps a reserve of the transaction's own governor limits (queries, DML
 * statements and rows) for other code; the emulator runs no other code, and no emulated API call
 * reaches it (a REST collection has at most 200 rows and 10 chunks; each Bulk API chunk of 200 is its
 * own transaction), so only the handler's own counts are mirrored.
 */

/** SwitchboardChangeBudget.MAX_INLINE_QUERIES. */
export const MAX_INLINE_QUERIES = 10;
/** SwitchboardChangeBudget.MAX_INLINE_PUBLISHES. */
export const MAX_INLINE_PUBLISHES = 10;

export interface ChangeTriggerOptions {
  /**
   * A publish failure never undoes the committed DML (PublishAfterCommit); it is reported here, as
   * are the problems the handler would log (a mapped field that does not exist, a scope condition that
   * does not run). Default: written to stderr.
   */
  onError?: (error: unknown, batch: DmlBatch) => void;
}

/** A context handed to "the Queueable": what SwitchboardDeferredChanges holds. */
interface DeferredContext {
  batch: DmlBatch;
  sobject: SyncedObject;
  perSync: Array<{ syncId: string; ids: string[] }>;
  /** A delete's identities as the trigger saw them; undefined otherwise. */
  identities?: PayloadRecord[];
}

/** The handler's statics for one transaction. */
interface TransactionBudget {
  queries: number;
  publishes: number;
  deferring: boolean;
  /** sync id, operation and record id already handed to a deferred context. */
  deferredKeys: Set<string>;
  deferred: DeferredContext[];
}

const installed = new WeakSet<EmulatedOrg>();

/** Starts publishing change events for the org's DML; returns the uninstaller. */
export function installChangeTrigger(org: EmulatedOrg, options: ChangeTriggerOptions = {}): () => void {
  if (installed.has(org)) throw new Error(`the change trigger is already installed on org ${org.organizationId}`);
  installed.add(org);
  const onError =
    options.onError ??
    ((error: unknown, batch: DmlBatch) =>
      process.stderr.write(
        `change trigger: ${batch.operation} of ${batch.changes.length} ${batch.sobject}: ${String(error)}\n`,
      ));
  const budgets = new Map<number, TransactionBudget>();
  const budgetOf = (transaction: number | undefined): TransactionBudget => {
    const key = transaction ?? -1;
    let budget = budgets.get(key);
    if (!budget) {
      budget = { queries: 0, publishes: 0, deferring: false, deferredKeys: new Set(), deferred: [] };
      budgets.set(key, budget);
    }
    return budget;
  };
  const publish = (batch: DmlBatch, events: ReturnType<typeof buildChangeEvents>): void => {
    if (events.length > 0) publishEvents(org, CHANGE_EVENT_TOPIC, events, { createdById: batch.actor.userId });
  };

  const stopCommits = org.store.onCommit((batch) => {
    try {
      const context = changeContext(org, batch);
      if (!context) return;
      const report: ProblemReporter = (problem) => onError(problem, batch);
      const budget = budgetOf(batch.transaction);
      const queries = queriesNeeded(org, batch, context);
      if (!budget.deferring && budget.queries + queries <= MAX_INLINE_QUERIES) {
        budget.queries += queries;
        const events = buildChangeEvents(org, batch, report);
        if (events.length === 0) return;
        if (budget.publishes < MAX_INLINE_PUBLISHES) {
          // One EventBus.publish per trigger context.
          publish(batch, events);
          budget.publishes++;
          return;
        }
      }
      budget.deferring = true;
      const perSync = context.syncs
        .map((sync) => ({
          syncId: sync.id,
          ids: candidateIds(org, batch, context, sync, report).filter(
            (id) => !budget.deferredKeys.has(`${sync.id}:${batch.operation}:${id}`),
          ),
        }))
        .filter(({ ids }) => ids.length > 0);
      if (perSync.length === 0) return;
      for (const { syncId, ids } of perSync)
        for (const id of ids) budget.deferredKeys.add(`${syncId}:${batch.operation}:${id}`);
      budget.deferred.push({
        batch,
        sobject: context.sobject,
        perSync,
        identities: batch.operation === 'delete' ? deleteIdentities(context) : undefined,
      });
    } catch (err) {
      onError(err, batch);
    }
  });

  // After the commit, each deferred context is one Queueable: one publish, as the records are now.
  const stopTransactions = org.store.onTransactionEnd((transaction) => {
    const budget = budgets.get(transaction);
    budgets.delete(transaction);
    for (const deferred of budget?.deferred ?? []) {
      try {
        // The syncs active now, as the Queueable reads them (one deactivated since publishes nothing).
        const active = new Map(activeSyncs(org).map((sync) => [sync.id, sync]));
        const perSync = deferred.perSync.flatMap(({ syncId, ids }) => {
          const sync = active.get(syncId);
          if (!sync) return [];
          const records =
            deferred.identities ??
            currentPayloads(org, deferred.sobject, sync, ids, (problem) => onError(problem, deferred.batch));
          return [{ syncId, records }];
        });
        publish(deferred.batch, packEvents(deferred.batch.operation, deferred.sobject, perSync));
      } catch (err) {
        onError(err, deferred.batch);
      }
    }
  });
  return () => {
    stopCommits();
    stopTransactions();
    installed.delete(org);
  };
}
