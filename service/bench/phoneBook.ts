import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import pino from 'pino';
import { createAccessKey } from '../src/deviceAccess/accessKeys';
import { requireAccessKey } from '../src/deviceAccess/requireAccessKey';
import { phoneBookRouter } from '../src/phonebook/feedRoute';
import { migrate } from '../src/store/migrate';
import type { Database } from '../src/store/types';
import { figure } from './harness/figures';
import { scratchDatabase } from './harness/scratchDatabase';

/** The targets for a 100,000-contact Yealink book. */
const TARGET_LAST_BYTE_S = 2;
const TARGET_RSS_GROWTH_MB = 50;
/** A search answers while the phone's user waits at the keypad. */
const TARGET_SEARCH_MS = 100;

/**
 * A phone book of `contacts` contacts (two numbers each, names with umlauts), served as Yealink XML by the feed route
 * behind a real access key on loopback, in this process (the service's side): time to first and last byte of the
 * whole book, the process's RSS and heap growth while it streams (sampled every 10 ms; the client only counts
 * bytes), an unchanged book's 304, and searches (name prefix, keypad digits, a number) on the full book.
 */
export async function runPhoneBookBench(options: { contacts: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-phonebook-'));
  const scratch = await scratchDatabase(dir);
  const server = http.createServer();
  try {
    const db = scratch.db;
    await migrate(db);
    await seed(db, options.contacts);
    const { key } = await createAccessKey(db, {
      name: 'bench phones',
      scopes: ['phonebook'],
      rateLimitPerMinute: 1_000_000,
    });
    const logger = pino({ level: 'warn' });
    const app = express();
    app.use(
      phoneBookRouter({
        db,
        logger,
        publicUrl: 'http://127.0.0.1',
        defaultCountry: 'DE',
        authenticate: requireAccessKey({ db, scope: 'phonebook', logger, failure: 'json' }),
      }),
    );
    server.on('request', app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const path = `/phonebook/yealink?key=${key}`;
    const label = `phone book of ${options.contacts} contacts, Yealink (${scratch.kind})`;

    const cold = await fetchBook(port, path);
    const warm = await fetchBook(port, path);
    figure(`${label}: time to last byte, first request`, cold.lastByteMs / 1000, 's', TARGET_LAST_BYTE_S);
    figure(`${label}: time to first byte`, warm.firstByteMs, 'ms', 0);
    figure(`${label}: time to last byte`, warm.lastByteMs / 1000, 's', TARGET_LAST_BYTE_S);
    figure(`${label}: body size`, warm.bytes / 1024 / 1024, 'MB', 0);
    figure(`${label}: service RSS growth while streaming`, warm.rssGrowth / 1024 / 1024, 'MB', TARGET_RSS_GROWTH_MB);
    figure(`${label}: service heap growth while streaming`, warm.heapGrowth / 1024 / 1024, 'MB', TARGET_RSS_GROWTH_MB);

    const notModified = await fetchBook(port, path, { 'If-None-Match': warm.etag });
    if (notModified.status !== 304) throw new Error(`expected 304, got ${notModified.status}`);
    figure(`${label}: unchanged book (If-None-Match → 304)`, notModified.lastByteMs, 'ms', TARGET_SEARCH_MS);

    for (const [what, q] of [
      ['name prefix "Müller 470" (a few)', 'Müller 470'],
      ['keypad digits "685537470" (Müller 470…, a few)', '685537470'],
      ['number "030 555 004 711" (one)', '030 555 004 711'],
      ['name prefix "Mül" (a tenth of the book)', 'Mül'],
    ] as const) {
      await fetchBook(port, `${path}&q=${encodeURIComponent(q)}`); // plans and caches warm, as on a phone's second search
      const search = await fetchBook(port, `${path}&q=${encodeURIComponent(q)}`);
      figure(`${label}: search by ${what}, ${search.entries} found`, search.lastByteMs, 'ms', TARGET_SEARCH_MS);
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const FIRST = ['Anna', 'Jürgen', 'Zoë', 'Ada', 'Łukasz', 'Émile', 'Søren', 'Charles', 'Grace', 'Ömer'];
const LAST = ['Müller', 'Schröder', 'Lovelace', 'Babbage', 'Hopper', 'Çelik', 'Nowak', 'Weiß', 'Dubois', 'Øster'];

/** `contacts` contacts with a work and a mobile number each, in one statement per 10,000. */
export async function seed(db: Database, contacts: number): Promise<void> {
  for (let from = 1; from <= contacts; from += 10_000) {
    const to = Math.min(contacts, from + 9_999);
    await db.query(
      `WITH c AS (
         INSERT INTO directory_contacts (first_name, last_name, company, source)
         SELECT ($1::text[])[1 + n % 10], ($2::text[])[1 + (n / 10) % 10] || ' ' || n, 'Firma ' || (n % 500), 'salesforce'
         FROM generate_series($3::int, $4::int) n
         RETURNING id, last_name),
       n AS (SELECT id, substring(last_name from '[0-9]+$')::int AS n FROM c)
       INSERT INTO directory_phones (contact_id, kind, raw, e164, position)
       SELECT id, 'work', '030 555' || lpad(n::text, 6, '0'), '+4930555' || lpad(n::text, 6, '0'), 0 FROM n
       UNION ALL
       SELECT id, 'mobile', '+49 170 ' || lpad(n::text, 7, '0'), '+49170' || lpad(n::text, 7, '0'), 1 FROM n`,
      [FIRST, LAST, from, to],
    );
  }
  await db.query('ANALYZE directory_contacts');
  await db.query('ANALYZE directory_phones');
}

interface Fetched {
  status: number;
  etag: string;
  bytes: number;
  entries: number;
  firstByteMs: number;
  lastByteMs: number;
  rssGrowth: number;
  heapGrowth: number;
}

/** One GET; the body is counted, never kept, so the memory sampled is the service's. */
function fetchBook(port: number, path: string, headers: Record<string, string> = {}): Promise<Fetched> {
  const rssBefore = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  let rssPeak = rssBefore;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 10);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers }, (res) => {
        let firstByteMs = -1;
        let bytes = 0;
        let entries = 0;
        res.on('data', (chunk: Buffer) => {
          if (firstByteMs < 0) firstByteMs = performance.now() - started;
          bytes += chunk.length;
          entries += chunk.toString('latin1').split('<DirectoryEntry>').length - 1;
        });
        res.on('end', () => {
          clearInterval(sampler);
          resolve({
            status: res.statusCode ?? 0,
            etag: String(res.headers.etag ?? ''),
            bytes,
            entries,
            firstByteMs: Math.max(0, firstByteMs),
            lastByteMs: performance.now() - started,
            rssGrowth: rssPeak - rssBefore,
            heapGrowth: heapPeak - heapBefore,
          });
        });
        res.on('error', reject);
      })
      .on('error', (error) => {
        clearInterval(sampler);
        reject(error);
      });
  });
}
