import type { OrgStore, SfRecord } from '../org/store';
import type { CompiledQuery } from './compile';
import { compareKeys, sortKey, type SortKey } from './field-kinds';
import { ParentLookup } from './paths';

/**
 * A resumable walk over a query's result rows (after WHERE, ORDER BY, OFFSET and LIMIT).
 *
 * Unordered queries (and ORDER BY Id) stream straight from the store's scan, holding nothing but
 * the scan position and, for each row position a page started at, the store index it was found at:
 * going back to a served page (a retried locator) resumes the scan there. Other orderings
 * materialise only the matching records' sort keys and ids, sort them, and fetch each record again
 * as it is emitted.
 */
export class QueryResults {
  readonly parents: ParentLookup;
  private emitted = 0;
  private stream?: Iterator<SfRecord>;
  private sortedIds?: string[];
  /** Next index into sortedIds, relative to OFFSET. */
  private sortedNext = 0;
  private peeked?: SfRecord;
  private exhausted = false;
  /** The last record the scan stream gave (scan-ordered queries). */
  private lastScanned?: SfRecord;
  /** Row position → store scan index of that row, remembered at every seek. */
  private readonly resumePoints = new Map<number, number>();

  constructor(
    private readonly store: OrgStore,
    readonly query: CompiledQuery,
    readonly includeDeleted: boolean,
  ) {
    this.parents = new ParentLookup(store);
  }

  /** How many rows have been taken so far: the index of the next row. */
  get position(): number {
    return this.emitted;
  }

  next(): SfRecord | undefined {
    if (this.peeked) {
      const record = this.peeked;
      this.peeked = undefined;
      this.emitted++;
      return record;
    }
    const record = this.pull();
    if (record) this.emitted++;
    return record;
  }

  hasMore(): boolean {
    if (this.peeked) return true;
    this.peeked = this.pull();
    return this.peeked !== undefined;
  }

  /**
   * Moves to row `position`: free when it is the current one; otherwise the scan resumes at the
   * nearest remembered row at or before it and walks on from there.
   */
  seek(position: number): void {
    this.rememberResumePoint();
    if (position === this.emitted) return;
    this.peeked = undefined;
    this.exhausted = false;
    this.emitted = 0;
    this.stream = undefined;
    this.lastScanned = undefined;
    if (this.query.scanOrdered) {
      const resume = this.resumePointAtOrBefore(position);
      if (resume) {
        this.emitted = resume.position;
        this.stream = this.matching(resume.scanIndex);
      }
      while (this.emitted < position && this.pull()) this.emitted++;
    } else {
      this.emitted = position;
      this.sortedNext = position;
    }
  }

  /** The number of rows the whole result has (walks the matches once unless the store knows). */
  total(): number {
    const { query } = this;
    let matches: number;
    if (!query.scanOrdered) matches = this.sorted().length;
    else if (!query.where && !this.includeDeleted) matches = this.store.count(query.sobject);
    else {
      matches = 0;
      for (const _record of this.matching()) matches++;
    }
    const afterOffset = Math.max(0, matches - query.offset);
    return query.limit === undefined ? afterOffset : Math.min(afterOffset, query.limit);
  }

  private rememberResumePoint(): void {
    if (!this.query.scanOrdered) return;
    const next = this.peeked ?? this.lastScanned;
    if (!next) return;
    // The peeked record is the next row itself; after the last one taken, the next row lies beyond it.
    this.resumePoints.set(this.emitted, this.store.scanIndexOf(next.Id) + (this.peeked ? 0 : 1));
  }

  private resumePointAtOrBefore(position: number): { position: number; scanIndex: number } | undefined {
    let best: { position: number; scanIndex: number } | undefined;
    for (const [at, scanIndex] of this.resumePoints) {
      if (at <= position && (!best || at > best.position)) best = { position: at, scanIndex };
    }
    return best;
  }

  private pull(): SfRecord | undefined {
    if (this.exhausted) return undefined;
    const { limit } = this.query;
    if (limit !== undefined && this.emitted >= limit) {
      this.exhausted = true;
      return undefined;
    }
    const record = this.query.scanOrdered ? this.pullScanned() : this.pullSorted();
    if (!record) this.exhausted = true;
    return record;
  }

  private pullScanned(): SfRecord | undefined {
    if (!this.stream) {
      this.stream = this.matching();
      for (let skipped = 0; skipped < this.query.offset; skipped++) {
        if (this.stream.next().done) return undefined;
      }
    }
    const step = this.stream.next();
    if (step.done) return undefined;
    this.lastScanned = step.value;
    return step.value;
  }

  private pullSorted(): SfRecord | undefined {
    const ids = this.sorted();
    // Records deleted since the sort drop out, as they would from a live cursor.
    while (this.query.offset + this.sortedNext < ids.length) {
      const record = this.recordById(ids[this.query.offset + this.sortedNext++]);
      if (record) return record;
    }
    return undefined;
  }

  private recordById(id: string): SfRecord | undefined {
    const { sobject } = this.query;
    return this.store.get(sobject, id) ?? (this.includeDeleted ? this.store.getDeleted(sobject, id) : undefined);
  }

  private *matching(fromIndex = 0): Generator<SfRecord> {
    const { where, sobject } = this.query;
    const parents = this.parents;
    for (const record of this.store.scan(sobject, this.includeDeleted, fromIndex)) {
      if (!where || where(record, parents)) yield record;
    }
  }

  private sorted(): string[] {
    if (this.sortedIds) return this.sortedIds;
    const keys = this.query.orderBy;
    const entries: Array<{ keys: Array<SortKey | null>; id: string }> = [];
    for (const record of this.matching()) {
      entries.push({ keys: keys.map((key) => sortKey(key.kind, key.read(record, this.parents))), id: record.Id });
    }
    // Array.prototype.sort is stable: ties keep the scan's Id order.
    entries.sort((a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const x = a.keys[i];
        const y = b.keys[i];
        if (x === y) continue;
        if (x === null || y === null) return (x === null ? -1 : 1) * (keys[i].nullsLast ? -1 : 1);
        const order = compareKeys(x, y) * (keys[i].descending ? -1 : 1);
        if (order !== 0) return order;
      }
      return 0;
    });
    this.sortedIds = entries.map((entry) => entry.id);
    return this.sortedIds;
  }
}
