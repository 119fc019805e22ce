import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChaosServiceArgs } from './serviceProcess';

/** The application_name the service's connections carry (PGAPPNAME), so a trial can end exactly those backends. */
export const SERVICE_APP_NAME = 'switchboard-chaos-service';

const ENTRY = join(__dirname, 'serviceProcess.ts');
// tsx as a loader inside ONE node process: the tsx CLI would run the service in a grandchild, so a SIGKILL
// aimed at the service killed only the wrapper and left the real service running (orphaned, still syncing).
const TSX_DIST = join(dirname(require.resolve('tsx/package.json')), 'dist');
const TSX_FLAGS = [
  '--require',
  join(TSX_DIST, 'preflight.cjs'),
  '--import',
  pathToFileURL(join(TSX_DIST, 'loader.mjs')).href,
];

/**
 * One run of the service process (serviceProcess.ts). `exited` tells whether it ended on its own — a crash
 * the trials count — as opposed to the kill or stop the runner asked for.
 */
export class ServiceProcess {
  url = '';
  /** Exits the runner did not ask for (a crash): the code or signal of each. */
  readonly crashes: string[] = [];
  private child?: ChildProcess;
  private expectingExit = false;
  private stderrTail = '';

  constructor(private readonly args: ChaosServiceArgs) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and waits until it serves (its first stdout line), or fails with its last stderr. */
  async start(): Promise<void> {
    this.expectingExit = false;
    const child = spawn(process.execPath, [...TSX_FLAGS, ENTRY, JSON.stringify(this.args)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PGAPPNAME: SERVICE_APP_NAME, SWITCHBOARD_ENV_FILE: '/dev/null' },
    });
    this.child = child;
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
      if (process.env.CHAOS_LOG_LEVEL) process.stderr.write(chunk);
    });
    child.once('exit', (code, signal) => {
      if (!this.expectingExit) this.crashes.push(signal ?? `exit ${code}`);
    });
    this.url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => {
        resolve((JSON.parse(line) as { url: string }).url);
      });
      child.once('exit', (code, signal) =>
        reject(new Error(`the service exited (${signal ?? code}) before it served: ${this.stderrTail.trim()}`)),
      );
    });
  }

  /** SIGKILL: no shutdown code runs, open transactions and in-flight requests are cut where they are. */
  async kill9(): Promise<void> {
    const exited = this.exited();
    this.killNow();
    await exited;
  }

  /** SIGKILL sent at once (from inside an emulated org's commit, say); `exited()` tells when it is gone. */
  killNow(): void {
    if (!this.running) return;
    this.expectingExit = true;
    this.child!.kill('SIGKILL');
  }

  /** SIGTERM: the service's own orderly shutdown. */
  async stop(): Promise<void> {
    const exited = this.exited();
    if (this.running) {
      this.expectingExit = true;
      this.child!.kill('SIGTERM');
    }
    await exited;
  }

  exited(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return Promise.resolve();
    return new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Calls the service's REST API with its token; `undefined` when no answer came (the process is gone). */
  async api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown } | undefined> {
    try {
      const res = await fetch(`${this.url}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.args.config.apiToken}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON (an HTML error page): kept as text for the report.
      }
      return { status: res.status, body: parsed };
    } catch {
      return undefined;
    }
  }
}
