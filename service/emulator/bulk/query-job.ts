import type { Actor, OrgStore } from '../org/store';
import type { CompiledQuery } from '../soql/compile';
import { QueryResults } from '../soql/results';
import { csvCell } from './csv-format';
import { BulkJob, creationFields, type CsvSettings, type JobInfoBase } from './job-common';

export interface QueryJobInfo extends JobInfoBase {
  operation: 'query' | 'queryAll';
  jobType: 'V2Query';
}

/** One page of results: the CSV text, its row count and where the next page starts (if any). */
export interface ResultsPage {
  chunks: string[];
  numberOfRecords: number;
  nextPosition?: number;
}

/** Below this many records, a filtered query's count is taken at completion; above, as pages are read. */
const EAGER_COUNT_LIMIT = 50_000;
/** Pages are handed to the response in pieces of about this many characters. */
const CHUNK_CHARS = 64 * 1024;

/**
 * A Bulk API 2.0 query job. Nothing is materialised up front: each results page re-enters the
 * query at its locator's row position (free for the page that follows the last one served) and
 * encodes rows straight to CSV, so memory stays at one page however large the org.
 */
export class QueryJob extends BulkJob<QueryJobInfo> {
  private results?: QueryResults;

  constructor(
    id: string,
    actor: Actor,
    readonly query: CompiledQuery,
    operation: 'query' | 'queryAll',
    apiVersion: string,
    settings: CsvSettings,
    private readonly store: OrgStore,
  ) {
    super(
      {
        id,
        operation,
        object: query.sobject,
        ...creationFields(actor, 'UploadComplete'),
        concurrencyMode: 'Parallel',
        contentType: 'CSV',
        apiVersion: Number(apiVersion),
        jobType: 'V2Query',
        lineEnding: settings.lineEnding,
        columnDelimiter: settings.columnDelimiter,
        numberRecordsProcessed: 0,
        retries: 0,
        totalProcessingTime: 0,
      },
      actor,
    );
  }

  /** The job's "processing": the record count where it is cheap to know; otherwise it is learnt while paging. */
  complete(): void {
    const started = Date.now();
    const results = this.resultsCursor();
    const { query } = this;
    const cheap =
      (query.scanOrdered && !query.where && this.info.operation === 'query') ||
      this.store.count(query.sobject) <= EAGER_COUNT_LIMIT;
    if (cheap) this.info.numberRecordsProcessed = results.total();
    this.info.totalProcessingTime = Date.now() - started;
    this.setState('JobComplete');
  }

  /** Up to `maxRecords` rows (and about `maxChars` of CSV) starting at row `position`. */
  page(position: number, maxRecords: number, maxChars: number): ResultsPage {
    const results = this.resultsCursor();
    results.seek(position);
    const { columns } = this.query;
    const { delimiter, newline } = this.dialect;
    const readers = columns.map((column) => column.read);
    const parents = results.parents;
    const chunks: string[] = [];
    let lines: string[] = [columns.map((column) => csvCell(column.path.path)).join(delimiter)];
    let lineChars = 0;
    let chars = 0;
    let rows = 0;
    while (rows < maxRecords && chars + lineChars < maxChars) {
      const record = results.next();
      if (!record) break;
      let line = csvCell(readers[0](record, parents));
      for (let i = 1; i < readers.length; i++) line += delimiter + csvCell(readers[i](record, parents));
      lines.push(line);
      lineChars += line.length + 1;
      rows++;
      if (lineChars >= CHUNK_CHARS) {
        chunks.push(lines.join(newline) + newline);
        chars += lineChars;
        lines = [];
        lineChars = 0;
      }
    }
    if (lines.length > 0) chunks.push(lines.join(newline) + newline);
    const more = results.hasMore();
    if (!more) this.info.numberRecordsProcessed = results.position;
    else this.info.numberRecordsProcessed = Math.max(this.info.numberRecordsProcessed, results.position);
    return { chunks, numberOfRecords: rows, nextPosition: more ? results.position : undefined };
  }

  private resultsCursor(): QueryResults {
    this.results ??= new QueryResults(this.store, this.query, this.info.operation === 'queryAll');
    return this.results;
  }
}

/** Locators look like the platform's (`MTAwMDA`: base64 of the row offset), opaque to clients. */
export function encodeLocator(position: number): string {
  return Buffer.from(String(position)).toString('base64').replace(/=+$/, '');
}

export function decodeLocator(locator: string): number | undefined {
  const text = Buffer.from(locator, 'base64').toString();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}
