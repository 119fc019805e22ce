import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { apexSourceFiles, displayPath, REPO_ROOT } from '../../../scripts/package/paths';
import { tempDir } from './tmpFiles';

/**
 * Every class and trigger is formatted exactly as prettier-plugin-apex formats it. prettier loads
 * plugins with a dynamic import(), which jest's module sandbox cannot do, so the check runs in a
 * child process: the same scripts/package/format-apex.ts a developer runs to fix the files.
 */

const FORMAT_SCRIPT = path.join(REPO_ROOT, 'scripts', 'package', 'format-apex.ts');
const TSX_CLI = require.resolve('tsx/cli');

interface CheckOutput {
  checked: number;
  unformatted: string[];
}

function checkFormatting(files: readonly string[]): CheckOutput {
  const run = spawnSync(process.execPath, [TSX_CLI, FORMAT_SCRIPT, '--check', '--json', ...files], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (run.error) throw run.error;
  // Exit 0: all formatted; 1: some are not; anything else: the check itself failed.
  if (run.status !== 0 && run.status !== 1)
    throw new Error(`format-apex.ts --check failed (exit ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as CheckOutput;
}

describe('Apex formatting (prettier-plugin-apex)', () => {
  test('every .cls and .trigger is formatted as prettier-plugin-apex formats it', () => {
    const files = apexSourceFiles();
    expect(files.length).toBeGreaterThan(0);
    const { checked, unformatted } = checkFormatting(files);
    expect(checked).toBe(files.length);
    const advice =
      unformatted.length === 0
        ? ''
        : `Not formatted:\n${unformatted.map((f) => `  ${displayPath(f)}`).join('\n')}\n` +
          `Fix with: npx tsx scripts/package/format-apex.ts\n` +
          `      or: npx prettier --plugin=prettier-plugin-apex --write ${unformatted.map((f) => JSON.stringify(displayPath(f))).join(' ')}`;
    expect(advice).toBe('');
  });

  test('the check names a badly formatted file and passes a well formatted one', () => {
    const scratch = tempDir('apex-format');
    try {
      const ugly = scratch.write('Ugly.cls', 'public with sharing class Ugly{public Integer n(){return 1;}}\n');
      const tidy = scratch.write(
        'Tidy.cls',
        'public with sharing class Tidy {\n  public Integer n() {\n    return 1;\n  }\n}\n',
      );
      expect(checkFormatting([ugly, tidy])).toEqual({ checked: 2, unformatted: [ugly] });
    } finally {
      scratch.cleanup();
    }
  });
});
