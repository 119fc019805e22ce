/**
 * The mass-deletion guard: a Salesforce-side run of deletes that would take more than the admin's
 * threshold (Mass_Delete_Threshold__c, default 10 %) of the org's linked directory contacts is not
 * applied. Its deletes are staged in held_deletes (store/state/heldDeletes.ts), the sync pauses, and an
 * admin approves (resume) or discards them. This module is the rule alone: the callers read its inputs
 * from the store.
 *
 * What "a run" is:
 * - a reconcile: every delete that one reconcile run found (records deleted, and records that left the
 *   scope), all objects together;
 * - change events: a sliding window of EVENT_WINDOW_MINUTES — the deletes applied from events in that
 *   window plus the event at hand. A mass delete in Salesforce arrives as many events (200 records each,
 *   or one per record when deleted one by one), so judging each event alone would never trip.
 * The base is the org's linked records before the window's deletes (links now + deleted in the window),
 * so a slow drip and one big batch are judged alike.
 *
 * Small orgs: a percentage of a tiny base trips on nothing at all (1 delete of 3 contacts is 33 %), so the
 * guard never trips below MIN_DELETES_TO_TRIP deletes; up to that many are always applied. Once deletes
 * are held, every further delete is held too until the admin decides, so nothing slips past in between.
 */
export const MIN_DELETES_TO_TRIP = 5;
export const EVENT_WINDOW_MINUTES = 10;

export interface GuardInput {
  /** Links of the org now, before this run's deletes. */
  linked: number;
  /** Deletes already applied in the current window (0 for a reconcile run). */
  recent: number;
  /** Linked records this run would delete. */
  incoming: number;
  /** How many of them have a delete held already (counted in alreadyHeld: not counted twice). */
  incomingHeld?: number;
  thresholdPercent: number;
  /** Deletes already held for the org, waiting for an admin: Salesforce's and the directory's. */
  alreadyHeld: number;
  /** How many of alreadyHeld are directory deletes (queued deletes of Salesforce records). */
  heldDirectory?: number;
  /**
   * Whose deletes: Salesforce's (directory contacts would go, the default) or the directory's (queued
   * deletes of linked Salesforce records would be sent).
   */
  side?: 'salesforce' | 'telephony';
}

export interface GuardDecision {
  hold: boolean;
  /** Why the deletes are held, for the status, the org's last error and the audit log. */
  reason: string | null;
}

/** The guard's rule, pure: hold when the run's deletes reach the minimum and exceed the threshold. */
export function decideMassDelete(input: GuardInput): GuardDecision {
  const { linked, recent, incoming, thresholdPercent, alreadyHeld } = input;
  const telephony = input.side === 'telephony';
  if (incoming === 0) return { hold: false, reason: null };
  if (alreadyHeld > 0) {
    const what =
      telephony || (input.heldDirectory ?? 0) > 0
        ? "deletes are held for an admin's approval (mass-deletion guard), directory deletes included"
        : "Salesforce deletes are held for an admin's approval (mass-deletion guard)";
    return { hold: true, reason: `${alreadyHeld + incoming - (input.incomingHeld ?? 0)} ${what}` };
  }
  const deletes = recent + incoming;
  const base = linked + recent;
  const percent = base === 0 ? 100 : (deletes * 100) / base;
  if (deletes < MIN_DELETES_TO_TRIP || percent <= thresholdPercent) return { hold: false, reason: null };
  const share = `${deletes} of ${base}`;
  const pct = `(${percent.toFixed(1)} %)`;
  const limit = `above the ${thresholdPercent} % threshold`;
  return {
    hold: true,
    reason: telephony
      ? `mass deletion held: contacts deleted in the directory would delete ${share} linked Salesforce records ${pct}, ${limit}. ` +
        'Resume the sync to send the deletes to Salesforce, or discard them to keep the records'
      : `mass deletion held: ${share} linked contacts ${pct} would be deleted, ${limit}. ` +
        'Resume the sync to apply the deletes, or discard them to keep the contacts',
  };
}
