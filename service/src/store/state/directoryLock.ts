import fs from 'node:fs';
import path from 'node:path';

/**
 * An embedded PGlite database must have one owner: two processes (the service and `npm run migrate`, or
 * two service instances) writing the same files would corrupt it. A lock file holding the owner's pid
 * keeps a second opener out; a lock left by a process that no longer exists is taken over.
 */
export interface DirectoryLock {
  readonly file: string;
  release(): void;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function lockDirectory(directory: string, what: string): DirectoryLock {
  const file = path.join(directory, `${path.basename(what)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          if (readOwner(file) === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      if (owner !== null && processExists(owner)) {
        const who = owner === process.pid ? 'this process already' : `process ${owner}`;
        throw new Error(
          `The embedded database in ${directory} is in use: ${who} has it open (lock file ${file}). ` +
            'Stop the other process, or point SWITCHBOARD_DATA_DIR elsewhere, or set DATABASE_URL to share a PostgreSQL database.',
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock file ${file}`);
}
