const path = require('node:path');
const lwcConfig = require('@salesforce/eslint-config-lwc');
const jestPlugin = require('eslint-plugin-jest');
const importPlugin = require('eslint-plugin-import');
const tseslint = require('typescript-eslint');
const js = require('@eslint/js');
const eslintComments = require('@eslint-community/eslint-plugin-eslint-comments');
const globals = require('globals');

/**
 * ESLint (flat config) for two unrelated trees:
 *
 * - the package's Lightning web components and their jest tests and mocks (`npm run lint:lwc`);
 * - the TypeScript service and scripts (`npm run lint:service`): typescript-eslint's recommended rules
 *   (syntax only, no type information, so it stays fast) and the service's architecture: which room of
 *   service/src may import which (import/no-restricted-paths), which npm packages only one room may use
 *   (no-restricted-imports) and no import cycles (import/no-cycle). Tests, benchmarks, the emulator and
 *   scripts may import anything.
 *
 * service/test/tooling/boundaries.test.ts proves that each boundary rule fails a violating import.
 */
const LWC_SOURCES = ['force-app/**/lwc/**/*.js'];
const LWC_TESTS = ['force-app/**/lwc/**/__tests__/**/*.js', 'jest-lwc/**/*.js'];
const TS_FILES = ['service/**/*.ts', 'scripts/**/*.ts', 'preview/**/*.ts'];

const scoped = (files, configs) => configs.map((config) => ({ ...config, files }));

// ---------------------------------------------------------------------------------------------------
// The rooms of service/src. A zone names folders, so it applies as soon as a folder appears.
// ---------------------------------------------------------------------------------------------------
const SRC = 'service/src';
const src = (room) => `./${SRC}/${room}`;
/** The phone side's rooms: the directory (its model and SQL) and what serves it to phones and PBXs. */
const PHONE_SIDE = ['directory'];
/**
 * The rooms that serve the directory to devices. They read and write through directory/ and store/ (no SQL
 * of their own), never talk to Salesforce, and nothing below them (store, directory, sync) imports them.
 */
const DEVICE_ROOMS = ['deviceAccess', 'phonebook', 'callerId', 'ldapMirror', 'carddav', 'calls'];

/** import/no-restricted-paths: `target` may not import anything resolved under `from`. */
const zone = (target, from, why, extra = {}) => ({
  target: src(target),
  from: from.map(src),
  message: why,
  ...extra,
});

const ROOM_ZONES = [
  zone(
    'store',
    ['sync', 'runtime', 'http', 'salesforce', ...PHONE_SIDE, ...DEVICE_ROOMS],
    'store/ is the bottom layer: it reads and writes SQL for the engine and imports no engine, HTTP, Salesforce or phone-side code.',
  ),
  ...DEVICE_ROOMS.map((room) =>
    zone(
      room,
      ['salesforce', 'runtime', 'http'],
      `${room}/ serves the directory to devices: it never talks to Salesforce and imports no runtime or HTTP app code (http/ mounts it).`,
    ),
  ),
  zone(
    'directory',
    DEVICE_ROOMS,
    'directory/ holds the contact model and its SQL: it imports none of the rooms that serve it to devices.',
  ),
  zone(
    'sync',
    ['http', 'runtime', ...DEVICE_ROOMS],
    'sync/ is the engine: it does not import the HTTP layer or the per-org runtime that drives it.',
  ),
  // sync/rules/ holds pure rules (mapping, transforms, validity, matching, conflict): no I/O.
  zone(
    'sync/rules',
    ['store', 'salesforce', 'http', 'runtime'],
    'sync/rules/ holds pure rules: no store, Salesforce, HTTP or runtime code.',
  ),
  zone('sync/rules', ['sync'], 'sync/rules/ holds pure rules: it imports no other room of sync/.', {
    except: ['./rules'],
  }),
  ...PHONE_SIDE.map((room) =>
    zone(
      'sync/rules',
      [room],
      `sync/rules/ holds pure rules: from the phone side only the record types (${room}/model.ts), no I/O.`,
      { except: ['./model.ts'] },
    ),
  ),
  zone(
    'salesforce',
    ['sync', 'runtime', 'http', 'store', ...PHONE_SIDE, ...DEVICE_ROOMS],
    'salesforce/ talks to orgs and returns raw rows: it imports no engine, runtime, HTTP, store or phone-side code (type-only imports included).',
  ),
  ...PHONE_SIDE.map((room) =>
    zone(room, ['salesforce'], `${room}/ (the phone side) and salesforce/ do not import each other.`),
  ),
  {
    target: src('model'),
    from: `./${SRC}`,
    except: ['./model'],
    message: 'model/ holds the shared record types: it imports nothing else from service/src.',
  },
  {
    target: `./${SRC}`,
    from: ['./service/emulator', './service/test', './service/bench', './scripts', './preview'],
    message: 'service/src is the product: it never imports the emulator, tests, benchmarks or scripts.',
  },
];

// Only one room may use each of these npm packages. no-restricted-imports takes one option set per file,
// so every room gets the full list minus what it is allowed (see restrictedImports below).
const PACKAGE_GROUPS = {
  salesforce: {
    rooms: ['salesforce'],
    names: ['jsforce', 'salesforce-pubsub-api-client'],
    patterns: ['jsforce/*', '@jsforce/*', 'salesforce-pubsub-api-client/*', '@grpc/*'],
    message:
      'Only service/src/salesforce/ talks to Salesforce (jsforce, the Pub/Sub API client, gRPC): call a salesforce/ function instead.',
  },
  ldap: {
    rooms: ['ldapMirror'],
    names: ['ldapts'],
    patterns: ['ldapts/*'],
    message: 'Only service/src/ldapMirror/ talks LDAP: call an ldapMirror/ function instead.',
  },
  database: {
    rooms: ['store', ...PHONE_SIDE],
    names: ['pg'],
    patterns: ['pg/*', '@electric-sql/*'],
    message:
      'Only service/src/store/ and the phone side (directory/) talk to the database (pg, PGlite): call a store/ function instead.',
  },
};

/** Node built-ins that do I/O or concurrency; sync/rules/ stays pure (node:crypto for hashing is fine). */
const IO_BUILTINS = (
  'fs fs/promises net http https http2 tls dgram dns dns/promises child_process cluster worker_threads readline ' +
  'stream stream/promises timers timers/promises os process inspector repl v8 vm zlib'
).split(' ');

function restrictedImports(room, extra = { paths: [], patterns: [] }) {
  const groups = Object.values(PACKAGE_GROUPS).filter((group) => !group.rooms.includes(room));
  return [
    'error',
    {
      paths: [
        ...groups.flatMap((group) => group.names.map((name) => ({ name, message: group.message }))),
        ...extra.paths,
      ],
      patterns: [...groups.map((group) => ({ group: group.patterns, message: group.message })), ...extra.patterns],
    },
  ];
}

const RULES_IO = {
  paths: IO_BUILTINS.flatMap((name) => [name, `node:${name}`]).map((name) => ({
    name,
    message: 'sync/rules/ holds pure rules: no I/O modules (node:crypto for hashing is allowed).',
  })),
  patterns: [],
};

// The rooms with their own allowances; a later config object for the same file replaces the rule's options.
const PACKAGE_ROOMS = [...new Set(Object.values(PACKAGE_GROUPS).flatMap((group) => group.rooms))];

module.exports = [
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'test-artifacts/**', '.switchboard/**'] },

  // ------------------------------------------------------------------------------------------- LWC
  ...scoped([...LWC_SOURCES, ...LWC_TESTS], lwcConfig.configs.recommended),
  ...scoped(LWC_TESTS, [
    jestPlugin.configs['flat/recommended'],
    {
      languageOptions: { globals: { ...globals.node, ...globals.jest } },
      rules: {
        // Tests use timers, emit through wire adapters and click through steps in order.
        '@lwc/lwc/no-async-operation': 'off',
        '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off',
        'no-await-in-loop': 'off',
      },
    },
  ]),

  // ------------------------------------------------------------------------------------ TypeScript
  // ESLint's and typescript-eslint's recommended rules that need no type information (tsc does the rest).
  ...scoped(TS_FILES, [js.configs.recommended, ...tseslint.configs.recommended]),
  {
    files: TS_FILES,
    plugins: { import: importPlugin, '@eslint-community/eslint-comments': eslintComments },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import/extensions': ['.ts', '.js'],
      'import/resolver': {
        typescript: { project: path.join(__dirname, 'tsconfig.json') },
        node: { extensions: ['.ts', '.js', '.json'] },
      },
      // The resolver's results are kept for the whole run (one CLI run, or one ESLint instance in a test).
      'import/cache': { lifetime: Infinity },
      // Never parse packages' own files when following imports (no-cycle walks the product's files only).
      'import/ignore': ['node_modules'],
    },
    rules: {
      // Stays an error: a deliberate `any` carries `// eslint-disable-line @typescript-eslint/no-explicit-any -- why`.
      '@typescript-eslint/no-explicit-any': 'error',
      // ...and every eslint-disable comment says why after ` -- `.
      '@eslint-community/eslint-comments/require-description': 'error',
      // tsc already reports unused locals and parameters (noUnusedLocals, noUnusedParameters); `_`-prefixed
      // names are the usual way to say "deliberately unused".
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  // The boundaries concern the product only.
  {
    files: [`${SRC}/**/*.ts`],
    rules: {
      // Type-only imports are not counted (the plugin ignores `import type`): a cycle is about load order.
      'import/no-cycle': ['error', { ignoreExternal: true }],
      'import/no-restricted-paths': ['error', { basePath: __dirname, zones: ROOM_ZONES }],
      'no-restricted-imports': restrictedImports(null),
    },
  },
  ...PACKAGE_ROOMS.map((room) => ({
    files: [`${SRC}/${room}/**/*.ts`],
    rules: { 'no-restricted-imports': restrictedImports(room) },
  })),
  {
    files: [`${SRC}/sync/rules/**/*.ts`],
    rules: { 'no-restricted-imports': restrictedImports('sync/rules', RULES_IO) },
  },
];
