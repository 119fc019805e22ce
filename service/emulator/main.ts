import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { CONNECTION_INFO_KEYS, connectionInfo, startEmulator, type EmulatorHandle } from './index';
import { DEMO_SEED, type SeedCounts } from './org/seed';

const USAGE = `Usage: npm run emulator -- [options]
  --port N              REST/OAuth port of the first org (default: a free port; org k uses N+k)
  --pubsub-port N       Pub/Sub gRPC port of the first org (default: a free port; org k uses N+k)
  --orgs N              how many orgs to emulate (default 1); one JSON line each
  --contacts N          seeded Contacts per org (default ${DEMO_SEED.contacts})
  --leads N             seeded Leads (default ${DEMO_SEED.leads})
  --person-accounts N   seeded Person Accounts (default ${DEMO_SEED.personAccounts}); 0 with --no-person-accounts
  --no-person-accounts  orgs without the Person Accounts feature
  --retention-hours N   Pub/Sub event retention (default 72)
  --token-ttl N         access token lifetime in seconds (default 7200)
  --keepalive-ms N      Pub/Sub keepalive period (default 270000)
  --idle-timeout-ms N   how long a Subscribe stream that requested nothing stays open (default 60000)
  --cert-dir DIR        where the TLS certificate goes (default .switchboard/emulator)
Prints one JSON line per org: {${CONNECTION_INFO_KEYS.map((key) => `"${key}"`).join(',')}}`;

const OPTIONS = {
  port: { type: 'string' },
  'pubsub-port': { type: 'string' },
  orgs: { type: 'string' },
  contacts: { type: 'string' },
  leads: { type: 'string' },
  'person-accounts': { type: 'string' },
  'no-person-accounts': { type: 'boolean' },
  'retention-hours': { type: 'string' },
  'token-ttl': { type: 'string' },
  'keepalive-ms': { type: 'string' },
  'idle-timeout-ms': { type: 'string' },
  'cert-dir': { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** A bad command line: reported with the usage text and exit code 2. */
class UsageError extends Error {}

/**
 * parseArgs refuses `--contacts -3` as ambiguous (the value looks like an option); joining such a
 * pair into `--contacts=-3` lets the flag's own check name the flag and the value.
 */
function joinNegativeValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : '';
    const option = (OPTIONS as Record<string, { type: string }>)[name];
    if (option?.type === 'string' && /^-\d/.test(args[i + 1] ?? '')) out.push(`${args[i]}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

function wholeNumber(
  name: string,
  value: string | undefined,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${name} must be a whole number ${range} (got "${value}")`);
  }
  return n;
}

function parseCommandLine(args: string[]) {
  try {
    return parseArgs({ args: joinNegativeValues(args), options: OPTIONS }).values;
  } catch (err) {
    // parseArgs names the offending option in its message ("Unknown option '--foo'").
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

async function main(): Promise<void> {
  const values = parseCommandLine(process.argv.slice(2));
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const personAccounts = !values['no-person-accounts'];
  const seed: SeedCounts = {
    ...DEMO_SEED,
    contacts: wholeNumber('contacts', values.contacts, DEMO_SEED.contacts),
    leads: wholeNumber('leads', values.leads, DEMO_SEED.leads),
    personAccounts: personAccounts
      ? wholeNumber('person-accounts', values['person-accounts'], DEMO_SEED.personAccounts)
      : 0,
  };
  const orgs = wholeNumber('orgs', values.orgs, 1, 1);
  const port = wholeNumber('port', values.port, 0, 0, 65535);
  const pubSubPort = wholeNumber('pubsub-port', values['pubsub-port'], 0, 0, 65535);
  const retentionHours = wholeNumber('retention-hours', values['retention-hours'], 72);
  const tokenTtlSeconds = wholeNumber('token-ttl', values['token-ttl'], 7200);
  // Timers of 0 ms would spin: both periods must be positive.
  const keepaliveMs =
    values['keepalive-ms'] === undefined ? undefined : wholeNumber('keepalive-ms', values['keepalive-ms'], 0, 1);
  const idleTimeoutMs =
    values['idle-timeout-ms'] === undefined
      ? undefined
      : wholeNumber('idle-timeout-ms', values['idle-timeout-ms'], 0, 1);
  if ((port && port + orgs - 1 > 65535) || (pubSubPort && pubSubPort + orgs - 1 > 65535)) {
    throw new UsageError(`--orgs ${orgs} needs ports beyond 65535 from --port/--pubsub-port`);
  }

  const handles: EmulatorHandle[] = [];
  const stop = (): void => {
    Promise.all(handles.map((h) => h.close())).then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`emulator shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (let k = 0; k < orgs; k++) {
    const handle = await startEmulator({
      orgNumber: k + 1,
      seed,
      personAccounts,
      certDir: values['cert-dir'] ?? join('.switchboard', 'emulator'),
      port: port ? port + k : 0,
      pubSubPort: pubSubPort ? pubSubPort + k : 0,
      retentionHours,
      tokenTtlSeconds,
      keepaliveMs,
      idleTimeoutMs,
    });
    handles.push(handle);
    process.stdout.write(`${JSON.stringify(connectionInfo(handle))}\n`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`emulator failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
