import { makeId } from '../org/ids';
import type { SfRecord } from '../org/store';
import type { ParentLookup } from './paths';
import type { RestRecord } from './rest-records';
import type { QueryResults } from './results';

export interface QueryCursor {
  id: string;
  results: QueryResults;
  totalSize: number;
  batchSize: number;
  shape: (record: SfRecord, parents: ParentLookup) => RestRecord;
}

/**
 * Server-side query cursors behind `nextRecordsUrl`. Like the platform, only a limited number stay
 * open per user; the least recently used one is dropped first, and a later request for it gets
 * INVALID_QUERY_LOCATOR.
 */
export class QueryCursors {
  private readonly open = new Map<string, QueryCursor>();
  private counter = 0;

  constructor(
    private readonly orgNumber: number,
    private readonly capacity = 50,
  ) {}

  add(cursor: Omit<QueryCursor, 'id'>): QueryCursor {
    // Query locators carry the 01g key prefix, as on the platform.
    const entry: QueryCursor = { ...cursor, id: makeId('01g', this.orgNumber, ++this.counter) };
    this.open.set(entry.id, entry);
    while (this.open.size > this.capacity) {
      const oldest = this.open.keys().next().value;
      if (oldest === undefined) break;
      this.open.delete(oldest);
    }
    return entry;
  }

  get(id: string): QueryCursor | undefined {
    const cursor = this.open.get(id);
    if (cursor) {
      this.open.delete(id);
      this.open.set(id, cursor);
    }
    return cursor;
  }

  close(id: string): void {
    this.open.delete(id);
  }
}
