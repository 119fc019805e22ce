/**
 * The outbox: telephony-side changes waiting to be written to Salesforce. One import for every user of
 * it; each part lives in its own module by who uses it.
 */
export {
  OUTBOX_OPERATIONS,
  OUTBOX_STATES,
  type NewOutboxItem,
  type OutboxError,
  type OutboxItem,
  type OutboxOperation,
  type OutboxState,
} from './outboxItem';
export { claimOutboxBatch, type ClaimOptions } from './outboxClaim';
export {
  completeOutbox,
  doneOutboxIds,
  enqueueOutbox,
  extendOutboxLease,
  failOutbox,
  outboxBacklog,
  releaseOutbox,
  retryOutbox,
  type OutboxBacklog,
} from './outboxQueue';
export {
  listOutbox,
  outboxStats,
  parkRetries,
  pruneOutbox,
  requeueFailedOutbox,
  retryWritesNow,
  type ListOutboxOptions,
  type OutboxStats,
} from './outboxAdmin';
export {
  activeCreateFor,
  cancelPendingCreates,
  pendingOutboxForContact,
  recordsWithQueuedUpdates,
  refreshPendingCreate,
  trimPendingUpdates,
  type TrimmedUpdates,
} from './outboxPending';
export { deadClaimants, releaseDeadClaims, releaseOwnClaims, startClaimant, type Claimant } from './claimants';
