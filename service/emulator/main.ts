import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { connectionInfo, startEmulator, type EmulatorHandle } from './index';
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
  --cert-dir DIR        where the TLS certificate goes (default .switchboard/emulator)
Prints one JSON line per org: {"loginUrl","instanceUrl","clientId","clientSecret","organizationId","pubSubEndpoint","certPath"}`;

function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a whole number ≥ 0 (got "${value}")\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
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
      'cert-dir': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const personAccounts = !values['no-person-accounts'];
  const seed: SeedCounts = {
    ...DEMO_SEED,
    contacts: count('contacts', values.contacts, DEMO_SEED.contacts),
    leads: count('leads', values.leads, DEMO_SEED.leads),
    personAccounts: personAccounts ? count('person-accounts', values['person-accounts'], DEMO_SEED.personAccounts) : 0,
  };
  const orgs = Math.max(1, count('orgs', values.orgs, 1));
  const port = count('port', values.port, 0);
  const pubSubPort = count('pubsub-port', values['pubsub-port'], 0);
  const handles: EmulatorHandle[] = [];
  for (let k = 0; k < orgs; k++) {
    const handle = await startEmulator({
      orgNumber: k + 1,
      seed,
      personAccounts,
      certDir: values['cert-dir'] ?? join('.switchboard', 'emulator'),
      port: port ? port + k : 0,
      pubSubPort: pubSubPort ? pubSubPort + k : 0,
      retentionHours: count('retention-hours', values['retention-hours'], 72),
      tokenTtlSeconds: count('token-ttl', values['token-ttl'], 7200),
      keepaliveMs: values['keepalive-ms'] ? count('keepalive-ms', values['keepalive-ms'], 270_000) : undefined,
    });
    handles.push(handle);
    process.stdout.write(`${JSON.stringify(connectionInfo(handle))}\n`);
  }
  const stop = () => void Promise.all(handles.map((h) => h.close())).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`emulator failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
