import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from '../src/http/app';
import { migrate } from '../src/store/migrate';
import { upsertOrg } from '../src/store/state/orgs';
import { createAccessKey } from '../src/deviceAccess/accessKeys';
import { MAX_RATE_LIMIT_PER_MINUTE } from '../src/deviceAccess/keySettings';
import type { Database } from '../src/store/types';
import { figure } from './harness/figures';
import { scratchDatabase } from './harness/scratchDatabase';

/** The targets on real Postgres: at least 5,000 lookups a second, p99 at most 5 ms. */
const TARGET_PER_SECOND = 5000;
const TARGET_P99_MS = 5;
const CONNECTIONS = 32;
/** Share of lookups for numbers the directory holds; the rest are unknown callers (an empty answer). */
const HIT_RATIO = 0.9;
const ROWS_PER_STATEMENT = 250_000;

/**
 * Caller-ID lookups (GET /callerid/<number> through the whole app: host check, access key, number rules,
 * the indexed query, the name) against a directory of `contacts` contacts, each with a work and a mobile
 * number and a link to a Contact, Lead or Person Account. The load comes from autocannon in a separate
 * process (callerIdLoad.ts) at concurrency 32: 90 % known numbers drawn at random, 10 % unknown. A short
 * warm-up run first (connection pool, prepared statements, the index in the buffer cache), then the
 * measured one. Real Postgres when DATABASE_URL is set, PGlite otherwise (one connection: expect less).
 */
export async function runCallerIdBench(options: { contacts: number; seconds?: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-callerid-'));
  const scratch = await scratchDatabase(dir);
  const server = http.createServer();
  try {
    await migrate(scratch.db);
    const loadStarted = performance.now();
    await loadDirectory(scratch.db, options.contacts);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const { key } = await createAccessKey(scratch.db, {
      name: 'bench pbx',
      scopes: ['callerid'],
      rateLimitPerMinute: MAX_RATE_LIMIT_PER_MINUTE,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on(
      'request',
      createApp({
        db: scratch.db,
        logger: pino({ level: process.env.BENCH_LOG ?? 'silent' }, pino.destination(2)),
        apiToken: 'bench-token-0123456789abcdefghij',
        demo: false,
        publicUrl: base,
        defaultCountry: 'US',
        settingsOf: () => undefined,
        orgs: () => [],
        onWriteBackQueued: () => undefined,
      }),
    );
    const label = `caller-ID lookups, ${options.contacts} contacts, concurrency ${CONNECTIONS} (${scratch.kind})`;
    process.stderr.write(`${label}: directory loaded in ${loadSeconds.toFixed(1)} s\n`);
    await runLoad(`${base}/callerid/`, key, options.contacts, 3);
    const result = await runLoad(`${base}/callerid/`, key, options.contacts, options.seconds ?? 15);
    figure(`${label}: throughput`, result.requests.average, 'requests/s', TARGET_PER_SECOND);
    figure(`${label}: p50 latency`, result.latency.p50, 'ms', TARGET_P99_MS);
    figure(`${label}: p99 latency`, result.latency.p99, 'ms', TARGET_P99_MS);
    figure(
      `${label}: answers other than 200, errors and timeouts`,
      result.non2xx + result.errors + result.timeouts,
      'requests',
      0,
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** One autocannon run in its own process (callerIdLoad.ts); its JSON result. */
function runLoad(prefix: string, key: string, contacts: number, seconds: number): Promise<LoadResult> {
  const script = join(__dirname, 'callerIdLoad.ts');
  const args = [
    '--import',
    'tsx',
    script,
    prefix,
    key,
    String(contacts),
    String(CONNECTIONS),
    String(seconds),
    String(HIT_RATIO),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load generator exited with code ${code}`));
      else resolve(JSON.parse(output.trim().split('\n').pop() ?? '{}') as LoadResult);
    });
  });
}

/**
 * `contacts` contacts in set-based statements: contact i is "First<i> Last<i>" with the work number
 * benchNumber(i) (+1 212 3xx xxxx, callerIdLoad.ts) and a mobile +1 646 3xx xxxx, linked to a Contact (7 in
 * 10), a Lead (2 in 10) or a Person Account of one org. Then ANALYZE, as after any large load.
 */
async function loadDirectory(db: Database, contacts: number): Promise<void> {
  await upsertOrg(db, {
    id: 'bench',
    name: 'Bench org',
    loginUrl: 'https://login.example.com',
    instanceUrl: 'https://bench.my.salesforce.com',
  });
  for (let from = 1; from <= contacts; from += ROWS_PER_STATEMENT) {
    const to = Math.min(contacts, from + ROWS_PER_STATEMENT - 1);
    const range = [from - 1, to - 1];
    await db.query(
      `INSERT INTO directory_contacts (id, first_name, last_name, company, email, source)
       SELECT md5('c' || i)::uuid, 'First' || i, 'Last' || i, 'Company ' || (i % 5000), 'c' || i || '@example.com', 'salesforce'
       FROM generate_series($1::int, $2::int) i`,
      range,
    );
    await db.query(
      `INSERT INTO directory_phones (contact_id, kind, raw, e164, position)
       SELECT md5('c' || i)::uuid, k.kind, k.prefix || (3000000 + i), k.prefix || (3000000 + i), k.position
       FROM generate_series($1::int, $2::int) i
       CROSS JOIN (VALUES ('work', '+1212', 0), ('mobile', '+1646', 1)) AS k(kind, prefix, position)`,
      range,
    );
    await db.query(
      `INSERT INTO links (org_id, contact_id, sobject, record_id, sf_modstamp)
       SELECT 'bench', md5('c' || i)::uuid,
              CASE WHEN i % 10 < 7 THEN 'Contact' WHEN i % 10 < 9 THEN 'Lead' ELSE 'Account' END,
              'R' || lpad(i::text, 17, '0'), now() - (i % 1000) * interval '1 minute'
       FROM generate_series($1::int, $2::int) i`,
      range,
    );
  }
  await db.query('ANALYZE');
}
