import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withConfigTable } from '../../scripts/configTable';
import { describeConfig } from '../src/config';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README.md', () => {
  it('starts its set-up with exactly the two commands: run on embedded defaults, then every test', () => {
    const setup = readme.slice(readme.indexOf('## Set up'));
    const block = /```sh\n([\s\S]*?)```/.exec(setup)?.[1] ?? '';
    const commands = block
      .split('\n')
      .map((line) => line.replace(/#.*$/, '').trim())
      .filter(Boolean);
    expect(commands).toEqual(['npm ci && npm start', 'npm test']);
  });

  it('documents every configuration variable, exactly as the service reads them (npm run docs:config)', () => {
    expect(withConfigTable(readme)).toBe(readme);
    for (const row of describeConfig()) expect(readme).toContain(`| \`${row.name}\` |`);
  });

  it('maps every room of service/src, and only those, one line each', () => {
    const src = join(__dirname, '..', 'src');
    const rooms = (dir: string): string[] =>
      readdirSync(join(src, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
        .flatMap((entry) => {
          const room = dir ? `${dir}/${entry.name}` : entry.name;
          const children = rooms(room);
          // sync/ itself holds no files: its rooms are its folders.
          return readdirSync(join(src, room)).some((name) => name.endsWith('.ts')) ? [room, ...children] : children;
        });
    const table = readme.slice(readme.indexOf('<!-- rooms:start -->'), readme.indexOf('<!-- rooms:end -->'));
    const mapped = [...table.matchAll(/^\| `([^`]+)\/` \|/gm)].map((m) => m[1]);
    expect(mapped.length).toBeGreaterThan(10);
    expect([...mapped].sort()).toEqual(rooms('').sort());
  });
});
