/**
 * The LDAP mirror against a private slapd (test/support/slapd.ts) on loopback:
 * - initial mirror: N directory contacts (bulk-loaded, two numbers each) mirrored into an empty
 *   slapd, from the mirror's start until its change cursor has passed every contact (then counted in LDAP);
 * - full resync: a full resync over the same N entries, nothing to write (reads and compares);
 * - change latency p50 / p99: a contact edited in the directory until slapd answers the new value
 *   (one edit at a time, watched with an ldapts search every 2 ms from this process).
 * Skipped with a line on stderr where slapd is missing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import pino from 'pino';
import { insertContactsBulk, type NewBulkContact } from '../src/directory/bulkLoad';
import { updateContact } from '../src/directory/contacts';
import { decodeCursor, readDirectoryChanges, START_CURSOR } from '../src/directory/changes';
import { LdapMirror } from '../src/ldapMirror/mirror';
import { migrate } from '../src/store/migrate';
import { getLdapMirrorState } from '../src/store/devices/ldapMirror';
import type { Database } from '../src/store/types';
import { slapdUnavailable, startSlapd } from '../test/support/slapd';
import { figure, percentile } from './harness/figures';
import { scratchDatabase } from './harness/scratchDatabase';

const BASE_DN = 'ou=phonebook,dc=example,dc=com';

function contactNumber(i: number): NewBulkContact {
  const digits = String(1_000_000 + i).slice(1);
  return {
    id: randomUUID(),
    fields: {
      firstName: ['Jürgen', 'Anna', 'Zoë', 'Ryan', 'Bob'][i % 5],
      lastName: `Müller ${i}`,
      company: `Firma ${i % 500}`,
      title: null,
      email: `person${i}@example.com`,
      phones: [
        { kind: 'work', raw: `030 55${digits}`, e164: `+493055${digits}`, extension: null },
        { kind: 'mobile', raw: `0171 55${digits}`, e164: `+4917155${digits}`, extension: null },
      ],
    },
  };
}

async function caughtUp(db: Database): Promise<boolean> {
  const state = await getLdapMirrorState(db, '0-0');
  const cursor = decodeCursor(state.changeCursor) ?? START_CURSOR;
  return (await readDirectoryChanges(db, cursor, 1)).changes.length === 0;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function runLdapMirrorBench(options: { contacts: number; edits: number }): Promise<void> {
  const missing = slapdUnavailable();
  if (missing) {
    process.stderr.write(`ldap-mirror benchmark skipped: ${missing}\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-ldap-'));
  const scratch = await scratchDatabase(dir);
  const slapd = await startSlapd();
  const reader = new Client({ url: slapd.url });
  let mirror: LdapMirror | undefined;
  try {
    const { db } = scratch;
    await migrate(db);
    const ids: string[] = [];
    for (let start = 0; start < options.contacts; start += 5000) {
      const page = Array.from({ length: Math.min(5000, options.contacts - start) }, (_, k) => contactNumber(start + k));
      await insertContactsBulk(db, page, 'telephony');
      ids.push(...page.map((c) => c.id));
    }
    mirror = new LdapMirror({
      db,
      logger: pino({ level: 'warn' }),
      settings: { url: slapd.url, bindDn: slapd.rootDn, bindPassword: slapd.rootPassword, baseDn: BASE_DN },
      // The service's defaults (500 per batch, the feed read every 250 ms once caught up).
    });
    const started = process.hrtime.bigint();
    await mirror.start();
    await until(() => caughtUp(db), 'the initial mirror', 3_600_000);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await reader.bind(slapd.rootDn, slapd.rootPassword);
    const listed = await reader.search(BASE_DN, { scope: 'one', filter: '(uid=*)', attributes: ['1.1'] });
    if (listed.searchEntries.length !== options.contacts) {
      throw new Error(`LDAP holds ${listed.searchEntries.length} entries, the directory ${options.contacts}`);
    }
    const label = `LDAP mirror (${scratch.kind}, slapd on loopback)`;
    figure(`${label}: initial mirror of ${options.contacts} contacts, time`, seconds, 's', 0);
    figure(`${label}: initial mirror throughput`, options.contacts / seconds, 'contacts/s', 0);

    const resyncStart = process.hrtime.bigint();
    await mirror.requestResync('benchmark');
    await until(async () => (await getLdapMirrorState(db, '0-0')).resync.finishedAt !== null, 'the resync', 3_600_000);
    figure(
      `${label}: full resync of ${options.contacts} unchanged entries, time`,
      Number(process.hrtime.bigint() - resyncStart) / 1e9,
      's',
      0,
    );

    const latencies: number[] = [];
    for (let i = 0; i < options.edits; i++) {
      const id = ids[(i * 7919) % ids.length];
      const title = `Edit ${i}`;
      const editedAt = process.hrtime.bigint();
      await updateContact(db, id, { title });
      for (;;) {
        const { searchEntries } = await reader.search(`uid=${id},${BASE_DN}`, { scope: 'base', attributes: ['title'] });
        if (searchEntries[0]?.title === title) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      latencies.push(Number(process.hrtime.bigint() - editedAt) / 1e6);
    }
    latencies.sort((a, b) => a - b);
    // "Within seconds" (issue 14): held to one second.
    figure(`${label}: change latency p50 (directory commit → slapd answers it)`, percentile(latencies, 50), 'ms', 1000);
    figure(`${label}: change latency p99 (directory commit → slapd answers it)`, percentile(latencies, 99), 'ms', 1000);
  } finally {
    await mirror?.stop();
    await reader.unbind().catch(() => undefined);
    await slapd.destroy();
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
