import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { serviceConfigFor } from '../emulator/serviceConfig';
import { startService } from '../src/service';
import { figure } from './harness/figures';
import { startEmulatorProcess } from './harness/emulatorProcess';
import { scratchDatabase } from './harness/scratchDatabase';
import { copyReference } from './copyReference';

/** The target: a million Contacts in a minute (scaled to the size run), in at most 512 MB. */
const TARGET_SECONDS_PER_MILLION = 60;
const TARGET_RSS_MB = 512;

/**
 * Initial sync of `contacts` emulated Contacts into an empty directory, as the service runs it (Bulk API
 * 2.0 over HTTPS, mapping, phone parsing, set-based writes, checkpoints). The emulator runs in a child
 * process, so this process is the service: its peak RSS is sampled every 50 ms. Then the same rows are
 * loaded again by a raw COPY, the floor any loader of this schema stands on (Postgres only).
 */
export async function runInitialSyncBench(options: { contacts: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-initial-'));
  const emulator = await startEmulatorProcess({ contacts: options.contacts, certDir: join(dir, 'certs') });
  const scratch = await scratchDatabase(dir);
  const config = serviceConfigFor(emulator, join(dir, 'data'), 'Bench org');
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  // The load's own account of where its time went (writing vs waiting for pages), from its log.
  const timing = { writeMs: 0, waitMs: 0, lookupMs: 0, batchMs: 0, perRecordMs: 0 };
  const logger = pino(
    { level: 'info' },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { msg?: string } & Partial<typeof timing>;
        if (entry.msg !== 'initial sync loaded an object') return;
        for (const key of Object.keys(timing) as Array<keyof typeof timing>) timing[key] += entry[key] ?? 0;
      },
    },
  );
  const service = await startService(config, { logger, db: scratch.db, initialSync: true });
  let closed = false;
  try {
    const org = service.orgs[0];
    // It starts once the subscriber is live (subscribe first, snapshot second).
    while (!['done', 'failed'].includes(org.status().initialSync.state)) await new Promise((r) => setTimeout(r, 200));
    const status = await org.initialSyncSettled();
    clearInterval(sampler);
    if (status.state !== 'done') throw new Error(`the initial sync ended ${status.state}: ${status.error ?? ''}`);
    const seconds = (Date.parse(status.finishedAt ?? '') - Date.parse(status.startedAt ?? '')) / 1000;
    const label = `initial sync of ${options.contacts} Contacts (${scratch.kind})`;
    const target = (TARGET_SECONDS_PER_MILLION * options.contacts) / 1_000_000;
    figure(`${label}: time`, seconds, 's', target);
    figure(`${label}: throughput`, status.done / seconds, 'records/s', 1_000_000 / TARGET_SECONDS_PER_MILLION);
    figure(`${label}: peak RSS of the service process`, peakRss / 1024 / 1024, 'MB', TARGET_RSS_MB);
    figure(`${label}: time spent writing pages to the directory`, timing.writeMs / 1000, 's', target);
    figure(`${label}: time spent waiting for the next page (download, parse, map)`, timing.waitMs / 1000, 's', 0);
    figure(
      `${label}: of the writes, looking up what the directory knows of each page's rows`,
      timing.lookupMs / 1000,
      's',
      0,
    );
    figure(
      `${label}: of the writes, set-based inserts (contacts, phones, links, exclusions)`,
      timing.batchMs / 1000,
      's',
      0,
    );
    figure(
      `${label}: of the writes, per-record rules (joins by match key, known records)`,
      timing.perRecordMs / 1000,
      's',
      0,
    );
    const { rows } = await scratch.db.query<{ batched: number }>(
      `SELECT coalesce(sum((after->>'records')::int), 0)::int AS batched FROM audit_log WHERE action = 'create' AND rule LIKE 'initial sync % in one batch %'`,
    );
    figure(`${label}: records written in set-based batches`, (rows[0].batched / status.done) * 100, '%', 100);
    // The first reconcile after the load looks again at everything the load changed (since its start): on the
    // telephony side, every contact it wrote — passed over in SQL when still at the version its link saw.
    const reconcile = await org.reconciler.runNow('benchmark: first reconcile after the initial sync');
    figure(
      `${label}: first reconcile after it (${reconcile.telephony.checked} directory contacts read, ${reconcile.telephony.unchanged} passed over unread, ${reconcile.telephony.repaired} repaired)`,
      reconcile.ms / 1000,
      's',
      0,
    );
    figure(`${label}: first reconcile after it, as a share of the load`, (reconcile.ms / 1000 / seconds) * 100, '%', 5);
    // The service stops first: its work after the load (the record status fields) would slow the reference.
    await service.close();
    closed = true;
    if (scratch.url) await copyReference(scratch.url, options.contacts, target);
  } finally {
    clearInterval(sampler);
    if (!closed) await service.close();
    await emulator.close();
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
