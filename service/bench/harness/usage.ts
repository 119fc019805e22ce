import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Database, Queryable } from '../../src/store/types';

/**
 * Figures that do not depend on how busy the machine is (issue 18): the SQL statements the service sent and the
 * CPU time it used per unit of work, and how much of a core the emulator took — were it near one, the emulator and
 * not the service would be what saturates.
 */

/** `db` counting every statement the service sends through it, BEGIN and COMMIT of its transactions included. */
export function countingDatabase(db: Database): { db: Database; statements: () => number } {
  let statements = 0;
  const counted = (q: Queryable): Queryable => ({
    query: ((text: string, params?: unknown[]) => {
      statements++;
      return q.query(text, params);
    }) as Queryable['query'],
  });
  const wrapped = Object.assign(Object.create(db) as Database, {
    query: counted(db).query,
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => {
      statements += 2;
      return db.transaction((tx) => fn(counted(tx)));
    },
  });
  return { db: wrapped, statements: () => statements };
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); NaN elsewhere. */
export function processCpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces, hence from the last ')'): utime and stime are 14 and 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()?.trim().split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

/** Starts measuring: this process's CPU and the emulator's, and the wall time. */
export function startUsage(emulatorPid?: number): () => { serviceCpuMs: number; emulatorShare: number } {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const emulator = emulatorPid === undefined ? NaN : processCpuMs(emulatorPid);
  return () => {
    const used = process.cpuUsage(cpu);
    const wallMs = performance.now() - wall;
    const emulatorMs = emulatorPid === undefined ? NaN : processCpuMs(emulatorPid) - emulator;
    return { serviceCpuMs: (used.user + used.system) / 1000, emulatorShare: (emulatorMs / wallMs) * 100 };
  };
}
