/**
 * A PostgreSQL cluster of a test's own (initdb in a temporary directory, its own port and socket), so a
 * test can stop and start a real server without touching the shared one other tests use.
 *
 *   const reason = privateClusterUnavailable();
 *   if (reason) console.log(`skipped: ${reason}`);
 *   const cluster = await startPrivateCluster();
 *   await cluster.stop(); await cluster.start(); await cluster.destroy();
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian's postgresql-15 puts initdb and pg_ctl (PG_BIN overrides). */
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrivateCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  url: string;
  port: number;
  /** Whether the server is up (start() was the last of start/stop). */
  readonly running: boolean;
  start(): Promise<void>;
  /** Fast shutdown: open sessions are ended, as in an operator's restart. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

/** Why no private cluster can run here, or undefined when one can. */
export function privateClusterUnavailable(): string | undefined {
  for (const tool of ['initdb', 'pg_ctl']) {
    if (!existsSync(join(PG_BIN, tool))) return `${join(PG_BIN, tool)} is missing (set PG_BIN to a PostgreSQL bin dir)`;
  }
  return undefined;
}

/** initdb refuses to run as root: as root, the cluster runs as the `postgres` system user (PG_USER overrides). */
async function runAs(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const user = process.env.PG_USER ?? 'postgres';
  const id = async (flag: string) => Number((await run('id', [flag, user])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const owner = await runAs();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const pgCtl = (...args: string[]) =>
    run(join(PG_BIN, 'pg_ctl'), ['-D', data, ...args], { timeout: 60_000, ...owner });
  await run(join(PG_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'], {
    timeout: 120_000,
    ...owner,
  });
  let running = false;
  const cluster: PrivateCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    get running() {
      return running;
    },
    async start() {
      // -w: pg_ctl returns once the server accepts connections.
      await pgCtl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-l', join(dir, 'log'), '-w', 'start');
      running = true;
    },
    async stop() {
      await pgCtl('-m', 'fast', '-w', 'stop');
      running = false;
    },
    async destroy() {
      if (running) await cluster.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return cluster;
}
