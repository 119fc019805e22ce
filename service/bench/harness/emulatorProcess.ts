import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { EmulatorConnectionInfo } from '../../emulator';

export interface EmulatorProcess extends EmulatorConnectionInfo {
  pid: number;
  close(): Promise<void>;
}

/**
 * The org emulator in a process of its own (`npm run emulator`), so the benchmark's own process is the
 * service alone: its RSS and CPU are the service's, not the emulated org's.
 */
export async function startEmulatorProcess(options: {
  contacts: number;
  certDir: string;
  keepaliveMs?: number;
}): Promise<EmulatorProcess> {
  const main = join(__dirname, '..', '..', 'emulator', 'main.ts');
  const args = [
    // BENCH_EMULATOR_PROFILE=<dir>: a V8 CPU profile of the emulator, to tell whether it is what saturates.
    ...(process.env.BENCH_EMULATOR_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_EMULATOR_PROFILE}`]
      : []),
    '--import',
    'tsx',
    main,
    '--contacts',
    String(options.contacts),
    '--leads',
    '0',
    '--no-person-accounts',
    '--cert-dir',
    options.certDir,
  ];
  // A subscriber counts as live at its first keepalive: a short period lets a benchmark start at once.
  if (options.keepaliveMs !== undefined) args.push('--keepalive-ms', String(options.keepaliveMs));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<EmulatorConnectionInfo>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as EmulatorConnectionInfo));
    child.once('exit', (code) =>
      reject(new Error(`the emulator process exited with code ${code} before it was ready`)),
    );
  });
  return { ...info, pid: child.pid!, close: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
