import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConfig } from '../service/src/config';

/** The README's configuration table, made from the same definitions the service validates with. */
export function configTableMarkdown(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');
  const code = (text: string) => (text === '' ? '*(empty)*' : `\`${text.replace(/\|/g, '\\|')}\``);
  const rows = describeConfig().map(
    (row) =>
      `| \`${row.name}\` | ${row.default === null ? '—' : code(row.default)} | ${code(row.example)} | ${cell(row.description)} |`,
  );
  return ['| variable | default | example | what it does |', '|---|---|---|---|', ...rows].join('\n');
}

const START = '<!-- config-table:start -->';
const END = '<!-- config-table:end -->';

/** Replaces the table between the README's markers. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}`);
  return `${readme.slice(0, start + START.length)}\n${configTableMarkdown()}\n${readme.slice(end)}`;
}

if (require.main === module) {
  // `npm run docs:config` rewrites README.md in place.
  const path = join(__dirname, '..', 'README.md');
  writeFileSync(path, withConfigTable(readFileSync(path, 'utf8')));
  process.stdout.write('README.md configuration table updated\n');
}
