import type { SfValue } from '../../model/records';
import type { SaveOutcome } from '../../salesforce/saveErrors';
import { isCallTask, type PendingWrite } from './writeBackPlan';
import type { SettleTally, WriteBackSettler } from './writeBackSettle';
import { callError } from './writeBackSettle';

/**
 * Creates are made idempotent by a marker, not by trust in the answer: every created record carries its
 * directory contact's id (the package's Switchboard_Directory_Id__c), and a create that may already have
 * reached Salesforce — its row was claimed before (the worker died, or a call's answer was lost) — is
 * looked for by that id before it is sent again. One query per batch of such creates, none otherwise:
 * the org's API allocation is the scarce thing, and a doubt arises only after a failure.
 */
export interface CreateMarker {
  /** The field that carries the directory contact's id on records of `sobject`. */
  directoryIdField(sobject: string): string;
  /** Records of `sobject` carrying these directory ids, by directory id. */
  findByDirectoryIds(sobject: string, directoryIds: string[]): Promise<Map<string, string>>;
  /**
   * Tasks carrying these CallObject values (a call's Task carries its call id there), by CallObject: a
   * Task's marker is its own field, so a logged call is looked for before its Task is sent again.
   */
  findTasksByCallObject(callObjects: string[]): Promise<Map<string, string>>;
}

/** A create's values with the marker, when the writer knows the field. */
export function markedCreate(
  marker: Partial<CreateMarker>,
  sobject: string,
  write: PendingWrite,
): Record<string, SfValue> {
  if (!marker.directoryIdField || !write.contactId) return write.payload;
  return { ...write.payload, [marker.directoryIdField(sobject)]: write.contactId };
}

/**
 * Settles the creates of a round that Salesforce already made (found by their marker) as made, and
 * returns the ones still to send. Should the look itself fail, the doubtful creates wait for a retry
 * rather than risk a duplicate.
 */
export async function settleCreatesAlreadyMade(
  marker: Partial<CreateMarker>,
  settler: WriteBackSettler,
  sobject: string,
  writes: PendingWrite[],
  tally: SettleTally,
): Promise<PendingWrite[]> {
  const doubtful = writes.filter((w) => w.contactId !== null && w.items.some((i) => i.claims > 1));
  if (doubtful.length === 0 || !marker.findByDirectoryIds) return writes;
  let found: Map<string, string>;
  try {
    found = await marker.findByDirectoryIds(
      sobject,
      doubtful.map((w) => w.contactId as string),
    );
  } catch (err) {
    const info = { ...callError(err, 'update'), transient: true };
    await settler.settle(doubtful, () => ({ id: null, success: false, errors: [info] }), tally);
    return writes.filter((w) => !doubtful.includes(w));
  }
  const made = doubtful.filter((w) => found.has(w.contactId as string));
  if (made.length > 0) {
    const outcome = (i: number): SaveOutcome => ({
      id: found.get(made[i]?.contactId as string) ?? null,
      success: true,
      errors: [],
    });
    await settler.settle(made, outcome, tally);
  }
  return writes.filter((w) => !made.includes(w));
}

/**
 * Like settleCreatesAlreadyMade, for call Tasks: a doubtful one (claimed before) is looked for by its
 * CallObject — one query per batch — and settled as made when Salesforce has it.
 */
export async function settleTasksAlreadyMade(
  marker: Partial<CreateMarker>,
  settler: WriteBackSettler,
  writes: PendingWrite[],
  tally: SettleTally,
): Promise<PendingWrite[]> {
  const callObjectOf = (w: PendingWrite) => String(w.payload.CallObject ?? '');
  const doubtful = writes.filter((w) => isCallTask(w) && w.items.some((i) => i.claims > 1) && callObjectOf(w) !== '');
  if (doubtful.length === 0 || !marker.findTasksByCallObject) return writes;
  let found: Map<string, string>;
  try {
    found = await marker.findTasksByCallObject(doubtful.map(callObjectOf));
  } catch (err) {
    const info = { ...callError(err, 'update'), transient: true };
    await settler.settle(doubtful, () => ({ id: null, success: false, errors: [info] }), tally);
    return writes.filter((w) => !doubtful.includes(w));
  }
  const made = doubtful.filter((w) => found.has(callObjectOf(w)));
  if (made.length > 0) {
    await settler.settle(
      made,
      (i) => ({ id: found.get(callObjectOf(made[i] as PendingWrite)) ?? null, success: true, errors: [] }),
      tally,
    );
  }
  return writes.filter((w) => !made.includes(w));
}
