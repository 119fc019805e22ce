import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { serviceConfigFor } from '../../emulator/serviceConfig';
import { startService, type RunningService } from '../../src/service';
import { openDatabase } from '../../src/store/db';
import type { Database } from '../../src/store/types';
import { startEmulatorProcess, type EmulatorProcess } from './emulatorProcess';
import { scratchDatabase } from './scratchDatabase';
import { countingDatabase } from './usage';
import { uiEditor } from './uiEditor';

/** A service whose org the initial sync has loaded, the emulator in its own process, and a way to edit as people do. */
export interface LoadedOrg {
  service: RunningService;
  emulator: EmulatorProcess;
  edit: ReturnType<typeof uiEditor>;
  /** SQL statements the service has sent so far (usage.ts countingDatabase). */
  statements: () => number;
  kind: Database['kind'];
  close(): Promise<void>;
}

/**
 * Starts the emulator with `contacts` Contacts, the service on a scratch database ('postgres': of
 * DATABASE_URL's server; 'pglite': embedded), waits for the initial sync to load every record and the
 * subscriber to be live, and runs the first reconcile after the load (which a live service runs on its
 * schedule), so that what a benchmark measures next is its own changes alone.
 */
export async function startLoadedOrg(options: { contacts: number; backend: Database['kind'] }): Promise<LoadedOrg> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-loaded-'));
  const emulator = await startEmulatorProcess({
    contacts: options.contacts,
    certDir: join(dir, 'certs'),
    keepaliveMs: 1000,
  });
  const scratch =
    options.backend === 'postgres' ? await scratchDatabase(dir) : await embeddedDatabase(join(dir, 'data'));
  const counting = countingDatabase(scratch.db);
  const service = await startService(serviceConfigFor(emulator, join(dir, 'data'), 'Bench org'), {
    logger: pino({ level: process.env.BENCH_LOG ?? 'silent' }, pino.destination(2)),
    db: counting.db,
    initialSync: true,
  });
  const edit = uiEditor(emulator);
  const close = async () => {
    edit.close();
    await service.close();
    await emulator.close();
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const org = service.orgs[0];
    while (!['done', 'failed'].includes(org.status().initialSync.state)) await new Promise((r) => setTimeout(r, 100));
    const status = await org.initialSyncSettled();
    if (status.state !== 'done') throw new Error(`the initial sync ended ${status.state}: ${status.error ?? ''}`);
    while (!org.subscriber.live) await new Promise((r) => setTimeout(r, 20));
    await org.reconciler.runNow('benchmark: settle after the initial sync');
  } catch (err) {
    await close();
    throw err;
  }
  return { service, emulator, edit, statements: counting.statements, kind: options.backend, close };
}

async function embeddedDatabase(dataDir: string): Promise<{ db: Database; drop: () => Promise<void> }> {
  const db = await openDatabase({ dataDir });
  return { db, drop: () => db.close() };
}
