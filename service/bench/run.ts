import { parseArgs } from 'node:util';
import { runIncrementalBench } from './incremental';
import { runInitialSyncBench } from './initialSync';
import { runMassUpdateBench } from './massUpdateEvents';
import { runApiCallsBench } from './apiCalls';
import { runPhoneBookBench } from './phoneBook';
import { runLdapMirrorBench } from './ldapMirror';
import { runCallerIdBench } from './callerId';
import { runCallsBench } from './calls';

const BENCHMARKS = [
  'incremental',
  'initial-sync',
  'mass-update',
  'api-calls',
  'ldap-mirror',
  'callerid',
  'phonebook',
  'calls',
] as const;

/**
 * `npm run bench [-- --size N]`: prints one JSON line per figure and never fails on time.
 * --size scales every benchmark down (or up) for a quick run; --contacts sets the initial sync's size alone;
 * --only runs one benchmark (e.g. `--only initial-sync --contacts 1000000`).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string' },
      contacts: { type: 'string' },
      only: { type: 'string' },
      book: { type: 'string' },
    },
  });
  const only = values.only;
  if (only !== undefined && !(BENCHMARKS as readonly string[]).includes(only)) {
    process.stderr.write(`--only must be one of ${BENCHMARKS.join(', ')} (got "${only}")\n`);
    process.exit(2);
  }
  const runs = (name: (typeof BENCHMARKS)[number]) => only === undefined || only === name;
  const size = values.size === undefined ? 2000 : Number(values.size);
  if (!Number.isInteger(size) || size < 10) {
    process.stderr.write(`--size must be a whole number ≥ 10 (got "${values.size}")\n`);
    process.exit(2);
  }
  if (runs('incremental')) {
    // The issue's ramp: offered rates up to 2,000 changes/s for 5 s each (--size scales the steps' length).
    const incremental = { steady: { changes: size, perSecond: 200 }, stepSeconds: Math.max(1, size / 400) };
    await runIncrementalBench({ ...incremental, backend: 'postgres', ramp: [250, 500, 750, 1000, 1500, 2000] });
    // BENCH_SKIP_PGLITE=1 leaves out the embedded run (two minutes) while working on the PostgreSQL figures.
    if (!process.env.BENCH_SKIP_PGLITE)
      await runIncrementalBench({ ...incremental, backend: 'pglite', ramp: [100, 250, 500, 750, 1000] });
  }
  // `--contacts 1000000` runs the million-Contact initial sync without scaling the other benchmarks up.
  const contacts = values.contacts === undefined ? size * 10 : Number(values.contacts);
  if (!Number.isInteger(contacts) || contacts < 10) {
    process.stderr.write(`--contacts must be a whole number ≥ 10 (got "${values.contacts}")\n`);
    process.exit(2);
  }
  if (runs('initial-sync')) await runInitialSyncBench({ contacts });
  // The 100,000 records (500 events of 200) at the default size.
  if (runs('mass-update')) await runMassUpdateBench({ changes: size * 50 });
  if (runs('api-calls')) await runApiCallsBench({ edits: size });
  // The phone book is 100,000 contacts whatever --size says; `--book N` sets another size.
  const book = values.book === undefined ? 100_000 : Number(values.book);
  if (!Number.isInteger(book) || book < 10) {
    process.stderr.write(`--book must be a whole number ≥ 10 (got "${values.book}")\n`);
    process.exit(2);
  }
  if (runs('phonebook')) await runPhoneBookBench({ contacts: book });
  // The 100,000 contacts at the default size; --size scales it like the others.
  if (runs('ldap-mirror')) await runLdapMirrorBench({ contacts: size * 50, edits: Math.min(1000, size / 4) });
  // The 1,000,000-contact directory at the default size (--size 20: 10,000 contacts).
  if (runs('callerid')) await runCallerIdBench({ contacts: size * 500 });
  // The 10,000 call reports a minute at the default size (--size 20: 100 reports at the same rate).
  if (runs('calls')) {
    await runCallsBench({ calls: size * 5, perMinute: 10_000, callers: Math.min(2000, size * 5) });
    // The same reports all at once (a PBX replaying its journal): the Tasks' backlog and how soon it is worked off.
    await runCallsBench({ calls: size * 5, callers: Math.min(2000, size * 5) });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
