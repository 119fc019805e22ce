import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A scratch folder for a test's throwaway files, removed with `cleanup()`. */
export function tempDir(prefix: string): {
  dir: string;
  write: (relative: string, text: string) => string;
  cleanup: () => void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `switchboard-${prefix}-`));
  return {
    dir,
    write: (relative, text) => {
      const file = path.join(dir, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
