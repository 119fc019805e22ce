/**
 * The service as a process of its own, for the chaos trials (`npm run chaos`): the trial runner starts it,
 * kills it with SIGKILL at a moment of its choosing and starts it again on the same database. It runs
 * service/src's startService, as src/main.ts does, with the configuration the runner passes as one JSON
 * argument (the emulated org's endpoints, the database URL) and test-sized timers, and prints one JSON
 * line `{"url": …, "pid": …}` once it serves. Logs (warn and above) go to stderr.
 */
import pino from 'pino';
import type { Config } from '../../src/config';
import { startService } from '../../src/service';

/** What the runner hands the child: a whole Config plus the startService options a trial varies. */
export interface ChaosServiceArgs {
  config: Config;
  initialSyncPageSize: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as ChaosServiceArgs;
  const logger = pino({ level: process.env.CHAOS_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const service = await startService(args.config, {
    logger,
    initialSync: true,
    initialSyncPageSize: args.initialSyncPageSize,
    // A restarted process takes the org over from the killed one quickly (its advisory locks are gone
    // with its connections); the production defaults would make every trial wait seconds for nothing.
    electionRetryMs: 200,
    subscriber: { backoff: { initialMs: 100, maxMs: 1_000 } },
  });
  process.stdout.write(`${JSON.stringify({ url: service.url, pid: process.pid })}\n`);
  const stop = (): void => {
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`chaos service failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
