import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { serviceConfigFor } from '../emulator/serviceConfig';
import { startService } from '../src/service';
import { openDatabase } from '../src/store/db';
import { makeId } from '../emulator/org/ids';
import { SCHEMA } from '../emulator/org/schema';
import { startEmulatorProcess, type EmulatorProcess } from './emulatorProcess';
import type { RawPubSubEvent } from '../src/salesforce/pubsub/changeEvent';
import { figure, percentile } from './figures';
import { countingDatabase, startUsage } from './usage';

/**
 * Incremental latency: a person edits Contacts in Salesforce at a steady rate; the figure is the time from
 * the edit's commit to the directory transaction that applied it (Pub/Sub delivery, decode, apply, commit).
 * The emulated org runs in a process of its own (its triggers, event bus and gRPC server would otherwise
 * share this process's one thread with the service); edits go through its control API, and the commit
 * time is taken when the edit is sent, which counts the request's handling against the service.
 */
export async function runLatencyBench(options: { changes: number; perSecond: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const contacts = Math.max(options.changes, 100);
  const emulator = await startEmulatorProcess({ contacts, certDir: join(dir, 'certs'), keepaliveMs: 1000 });
  const edit = uiEditor(emulator);
  const db = await openDatabase(
    process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: join(dir, 'data') },
  );
  const counting = countingDatabase(db);
  const config = serviceConfigFor(emulator, join(dir, 'data'), 'Bench org');
  const service = await startService(config, {
    logger: pino({ level: process.env.BENCH_LOG ?? 'silent' }, pino.destination(2)),
    db: counting.db,
    initialSync: false,
  });
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
    const intervalMs = 1000 / options.perSecond;
    const statementsBefore = counting.statements();
    const usage = startUsage(emulator.pid);
    const started = performance.now();
    const edits: Array<Promise<void>> = [];
    for (let i = 0; i < options.changes; i++) {
      const due = started + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // The emulator's first org is org number 1: its Contact ids are a pure function of the index.
      const id = makeId(SCHEMA.Contact.keyPrefix, 1, i);
      // The commit happens while the request is handled: timing from the send counts that against us too.
      committedAt.set(id, performance.now());
      edits.push(edit(id, { Title: `Bench ${i}` }));
    }
    await Promise.all(edits);
    await done;
    const used = usage();
    const statements = counting.statements() - statementsBefore;
    const sorted = [...latencies].sort((a, b) => a - b);
    figure('incremental latency p50 (Salesforce commit → directory row)', percentile(sorted, 50), 'ms', 500);
    figure('incremental latency p99 (Salesforce commit → directory row)', percentile(sorted, 99), 'ms', 500);
    figure(
      'incremental changes applied per second',
      (options.changes / (performance.now() - started)) * 1000,
      'changes/s',
      options.perSecond,
    );
    figure('events delivered for the single-record edits', events, 'events', options.changes);
    // Figures that do not move with how busy the machine is (the status reporter's and the API's share included).
    figure('incremental: SQL statements per applied change', statements / options.changes, 'statements', 0);
    figure(
      "incremental: service CPU per applied change (this process, the edits' requests included)",
      (used.serviceCpuMs * 1000) / options.changes,
      'µs',
      0,
    );
    figure('incremental: emulator CPU share during the run (of one core)', used.emulatorShare, '%', 0);
  } finally {
    await service.close();
    await emulator.close();
    edit.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Edits a Contact as a person in the UI would (the package trigger publishes); resolves once committed. */
function uiEditor(
  emulator: EmulatorProcess,
): ((id: string, fields: Record<string, unknown>) => Promise<void>) & { close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: readFileSync(emulator.certPath) });
  const base = new URL(emulator.instanceUrl);
  const edit = (id: string, fields: Record<string, unknown>) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify(fields);
      const req = request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method: 'PATCH',
          path: `/__emulator/ui/Contact/${id}`,
          headers: {
            authorization: `Bearer ${emulator.clientSecret}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode !== undefined && res.statusCode < 300
              ? resolve()
              : reject(new Error(`emulator edit of ${id}: HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return Object.assign(edit, { close: () => agent.destroy() });
}
