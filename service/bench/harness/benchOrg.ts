import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { serviceConfigFor } from '../../emulator/serviceConfig';
import { startService, type RunningService } from '../../src/service';
import { openDatabase } from '../../src/store/db';
import type { Database } from '../../src/store/types';
import type { Config } from '../../src/config';
import type { SeedCounts } from '../../emulator/org/seed';
import { startEmulator, type EmulatorHandle } from '../../emulator';
import { createTemporaryDatabase } from '../../test/support/backends';

/** One emulated org and the service connected to it, without an initial sync, for a benchmark's run. */
export interface BenchOrg {
  emulator: EmulatorHandle;
  db: Database;
  config: Config;
  service: RunningService;
  /** 'postgres' on a scratch database of DATABASE_URL's server, else 'pglite'. */
  backend: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/**
 * Starts the emulator (in this process) with `seed`, a scratch database (DATABASE_URL's server, else PGlite on
 * disk) and the service on them; close() stops all three and removes what they wrote.
 */
export async function startBenchOrg(name: string, seed: SeedCounts): Promise<BenchOrg> {
  const dir = mkdtempSync(join(tmpdir(), `switchboard-bench-${name}-`));
  const emulator = await startEmulator({ certDir: join(dir, 'certs'), seed, personAccounts: false, keepaliveMs: 1000 });
  const scratch = process.env.DATABASE_URL ? await createTemporaryDatabase(process.env.DATABASE_URL) : undefined;
  const db = await openDatabase(scratch ? { databaseUrl: scratch.url } : { dataDir: join(dir, 'data') });
  const config = serviceConfigFor(emulator, join(dir, 'data'), 'Bench org');
  const service = await startService(config, {
    logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }),
    db,
    initialSync: false,
  });
  return {
    emulator,
    db,
    config,
    service,
    backend: scratch ? 'postgres' : 'pglite',
    async close() {
      await service.close();
      await emulator.close();
      await db.close();
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
