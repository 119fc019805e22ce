import { createLogger } from './log';
import { startService } from './service';
import { exitOnSignals, loadConfigOrExit } from './cli/process';

/** Production entry point: connects to the org(s) and database the environment names. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel, name: 'switchboard' });
  const service = await startService(config, { logger });
  exitOnSignals(logger, [() => service.close()]);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`Switchboard failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
