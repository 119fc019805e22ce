import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { createTemporaryDatabase, postgresUrlFromEnv, type TemporaryDatabase } from '../support/backends';

const postgresUrl = postgresUrlFromEnv();
const ROOT = join(__dirname, '..', '..', '..');

interface Outcome {
  lived: boolean;
  before: number;
  long: { unavailable: boolean; message: string };
  tx: { unavailable: boolean; message: string };
  after: Array<{ unavailable: boolean; message: string }>;
}

/** Runs the scenario in a process of its own: an unhandled 'error' event would end that process, not jest's. */
function runScenario(url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      [join(__dirname, '..', 'support', 'connectionLossScenario.ts'), url],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error.code as number | undefined) ?? 1) : 0, stdout, stderr }),
    );
  });
}

(postgresUrl ? describe : describe.skip)(
  `a database connection ended under the service (postgres${postgresUrl ? '' : ': set DATABASE_URL to run'})`,
  () => {
    let database: TemporaryDatabase;

    beforeAll(async () => {
      database = await createTemporaryDatabase(postgresUrl as string);
    });

    afterAll(async () => {
      await database?.drop();
    });

    it('survives pg_terminate_backend of checked-out and idle clients; callers see "database unavailable"', async () => {
      const { code, stdout, stderr } = await runScenario(database.url);
      expect({ code, stderr: stderr.split('\n').slice(0, 12).join('\n') }).toEqual({ code: 0, stderr: '' });
      const outcome = JSON.parse(stdout.trim().split('\n').pop() as string) as Outcome;
      expect(outcome.lived).toBe(true);
      expect(outcome.before).toBeGreaterThanOrEqual(2);
      // The query the server was running and the open transaction fail as an outage, not as a bug.
      expect(outcome.long.unavailable).toBe(true);
      expect(outcome.tx.unavailable).toBe(true);
      // Afterwards the pool opens new connections: any failure on the way is an outage, and it ends.
      expect(outcome.after.filter((r) => !r.unavailable && r.message !== 'ok 1')).toEqual([]);
      expect(outcome.after.at(-1)).toEqual({ unavailable: false, message: 'ok 1' });
    });
  },
);
