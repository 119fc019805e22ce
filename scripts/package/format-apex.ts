import * as path from 'node:path';
import { formatApexFiles, unformattedApexFiles } from './apexFormat';
import { apexSourceFiles, displayPath, FORCE_APP } from './paths';

/**
 * Formats the package's Apex (.cls, .trigger) exactly as prettier-plugin-apex does, without npm:
 *
 *   npx tsx scripts/package/format-apex.ts            rewrite every class and trigger under force-app/
 *   npx tsx scripts/package/format-apex.ts --check    list the unformatted ones; exit 1 if any
 *   npx tsx scripts/package/format-apex.ts [--check] [--json] file.cls ...   only these files
 *
 * --json prints {"unformatted": [...]} or {"formatted": [...]} (absolute paths) for other tools.
 */

const USAGE = 'usage: tsx scripts/package/format-apex.ts [--check] [--json] [file.cls|file.trigger ...]';

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((arg) => arg.startsWith('--')));
  for (const flag of flags) {
    if (flag === '--help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (flag !== '--check' && flag !== '--json') throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  const named = argv.filter((arg) => !arg.startsWith('--')).map((file) => path.resolve(file));
  const files = named.length > 0 ? named : apexSourceFiles(FORCE_APP);
  const json = flags.has('--json');

  if (flags.has('--check')) {
    const unformatted = await unformattedApexFiles(files);
    if (json) process.stdout.write(`${JSON.stringify({ checked: files.length, unformatted })}\n`);
    else if (unformatted.length === 0)
      process.stdout.write(`${files.length} Apex file(s) formatted as prettier-plugin-apex formats them\n`);
    else {
      process.stdout.write(
        `not formatted as prettier-plugin-apex formats them:\n${unformatted.map((f) => `  ${displayPath(f)}`).join('\n')}\n`,
      );
      process.stdout.write(
        `fix: npx tsx scripts/package/format-apex.ts (or npx prettier --plugin=prettier-plugin-apex --write <files>)\n`,
      );
    }
    return unformatted.length === 0 ? 0 : 1;
  }
  const formatted = await formatApexFiles(files);
  if (json) process.stdout.write(`${JSON.stringify({ checked: files.length, formatted })}\n`);
  else
    process.stdout.write(
      `${formatted.length} of ${files.length} Apex file(s) rewritten${formatted.map((f) => `\n  ${displayPath(f)}`).join('')}\n`,
    );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`format-apex: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
