/**
 * `npm run migrate`: applies pending database migrations and exits. The service also migrates at
 * startup; this is for deployments that migrate as a separate step.
 */
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../log';
import { openDatabase } from '../store/db';
import { migrate } from '../store/migrate';

export async function runMigrations(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel, name: 'migrate' });
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger,
    preparedStatements: config.preparedStatements,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
  });
  try {
    const { applied } = await migrate(db, logger);
    return applied;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  runMigrations().then(
    (applied) => {
      console.log(
        applied.length === 0
          ? 'Database is up to date.'
          : `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}`,
      );
      process.exit(0);
    },
    (error: unknown) => {
      console.error(
        error instanceof ConfigError
          ? error.message
          : `Migration failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    },
  );
}
