import { makeId } from '../org/ids';
import type { EmulatedOrg } from '../org/org';
import type { IngestJob } from './ingest-job';
import type { QueryJob } from './query-job';

export interface BulkOptions {
  /**
   * Rows per results page when the client passes no maxRecords. Unset, pages are bounded only by
   * `maxPageChars`, like the platform's size-based pages, so a large result spans several locators.
   * Note that jsforce 3.10's `bulk2.query` mishandles more than one page (it pipes every page into
   * one CSV parser that the first page ends: "write after end", or later header rows read as
   * records); clients should page by Sforce-Locator themselves.
   */
  defaultMaxRecords?: number;
  /** Upper bound on one results page, in characters of CSV. Default 32 MiB. */
  maxPageChars?: number;
  /** How long query and ingest jobs stay UploadComplete/InProgress before they run. Default 0. */
  processingDelayMs?: number;
}

export type IngestResultOrder = 'upload' | 'reversed';

export const DEFAULT_MAX_PAGE_CHARS = 32 * 1024 * 1024;

/** The org's Bulk API 2.0 jobs, shared by every router mounted for it. */
export class BulkJobs {
  readonly queryJobs = new Map<string, QueryJob>();
  readonly ingestJobs = new Map<string, IngestJob>();
  /** Query results pages sent, in order (job and row position): lets tests see what a client read twice. */
  readonly resultsServed: Array<{ jobId: string; position: number }> = [];
  /**
   * The order ingest results are listed in. Salesforce does not promise the upload order (its docs say so),
   * so tests set 'reversed' to prove a client matches results by content, not position.
   */
  ingestResultOrder: IngestResultOrder = 'upload';
  private counter = 0;
  private pendingQueryFailures: string[] = [];
  private resultsHold: { left: number; gate: Promise<void>; reached(): void } | undefined;

  constructor(private readonly orgNumber: number) {}

  /** Bulk job ids carry the 750 key prefix. */
  nextJobId(): string {
    return makeId('750', this.orgNumber, ++this.counter);
  }

  /** Fault injection: the next `count` query jobs end in state Failed with `errorMessage`. */
  failNextQueryJobs(count: number, errorMessage = 'Internal error while processing the query'): void {
    for (let i = 0; i < count; i++) this.pendingQueryFailures.push(errorMessage);
  }

  /**
   * Test control, not platform behaviour: `pages` more results pages are served, then each next page is
   * built (its rows read as of the request, as the job's stored results would be) and held until
   * release() — a stalled download, during which a test can stop the client or change records.
   * `reached` resolves once a page is being held.
   */
  holdResultsAfter(pages: number): { reached: Promise<void>; release(): void } {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    this.resultsHold = { left: pages, gate, reached };
    return {
      reached: reachedPromise,
      release: () => {
        this.resultsHold = undefined;
        release();
      },
    };
  }

  /** Waits while a hold applies to the page about to be sent. */
  async resultsTurn(): Promise<void> {
    const hold = this.resultsHold;
    if (!hold) return;
    if (hold.left > 0) {
      hold.left--;
      return;
    }
    hold.reached();
    await hold.gate;
  }

  /** The injected failure for a new query job, if one is pending. */
  takeQueryFailure(): string | undefined {
    return this.pendingQueryFailures.shift();
  }
}

const registries = new WeakMap<EmulatedOrg, BulkJobs>();

export function bulkJobsOf(org: EmulatedOrg): BulkJobs {
  let jobs = registries.get(org);
  if (!jobs) {
    jobs = new BulkJobs(org.orgNumber);
    registries.set(org, jobs);
  }
  return jobs;
}
