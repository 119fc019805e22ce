/**
 * Every Postgres advisory lock namespace Switchboard takes, in one place: two features that picked the same
 * number shared a lock without knowing it — the statistics upkeep once took "SWB4" key 0, which is the lock over
 * every match key, and each of its ANALYZE runs held up every record's match (the inbound apply) until it ended.
 * The numbers are "SWB" and a digit in ASCII, so they never meet another application's locks; a new one takes
 * the next digit here (test/store/advisoryLocks.test.ts checks they differ and that no other file spells one).
 */
export const ADVISORY_LOCKS = {
  /** The org's subscriber election (store/state/leadership.ts), key hashtext(org id). */
  leadership: 0x53574231,
  /** One record's match keys (store/state/matchKeyLocks.ts), key hashtext(key). */
  matchKey: 0x53574232,
  /** Live write-back workers (store/outbox/claimants.ts), key hashtext(worker id). */
  claimant: 0x53574233,
  /** Every match key at once (store/state/matchKeyLocks.ts), key 0: shared per record, exclusive per load page. */
  allMatchKeys: 0x53574234,
  /** CardDAV names and UIDs (directory/carddavResources.ts). */
  cardResource: 0x53574235,
  /** Directory writers, key 0 (directory/changes.ts; migration 023's trigger spells it as 1398227510). */
  directoryWriters: 0x53574236,
  /** Call ids (store/calls.ts), key hashtext(call id). */
  callId: 0x53574237,
  /** The planner statistics' upkeep (store/plannerStatistics.ts), key 0. */
  statisticsUpkeep: 0x53574238,
} as const;
