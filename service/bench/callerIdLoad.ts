import { createRequire } from 'node:module';

/**
 * The caller-ID bench's load generator, run as a process of its own (callerId.ts starts it) so the load's
 * own work does not share the service's one thread. autocannon (pinned devDependency) keeps `connections`
 * requests in flight for `seconds`, each asking for a number drawn at random: `hitRatio` of them numbers
 * the directory holds (contact `i` has +1 212 3xx xxxx, see callerId.ts), the rest unknown ones.
 * Prints autocannon's result as one JSON line.
 *
 *   node --import tsx callerIdLoad.ts <url-prefix> <key> <contacts> <connections> <seconds> <hitRatio>
 */
interface AutocannonRequest {
  method?: string;
  path?: string;
  setupRequest?(request: { path: string }): { path: string };
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
type Autocannon = (
  options: { url: string; connections: number; duration: number; requests: AutocannonRequest[] },
  done: (error: Error | null, result: AutocannonResult) => void,
) => unknown;

// autocannon ships no types; createRequire keeps this an ordinary CommonJS load.
const autocannon = createRequire(__filename)('autocannon') as Autocannon;

/** The E.164 number of bench contact `i` (work phone), as callerId.ts stores it. */
export function benchNumber(i: number): string {
  return `+1212${3_000_000 + i}`;
}

function main(): void {
  const [prefix, key, contacts, connections, seconds, hitRatio] = process.argv.slice(2);
  const base = new URL(prefix);
  const count = Number(contacts);
  const hits = Number(hitRatio);
  autocannon(
    {
      url: base.origin,
      connections: Number(connections),
      duration: Number(seconds),
      requests: [
        {
          method: 'GET',
          setupRequest(request) {
            const i = Math.floor(Math.random() * count);
            // Unknown numbers: a block of valid New York numbers no bench contact has.
            const number = Math.random() < hits ? benchNumber(i) : `+1212${8_000_000 + (i % 999_999)}`;
            return { ...request, path: `${base.pathname}${encodeURIComponent(number)}?key=${key}` };
          },
        },
      ],
    },
    (error, result) => {
      if (error) {
        process.stderr.write(`load generator failed: ${error.message}\n`);
        process.exit(1);
      }
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
  );
}

if (require.main === module) main();
