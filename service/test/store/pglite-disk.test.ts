import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import { MIGRATIONS } from '../../src/store/migrations';
import { BACKEND_HOOK_TIMEOUT_MS } from '../support/backends';

describe('on-disk PGlite', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-pglite-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it(
    'keeps its data across close and reopen',
    async () => {
      const first = await openDatabase({ dataDir });
      expect(first.kind).toBe('pglite');
      expect((await migrate(first)).applied).toHaveLength(MIGRATIONS.length);
      await first.query("INSERT INTO org_connections (id, name, login_url) VALUES ('org1', 'Acme', 'https://login')");
      await first.close();
      expect(fs.existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);

      const second = await openDatabase({ dataDir });
      try {
        expect((await migrate(second)).applied).toEqual([]);
        const { rows } = await second.query<{ name: string }>('SELECT name FROM org_connections');
        expect(rows).toEqual([{ name: 'Acme' }]);
      } finally {
        await second.close();
      }
    },
    BACKEND_HOOK_TIMEOUT_MS,
  );

  it(
    'refuses a second opener of the same directory until the first closes',
    async () => {
      const first = await openDatabase({ dataDir });
      try {
        await expect(openDatabase({ dataDir })).rejects.toThrow(
          /The embedded database in .* is in use: this process already has it open/,
        );
      } finally {
        await first.close();
      }
      expect(fs.existsSync(path.join(dataDir, 'pglite.lock'))).toBe(false);
      const again = await openDatabase({ dataDir });
      await again.close();
    },
    BACKEND_HOOK_TIMEOUT_MS,
  );

  it(
    'takes over a lock left by a process that is gone',
    async () => {
      fs.writeFileSync(path.join(dataDir, 'pglite.lock'), '2147483646\n');
      const db = await openDatabase({ dataDir });
      try {
        expect(fs.readFileSync(path.join(dataDir, 'pglite.lock'), 'utf8').trim()).toBe(String(process.pid));
      } finally {
        await db.close();
      }
    },
    BACKEND_HOOK_TIMEOUT_MS,
  );
});
