import pg from 'pg';
import { figure } from './harness/figures';

/** The directory tables the initial sync fills, in an order COPY can load them (foreign keys). */
const TABLES = ['directory_contacts', 'directory_phones', 'links'];

/** The size of the blocks an export is kept in. */
const BLOCK_BYTES = 1 << 20;

/**
 * COPY … TO STDOUT / FROM STDIN over the wire protocol: `pg` runs any object with these handlers as a
 * query (what pg-copy-streams does), which saves a dependency for a benchmark's reference figure.
 */
class CopyQuery implements pg.Submittable {
  readonly out: Buffer[] = [];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  rowCount = 0;
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (err: Error) => void;

  constructor(
    private readonly text: string,
    private readonly input: Buffer[] = [],
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's internal Connection is untyped in @types/pg
  submit(connection: any): void {
    connection.query(this.text);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's internal Connection, as above
  handleCopyInResponse(connection: any): void {
    for (const chunk of this.input) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }
  handleCopyData(message: { chunk: Buffer }): void {
    // One message per row: kept as a Buffer each, a million rows' headers alone outgrew a 384 MB heap (the service's
    // production flag). Rows are gathered into blocks of about a megabyte. The chunk is a view into pg's read
    // buffer, which the next message overwrites: copied.
    this.pending.push(Buffer.from(message.chunk));
    this.pendingBytes += message.chunk.length;
    if (this.pendingBytes >= BLOCK_BYTES) this.flushBlock();
  }
  private flushBlock(): void {
    if (this.pending.length === 0) return;
    this.out.push(Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }
  handleCommandComplete(message: { text: string }): void {
    this.flushBlock();
    this.rowCount = Number(message.text.split(' ').pop()) || 0;
  }
  // After an error pg drops the query: no handleReadyForQuery follows.
  handleError(err: Error): void {
    this.reject(err);
  }
  handleReadyForQuery(): void {
    this.resolve();
  }
  handleCopyOutResponse(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}

async function copy(client: pg.Client, text: string, input?: Buffer[]): Promise<CopyQuery> {
  const query = new CopyQuery(text, input);
  client.query(query);
  await query.done;
  return query;
}

/**
 * The reference: the rows the initial sync just wrote (contacts, phones, links), exported and loaded again
 * by a raw COPY FROM STDIN into empty copies of the same tables (same indexes and constraints) — no
 * mapping, no parsing, no checks. Only the load is timed. Postgres only: PGlite's COPY reads files.
 */
export async function copyReference(databaseUrl: string, contacts: number, target: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const data: Buffer[][] = [];
    for (const table of TABLES) {
      data.push((await copy(client, `COPY ${table} TO STDOUT`)).out);
      await client.query(`CREATE TABLE ref_${table} (LIKE ${table} INCLUDING ALL)`);
    }
    await client.query(
      'ALTER TABLE ref_directory_phones ADD FOREIGN KEY (contact_id) REFERENCES ref_directory_contacts (id)',
    );
    await client.query('ALTER TABLE ref_links ADD FOREIGN KEY (contact_id) REFERENCES ref_directory_contacts (id)');
    const started = performance.now();
    let rows = 0;
    await client.query('BEGIN');
    for (const [i, table] of TABLES.entries())
      rows += (await copy(client, `COPY ref_${table} FROM STDIN`, data[i])).rowCount;
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    const label = `raw COPY of the same ${contacts} contacts with phones and links (${rows} rows, postgres)`;
    figure(`${label}: time`, seconds, 's', target);
    figure(`${label}: throughput`, contacts / seconds, 'contacts/s', contacts / target);
  } finally {
    // Outside any transaction a failed COPY may have left open.
    await client.query('ROLLBACK');
    for (const table of TABLES) await client.query(`DROP TABLE IF EXISTS ref_${table} CASCADE`);
    await client.end();
  }
}
