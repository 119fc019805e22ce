import { parse } from 'csv-parse/sync';
import { findField, type SObjectName } from '../org/schema';
import type { Actor, DmlResult, OrgStore, SfError } from '../org/store';
import { COLUMN_DELIMITERS, csvLine } from './csv-format';
import { BulkJob, creationFields, nextTurn, type CsvSettings, type JobInfoBase } from './job-common';
import type { IngestResultOrder } from './jobs';

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete';

export interface IngestJobInfo extends JobInfoBase {
  operation: IngestOperation;
  object: SObjectName;
  externalIdFieldName?: string;
  jobType: 'V2Ingest';
  contentUrl: string;
  numberRecordsFailed: number;
  apiActiveProcessingTime: number;
  apexProcessingTime: number;
}

/** Salesforce runs bulk DML in chunks of 200 records: each chunk is one trigger context. */
export const DML_CHUNK = 200;
/** Bulk API 2.0 sets a field to null with this value; an empty cell leaves it alone. */
const NULL_VALUE = '#N/A';

interface RowOutcome {
  row: string[];
  id: string;
  created?: boolean;
  error?: SfError;
}

const UNKNOWN_ERROR: SfError = {
  statusCode: 'UNKNOWN_EXCEPTION',
  message: 'The record failed without a reason',
  fields: [],
};

/** A job that cannot run: its CSV is malformed or names fields the object does not have. */
class JobFailure extends Error {}

/**
 * A Bulk API 2.0 ingest job: CSV uploads are kept as text until the job is closed, then parsed and
 * applied through the org store 200 rows per DML statement, yielding to the event loop between
 * chunks. Per-row failures are recorded with the row's original values for failedResults.
 */
export class IngestJob extends BulkJob<IngestJobInfo> {
  private readonly uploads: string[] = [];
  /** The uploaded header row, echoed in the results. */
  private header: string[] = [];
  /** The header's canonical field names, used for DML. */
  private fieldNames: string[] = [];
  private readonly outcomes: RowOutcome[] = [];
  private unprocessed: string[][] = [];
  private started = false;
  private abortRequested = false;
  /** How successfulResults and failedResults list their rows (see BulkJobs.ingestResultOrder). */
  resultOrder: IngestResultOrder = 'upload';

  constructor(
    id: string,
    actor: Actor,
    object: SObjectName,
    operation: IngestOperation,
    apiVersion: string,
    settings: CsvSettings,
    externalIdFieldName: string | undefined,
    private readonly store: OrgStore,
  ) {
    super(
      {
        id,
        operation,
        object,
        ...creationFields(actor, 'Open'),
        ...(externalIdFieldName ? { externalIdFieldName } : {}),
        concurrencyMode: 'Parallel',
        contentType: 'CSV',
        apiVersion: Number(apiVersion),
        jobType: 'V2Ingest',
        contentUrl: `services/data/v${apiVersion}/jobs/ingest/${id}/batches`,
        lineEnding: settings.lineEnding,
        columnDelimiter: settings.columnDelimiter,
        numberRecordsProcessed: 0,
        numberRecordsFailed: 0,
        retries: 0,
        totalProcessingTime: 0,
        apiActiveProcessingTime: 0,
        apexProcessingTime: 0,
      },
      actor,
    );
  }

  addUpload(csv: string): void {
    this.uploads.push(csv);
  }

  abort(): void {
    this.abortRequested = true;
    this.setState('Aborted');
  }

  /** Runs the job to JobComplete (or Failed, or stops where it was Aborted). */
  async process(delayMs: number): Promise<void> {
    const started = Date.now();
    await nextTurn(delayMs);
    if (this.abortRequested) return;
    this.started = true;
    this.setState('InProgress');
    let rows: string[][];
    try {
      rows = this.parseUploads();
    } catch (err) {
      if (!(err instanceof JobFailure)) throw err;
      this.setState('Failed', err.message);
      return;
    }
    for (let start = 0; start < rows.length; start += DML_CHUNK) {
      if (this.abortRequested) {
        this.unprocessed = rows.slice(start);
        return;
      }
      this.applyChunk(rows.slice(start, start + DML_CHUNK));
      this.info.totalProcessingTime = Date.now() - started;
      await nextTurn();
    }
    if (this.abortRequested) return;
    this.info.apiActiveProcessingTime = this.info.totalProcessingTime;
    this.setState('JobComplete');
  }

  successfulResultsCsv(): string {
    return this.resultsCsv(['sf__Id', 'sf__Created'], (outcome) =>
      outcome.error ? undefined : [outcome.id, String(outcome.created ?? false)],
    );
  }

  failedResultsCsv(): string {
    return this.resultsCsv(['sf__Id', 'sf__Error'], (outcome) =>
      outcome.error ? [outcome.id, formatError(outcome.error)] : undefined,
    );
  }

  unprocessedRecordsCsv(): string {
    // Until processing starts (and after an abort before it did) every uploaded row is unprocessed.
    const rows = this.started ? this.unprocessed : this.safeRows();
    const lines = rows.map((row) =>
      csvLine(
        row.map((value) => (value === '' ? null : value)),
        this.dialect,
      ),
    );
    return csvLine(this.header, this.dialect) + lines.join('');
  }

  private resultsCsv(prefix: string[], pick: (outcome: RowOutcome) => string[] | undefined): string {
    let out = csvLine([...prefix, ...this.header], this.dialect);
    const outcomes = this.resultOrder === 'reversed' ? [...this.outcomes].reverse() : this.outcomes;
    for (const outcome of outcomes) {
      const cells = pick(outcome);
      // Empty uploaded cells stay empty (unquoted), like nulls.
      if (cells) out += csvLine([...cells, ...outcome.row.map((value) => (value === '' ? null : value))], this.dialect);
    }
    return out;
  }

  private safeRows(): string[][] {
    try {
      return this.parseUploads();
    } catch {
      return [];
    }
  }

  /** Parses every upload (each with its own header row, all alike) and checks the columns. */
  private parseUploads(): string[][] {
    const rows: string[][] = [];
    this.uploads.forEach((csv, index) => {
      this.checkLineEnding(csv);
      let parsed: string[][];
      try {
        parsed = parse(csv, {
          delimiter: COLUMN_DELIMITERS[this.info.columnDelimiter],
          bom: true,
          skip_empty_lines: true,
        });
      } catch (err) {
        throw new JobFailure(`InvalidBatch : Failed to parse CSV in upload ${index + 1}: ${(err as Error).message}`);
      }
      const [header, ...data] = parsed;
      if (!header) return;
      if (index === 0) {
        this.fieldNames = this.checkHeader(header);
        this.header = header;
      } else if (header.join('\u0000') !== this.header.join('\u0000')) {
        throw new JobFailure(`InvalidBatch : upload ${index + 1} has a different header row from the first upload`);
      }
      rows.push(...data);
    });
    return rows;
  }

  private checkLineEnding(csv: string): void {
    const firstBreak = csv.indexOf('\n');
    if (firstBreak < 0) return;
    const crlf = csv[firstBreak - 1] === '\r';
    if (crlf !== (this.info.lineEnding === 'CRLF')) {
      throw new JobFailure(
        `ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${this.info.lineEnding}`,
      );
    }
  }

  /** Canonical field names for the header; unknown columns fail the job as on the platform. */
  private checkHeader(header: string[]): string[] {
    const canonical = header.map((column) => {
      const def = findField(this.info.object, column.trim(), this.store.personAccounts);
      if (!def) throw new JobFailure(`InvalidBatch : Field name not found : ${column}`);
      return def.name;
    });
    const needsId = this.info.operation === 'update' || this.info.operation === 'delete';
    if (needsId && !canonical.includes('Id')) {
      throw new JobFailure(`InvalidBatch : Field name not provided: Id (required for ${this.info.operation})`);
    }
    return canonical;
  }

  /** One DML chunk; an upsert splits into its update part (rows with an Id) and insert part. */
  private applyChunk(rows: string[][]): void {
    const { object, operation } = this.info;
    const records = rows.map((row) => this.recordOf(row));
    const run = (indexes: number[], op: 'insert' | 'update' | 'delete'): void => {
      if (indexes.length === 0) return;
      const subset = indexes.map((i) => records[i]);
      let results: DmlResult[];
      if (op === 'delete')
        results = this.store.delete(
          object,
          subset.map((r) => String(r.Id ?? '')),
          this.actor,
        );
      else if (op === 'update') results = this.store.update(object, subset, this.actor);
      else results = this.store.insert(object, subset, this.actor);
      results.forEach((result, k) => {
        const row = rows[indexes[k]];
        const id = result.id ?? String(records[indexes[k]].Id ?? '');
        this.outcomes.push(
          result.success
            ? { row, id, created: result.created }
            : { row, id: result.id ?? '', error: result.errors[0] ?? UNKNOWN_ERROR },
        );
        this.info.numberRecordsProcessed++;
        if (!result.success) this.info.numberRecordsFailed++;
      });
    };
    const all = rows.map((_row, i) => i);
    if (operation === 'upsert') {
      const hasId = (i: number): boolean => typeof records[i].Id === 'string' && records[i].Id !== '';
      run(all.filter(hasId), 'update');
      run(
        all.filter((i) => !hasId(i)),
        'insert',
      );
    } else {
      run(all, operation);
    }
  }

  /** A row as DML input: empty cells are left out, #N/A means null. */
  private recordOf(row: string[]): Record<string, unknown> {
    const record: Record<string, unknown> = {};
    this.fieldNames.forEach((name, i) => {
      const value = row[i] ?? '';
      if (value === '') return;
      record[name] = value === NULL_VALUE ? null : value;
    });
    return record;
  }
}

/** failedResults' sf__Error: `CODE:message:field,field --`, as the platform writes it. */
function formatError(error: SfError): string {
  return `${error.statusCode}:${error.message}:${error.fields.join(',')} --`;
}
