import { parseArgs } from 'node:util';
import { runLatencyBench } from './latency';

/**
 * `npm run bench [-- --size N]`: prints one JSON line per figure and never fails on time.
 * --size scales every benchmark down (or up) for a quick run.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string' } } });
  const size = values.size === undefined ? 2000 : Number(values.size);
  if (!Number.isInteger(size) || size < 10) {
    process.stderr.write(`--size must be a whole number ≥ 10 (got "${values.size}")\n`);
    process.exit(2);
  }
  await runLatencyBench({ changes: size, perSecond: 200 });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
