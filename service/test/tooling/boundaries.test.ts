import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The architecture rules in eslint.config.js bite: each deliberately bad import below fails with the
 * rule that guards that boundary, and the legal ones pass clean. The files are linted through ESLint's
 * Node API with `lintText` and a `filePath` inside the room under test, so nothing is written there
 * (import/no-cycle is off for those: it cannot lint a file that is not on disk). Only the cycle needs real
 * files: two of them in a dot-folder under service/src (which tsc's globs skip), removed afterwards.
 *
 * ESLint loads its config with a dynamic import(), which jest's module sandbox cannot do, so the lint
 * runs in a child process on the same node binary, as `npm run lint:service` would.
 */

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SRC = path.join(REPO_ROOT, 'service', 'src');

interface LintCase {
  name: string;
  /** Where the probe pretends to live, relative to the repository. */
  file: string;
  code: string;
  /** The rule that must report an error, or null: no message at all. */
  expected: string | null;
}

interface LintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
}

/** Real files as import targets, so the resolver finds them (an unresolved import is not checked). */
function existing(relative: string): string {
  const file = path.join(REPO_ROOT, relative);
  if (!fs.existsSync(file)) throw new Error(`${relative} is gone: point this test at a file of that room that exists`);
  return file;
}

/** Some .ts file of a room, wherever the moves have put it. */
function anyFileIn(relativeDir: string): string {
  const dir = path.join(REPO_ROOT, relativeDir);
  const entries = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  const found = entries.find((entry) => entry.endsWith('.ts'));
  if (!found) throw new Error(`no .ts file under ${relativeDir}`);
  return path.join(dir, found);
}

/** `import * as m from '<spec>'; export default m;`: an import that no other rule objects to. */
function importing(file: string, target: string): string {
  let spec = path.relative(path.dirname(path.join(REPO_ROOT, file)), target).replace(/\.ts$/, '');
  spec = spec.split(path.sep).join('/');
  if (!spec.startsWith('.')) spec = `./${spec}`;
  return importingPackage(spec);
}

function importingPackage(spec: string): string {
  return `import * as imported from '${spec}';\n\nexport default imported;\n`;
}

const CHILD = `
const { ESLint } = require('eslint');
const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  // import/no-cycle needs the linted file on disk (it crashes on a path that does not exist).
  const virtual = new ESLint({ cwd: process.cwd(), overrideConfig: { rules: { 'import/no-cycle': 'off' } } });
  const out = [];
  for (const c of cases) {
    const [result] = await (c.onDisk ? eslint : virtual).lintText(c.code, { filePath: c.filePath });
    out.push(result.messages.map(({ ruleId, severity, message, line }) => ({ ruleId, severity, message, line })));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err));
  process.exitCode = 2;
});
`;

function lint(cases: readonly LintCase[], onDisk: ReadonlyArray<{ file: string; code: string }>): LintMessage[][] {
  const input = [
    ...cases.map((c) => ({ filePath: path.join(REPO_ROOT, c.file), code: c.code, onDisk: false })),
    ...onDisk.map((c) => ({ filePath: path.join(REPO_ROOT, c.file), code: c.code, onDisk: true })),
  ];
  const run = spawnSync(process.execPath, ['-e', CHILD], {
    cwd: REPO_ROOT,
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`eslint failed (exit ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as LintMessage[][];
}

const storeDb = existing('service/src/store/db.ts');
const httpApp = existing('service/src/http/app.ts');
const directoryModel = existing('service/src/directory/model.ts');
const emulatorMain = existing('service/emulator/main.ts');
const salesforceFile = anyFileIn('service/src/salesforce');
const syncFile = anyFileIn('service/src/sync');

const CASES: LintCase[] = [
  // Rooms (import/no-restricted-paths).
  {
    name: 'store/ imports sync/',
    file: 'service/src/store/probe.ts',
    code: '',
    expected: 'import/no-restricted-paths',
  },
  { name: 'sync/ imports http/', file: 'service/src/sync/probe.ts', code: '', expected: 'import/no-restricted-paths' },
  {
    name: 'salesforce/ imports directory/',
    file: 'service/src/salesforce/probe.ts',
    code: '',
    expected: 'import/no-restricted-paths',
  },
  {
    name: 'directory/ imports salesforce/',
    file: 'service/src/directory/probe.ts',
    code: '',
    expected: 'import/no-restricted-paths',
  },
  {
    name: 'service/src imports the emulator',
    file: 'service/src/probe.ts',
    code: '',
    expected: 'import/no-restricted-paths',
  },
  {
    name: 'sync/rules/ imports store/',
    file: 'service/src/sync/rules/probe.ts',
    code: '',
    expected: 'import/no-restricted-paths',
  },
  {
    name: 'a device room (phonebook/) imports salesforce/',
    file: 'service/src/phonebook/probe.ts',
    code: '',
    expected: 'import/no-restricted-paths',
  },
  {
    name: 'directory/ imports a device room (phonebook/)',
    file: 'service/src/directory/probe.ts',
    code: '',
    expected: 'import/no-restricted-paths',
  },
  {
    name: 'model/ imports store/',
    file: 'service/src/model/probe.ts',
    code: '',
    expected: 'import/no-restricted-paths',
  },
  // Packages one room owns (no-restricted-imports).
  {
    name: 'jsforce outside salesforce/',
    file: 'service/src/sync/probe.ts',
    code: importingPackage('jsforce'),
    expected: 'no-restricted-imports',
  },
  {
    name: 'gRPC outside salesforce/',
    file: 'service/src/runtime/probe.ts',
    code: importingPackage('@grpc/grpc-js'),
    expected: 'no-restricted-imports',
  },
  {
    name: 'pg outside store/ and directory/',
    file: 'service/src/http/probe.ts',
    code: importingPackage('pg'),
    expected: 'no-restricted-imports',
  },
  {
    name: 'ldapts outside ldapMirror/',
    file: 'service/src/carddav/probe.ts',
    code: importingPackage('ldapts'),
    expected: 'no-restricted-imports',
  },
  {
    name: 'pg in a device room (callerId/): its SQL belongs in directory/',
    file: 'service/src/callerId/probe.ts',
    code: importingPackage('pg'),
    expected: 'no-restricted-imports',
  },
  {
    name: 'an I/O module in sync/rules/',
    file: 'service/src/sync/rules/probe.ts',
    code: importingPackage('node:fs'),
    expected: 'no-restricted-imports',
  },
  // Legal imports: no message at all.
  { name: 'store/ imports store/', file: 'service/src/store/probe.ts', code: '', expected: null },
  { name: 'http/ imports store/', file: 'service/src/http/probe.ts', code: '', expected: null },
  { name: 'sync/rules/ imports directory/model.ts', file: 'service/src/sync/rules/probe.ts', code: '', expected: null },
  {
    name: 'jsforce inside salesforce/',
    file: 'service/src/salesforce/probe.ts',
    code: importingPackage('jsforce'),
    expected: null,
  },
  { name: 'pg inside store/', file: 'service/src/store/probe.ts', code: importingPackage('pg'), expected: null },
  {
    name: 'node:crypto in sync/rules/',
    file: 'service/src/sync/rules/probe.ts',
    code: importingPackage('node:crypto'),
    expected: null,
  },
  { name: 'a test imports the emulator', file: 'service/test/tooling/probe.ts', code: '', expected: null },
  {
    name: 'a device room (phonebook/) imports directory/',
    file: 'service/src/phonebook/probe.ts',
    code: '',
    expected: null,
  },
  {
    name: 'ldapts inside ldapMirror/',
    file: 'service/src/ldapMirror/probe.ts',
    code: importingPackage('ldapts'),
    expected: null,
  },
];

const TARGETS: Record<string, string> = {
  'store/ imports sync/': syncFile,
  'sync/ imports http/': httpApp,
  'salesforce/ imports directory/': directoryModel,
  'directory/ imports salesforce/': salesforceFile,
  'service/src imports the emulator': emulatorMain,
  'sync/rules/ imports store/': storeDb,
  'model/ imports store/': storeDb,
  'a device room (phonebook/) imports salesforce/': salesforceFile,
  'directory/ imports a device room (phonebook/)': existing('service/src/phonebook/formats/format.ts'),
  'a device room (phonebook/) imports directory/': directoryModel,
  'store/ imports store/': storeDb,
  'http/ imports store/': storeDb,
  'sync/rules/ imports directory/model.ts': directoryModel,
  'a test imports the emulator': emulatorMain,
};
for (const c of CASES) if (c.code === '') c.code = importing(c.file, TARGETS[c.name]);

describe('architecture boundaries (eslint.config.js)', () => {
  // Two modules that import each other's values: import/no-cycle needs them on disk.
  const cycleDir = path.join(SRC, `.lint-probe-${process.pid}`);
  const cycleA = path.join(cycleDir, 'cycleA.ts');
  const cycleB = path.join(cycleDir, 'cycleB.ts');
  const cycleCode = {
    a: "import { b } from './cycleB';\n\nexport const a = (): number => b() + 1;\n",
    b: "import { a } from './cycleA';\n\nexport const b = (): number => a.length;\n",
  };
  let results: LintMessage[][] = [];

  beforeAll(() => {
    fs.mkdirSync(cycleDir, { recursive: true });
    try {
      fs.writeFileSync(cycleA, cycleCode.a);
      fs.writeFileSync(cycleB, cycleCode.b);
      results = lint(CASES, [
        { file: path.relative(REPO_ROOT, cycleA), code: cycleCode.a },
        { file: path.relative(REPO_ROOT, cycleB), code: cycleCode.b },
      ]);
    } finally {
      fs.rmSync(cycleDir, { recursive: true, force: true });
    }
  }, 120_000);

  const describeMessages = (messages: readonly LintMessage[]): string =>
    messages.map((m) => `${m.line}: ${m.ruleId ?? '(parse)'} ${m.message}`).join('\n') || '(no messages)';

  test.each(CASES.map((c, index) => [c.name, c, index] as const))('%s', (_name, c, index) => {
    const messages = results[index];
    if (c.expected === null) {
      expect(describeMessages(messages)).toBe('(no messages)');
    } else {
      const errors = messages.filter((m) => m.severity === 2).map((m) => m.ruleId);
      expect({ errors, all: describeMessages(messages) }).toEqual({
        errors: [c.expected],
        all: expect.any(String),
      });
    }
  });

  test('two modules that import each other are a cycle (import/no-cycle)', () => {
    const [a, b] = results.slice(CASES.length);
    for (const messages of [a, b]) {
      expect(messages.filter((m) => m.severity === 2).map((m) => m.ruleId)).toEqual(['import/no-cycle']);
    }
  });

  test('the probe files are gone', () => {
    expect(fs.existsSync(cycleDir)).toBe(false);
  });
});
