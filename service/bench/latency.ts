import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { serviceConfigFor } from '../emulator/serviceConfig';
import { startService } from '../src/service';
import { openDatabase } from '../src/store/db';
import { startEmulator } from '../emulator';
import type { RawPubSubEvent } from '../src/salesforce/changeEvent';
import { figure, percentile } from './figures';

/**
 * Incremental latency: a person edits Contacts in Salesforce at a steady rate; the figure is the time from
 * the edit's commit to the directory transaction that applied it (Pub/Sub delivery, decode, apply, commit).
 */
export async function runLatencyBench(options: { changes: number; perSecond: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const contacts = Math.max(options.changes, 100);
  const emulator = await startEmulator({
    certDir: join(dir, 'certs'),
    seed: { contacts, leads: 0, businessAccounts: 5, personAccounts: 0, users: 2 },
    personAccounts: false,
    keepaliveMs: 1000,
  });
  const db = await openDatabase(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: join(dir, 'data') });
  const config = serviceConfigFor(emulator, join(dir, 'data'), 'Bench org');
  const service = await startService(config, { logger: pino({ level: 'silent' }), db, initialSync: false });
  const org = service.orgs[0];
  try {
    while (!org.subscriber.live) await new Promise((r) => setTimeout(r, 20));
    const committedAt = new Map<string, number>();
    const latencies: number[] = [];
    let events = 0;
    const done = new Promise<void>((resolve) => {
      org.subscriber.on('applied', (event: RawPubSubEvent) => {
        events++;
        const appliedAt = performance.now();
        for (const record of JSON.parse(String(event.payload.Payload__c)) as Array<{ Id: string }>) {
          const at = committedAt.get(record.Id);
          if (at === undefined) continue;
          committedAt.delete(record.Id);
          latencies.push(appliedAt - at);
        }
        if (latencies.length >= options.changes) resolve();
      });
    });
    const store = emulator.org.store;
    const intervalMs = 1000 / options.perSecond;
    const started = performance.now();
    for (let i = 0; i < options.changes; i++) {
      const due = started + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const id = store.idFor('Contact', i);
      committedAt.set(id, performance.now());
      store.update('Contact', [{ Id: id, Title: `Bench ${i}` }], emulator.org.adminUser);
    }
    await done;
    const sorted = [...latencies].sort((a, b) => a - b);
    figure('incremental latency p50 (Salesforce commit → directory row)', percentile(sorted, 50), 'ms', 500);
    figure('incremental latency p99 (Salesforce commit → directory row)', percentile(sorted, 99), 'ms', 500);
    figure('incremental changes applied per second', (options.changes / (performance.now() - started)) * 1000, 'changes/s', options.perSecond);
    figure('events delivered for the single-record edits', events, 'events', options.changes);
  } finally {
    await service.close();
    await emulator.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
