import { ConfigError, loadConfig, type Config } from '../config';
import type { Logger } from '../log';

/** Loads the configuration, or prints every problem (naming each variable) and exits with status 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** On SIGINT/SIGTERM: run the closers in order (a failing one is logged, the rest still run), then exit. */
export function exitOnSignals(logger: Logger, closers: Array<() => Promise<void>>): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    void (async () => {
      let failed = false;
      for (const close of closers) {
        await close().catch((err: unknown) => {
          failed = true;
          logger.error({ err }, 'shutdown step failed');
        });
      }
      process.exit(failed ? 1 : 0);
    })();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}
