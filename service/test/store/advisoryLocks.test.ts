import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ADVISORY_LOCKS } from '../../src/store/advisoryLocks';

const SRC = join(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('advisory lock namespaces', () => {
  it('are all different', () => {
    const values = Object.values(ADVISORY_LOCKS);
    expect(new Set(values).size).toBe(values.length);
  });

  it('are spelled only in store/advisoryLocks.ts (and the migration that must keep its literal)', () => {
    const spelled = sourceFiles(SRC)
      .filter((file) => /0x5357[0-9a-f]{4}|139822750\d|139822751\d/i.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(spelled.sort()).toEqual(['store/advisoryLocks.ts', 'store/migrations/023_directory_writers.ts']);
    expect(readFileSync(join(SRC, 'store/migrations/023_directory_writers.ts'), 'utf8')).toContain(
      `pg_advisory_xact_lock_shared(${ADVISORY_LOCKS.directoryWriters}, 0)`,
    );
  });
});
