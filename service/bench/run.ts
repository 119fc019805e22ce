import { parseArgs } from 'node:util';
import { runLatencyBench } from './latency';
import { runInitialSyncBench } from './initialSync';
import { runMassUpdateBench } from './massUpdateEvents';
import { runApiCallsBench } from './apiCalls';

const BENCHMARKS = ['latency', 'initial-sync', 'mass-update', 'api-calls'] as const;

/**
 * `npm run bench [-- --size N]`: prints one JSON line per figure and never fails on time.
 * --size scales every benchmark down (or up) for a quick run; --contacts sets the initial sync's size alone;
 * --only runs one benchmark (e.g. `--only initial-sync --contacts 1000000`).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { size: { type: 'string' }, contacts: { type: 'string' }, only: { type: 'string' } },
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
  if (runs('latency')) await runLatencyBench({ changes: size, perSecond: 200 });
  // `--contacts 1000000` runs the million-Contact initial sync without scaling the other benchmarks up.
  const contacts = values.contacts === undefined ? size * 10 : Number(values.contacts);
  if (!Number.isInteger(contacts) || contacts < 10) {
    process.stderr.write(`--contacts must be a whole number ≥ 10 (got "${values.contacts}")\n`);
    process.exit(2);
  }
  if (runs('initial-sync')) await runInitialSyncBench({ contacts });
  if (runs('mass-update')) await runMassUpdateBench({ changes: Math.min(10_000, size * 5) });
  if (runs('api-calls')) await runApiCallsBench({ edits: size });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
