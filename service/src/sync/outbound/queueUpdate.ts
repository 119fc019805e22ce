import type { Queryable } from '../../store/types';
import { enqueueOutbox } from '../../store/outbox/outbox';
import { stableHash } from '../rules/hash';

/** The linked Salesforce record a write-back goes to (the outbox row keeps its id: the link may go first). */
export interface UpdateTarget {
  orgId: string;
  linkId: string;
  sobject: string;
  recordId: string;
}

/** Queues an update of `payload` to one linked record, in the caller's transaction. */
export async function queueRecordUpdate(
  tx: Queryable,
  target: UpdateTarget,
  contactId: string,
  payload: Record<string, unknown>,
): Promise<void> {
  await enqueueOutbox(tx, { ...target, contactId, operation: 'update', payload, payloadHash: stableHash(payload) });
}
