/**
 * Which dead workers' rows a worker may take back. A worker looks dead the moment its lock connection
 * breaks, though its process — and a call it has on its way to Salesforce — may live on; it takes its
 * lock again at once (store/outbox/claimants.ts). So a worker seen dead counts as dead only when it is
 * still dead `confirmMs` after it was first seen so: by then a live one holds its lock again, and a call a
 * dying process had made has ended in Salesforce one way or the other (so a create it made is found by
 * its marker instead of being sent twice). Pure bookkeeping: the caller asks the database.
 */
export class DeadClaimWatch {
  private readonly firstSeen = new Map<string, number>();

  constructor(
    private readonly confirmMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Of the workers that look dead now, the ones seen dead for at least confirmMs. */
  confirmed(lookDead: readonly string[]): string[] {
    const at = this.now();
    for (const id of [...this.firstSeen.keys()]) if (!lookDead.includes(id)) this.firstSeen.delete(id);
    for (const id of lookDead) if (!this.firstSeen.has(id)) this.firstSeen.set(id, at);
    return lookDead.filter((id) => at - (this.firstSeen.get(id) ?? at) >= this.confirmMs);
  }

  /** When a sighting not yet confirmed will be (epoch ms), or null when none waits. */
  nextConfirmationAt(): number | null {
    if (this.firstSeen.size === 0) return null;
    return Math.min(...this.firstSeen.values()) + this.confirmMs;
  }
}
