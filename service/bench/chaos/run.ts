import { parseArgs } from 'node:util';
import { runChaos, wrongFigures } from './chaos';

const USAGE = `Usage: npm run chaos -- [--records N] [--trials N] [--seed N] [--only NAME,…]
  --records N  Contacts in each trial's org (default 600)
  --trials N   kill -9 trials per kill scenario (default 7: 21 kills in all)
  --seed N     the seed every random choice comes from (default 12); the same seed makes the same choices
  --only LIST  scenarios whose name contains one of these (initial sync, apply, write-back, cold restart,
               backends, cluster, faults, bad input)
Prints one JSON line per figure; exits 1 only when a correctness figure is not 0, never on time.`;

function wholeNumber(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`--${name} must be a whole number ≥ ${min} (got "${value}")\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      records: { type: 'string' },
      trials: { type: 'string' },
      seed: { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const options = {
    records: wholeNumber('records', values.records, 600, 20),
    trials: wholeNumber('trials', values.trials, 7, 1),
    seed: wholeNumber('seed', values.seed, 12, 0),
    only: values.only?.split(',').map((s) => s.trim()),
  };
  const figures = await runChaos(options, (figure) => process.stdout.write(`${JSON.stringify(figure)}\n`));
  if (typeof figures === 'string') {
    process.stdout.write(`${JSON.stringify({ skipped: figures })}\n`);
    return;
  }
  const wrong = wrongFigures(figures);
  if (wrong.length > 0) {
    process.stderr.write(`${wrong.length} correctness figure(s) not 0: ${wrong.map((f) => f.figure).join('; ')}\n`);
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    process.stderr.write(`chaos run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
