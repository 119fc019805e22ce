import type { Logger } from 'pino';
import type { Database } from '../../store/types';
import type { SfValue } from '../../model/records';
import { findOrgLinksByRecords } from '../../store/state/links';
import type { ApiBudget } from './apiBudget';
import { changedValues } from './writeBackPayload';
import type { PendingWrite } from './writeBackPlan';
import { callError } from './writeBackSettle';

/** What the check needs of the worker: the records it reads, and where the links live. */
export interface SalesforceEditsCheck {
  db: Database;
  orgId: string;
  logger: Logger;
  budget?: ApiBudget;
  records: {
    currentValues?(
      sobject: string,
      recordIds: string[],
      fields: string[],
    ): Promise<Map<string, Record<string, SfValue>>>;
  };
}

/**
 * Leaves out of each update the fields Salesforce changed since the values the write was based on (the
 * link's last known ones) to a value other than the write's own: a person's edit whose event has not been
 * applied yet — it waits in a restart's backlog, or the bus is slow. Sent anyway, the older telephony edit would land over it and
 * the edit's event would then be applied to the directory alone. Left out, the edit's event decides by
 * the conflict rules (and queues the telephony value again when telephony wins). One query per round;
 * should it fail, the round goes as it is.
 */
export async function withoutSalesforceEdits(
  check: SalesforceEditsCheck,
  sobject: string,
  writes: PendingWrite[],
): Promise<PendingWrite[]> {
  const { records, db, orgId, budget, logger } = check;
  if (!records.currentValues || writes.length === 0) return writes;
  const ids = writes.map((w) => w.recordId as string);
  const fields = [...new Set(writes.flatMap((w) => Object.keys(w.payload)))];
  let current: Map<string, Record<string, SfValue>>;
  try {
    current = await records.currentValues(sobject, ids, fields);
  } catch (err) {
    logger.warn({ sobject, code: callError(err, 'update').code }, 'write-back: could not read the records first');
    return writes;
  } finally {
    await budget?.afterCall();
  }
  const links = await findOrgLinksByRecords(db, orgId, ids);
  let heldBack = 0;
  const out = writes.map((write) => {
    const now = current.get(write.recordId as string);
    const base = links.get(write.recordId as string)?.sfValues;
    if (!now || !base) return write;
    const sent = Object.keys(write.payload).filter((f) => f in base && f in now);
    // Salesforce holding this write's own value is no edit: an earlier attempt landed, its answer lost.
    const ours = changedValues(pick(now, sent), pick(write.payload, sent));
    const edited = new Set(Object.keys(changedValues(pick(now, sent), base)).filter((f) => f in ours));
    if (edited.size === 0) return write;
    heldBack += edited.size;
    return { ...write, payload: Object.fromEntries(Object.entries(write.payload).filter(([f]) => !edited.has(f))) };
  });
  if (heldBack > 0)
    logger.info(
      { sobject, fields: heldBack },
      'write-back: fields changed in Salesforce meanwhile are left to its events',
    );
  return out;
}

function pick(values: Record<string, SfValue>, fields: string[]): Record<string, SfValue> {
  return Object.fromEntries(fields.map((f) => [f, values[f] ?? null]));
}
