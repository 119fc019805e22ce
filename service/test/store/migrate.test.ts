import { openDatabase } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import { MIGRATIONS } from '../../src/store/migrations';
import { describeEachBackend } from '../support/backends';

const ALL_LABELS = MIGRATIONS.map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`);

const EXPECTED_TABLES = [
  'access_keys',
  'audit_log',
  'call_rejects',
  'calls',
  'carddav_resources',
  'directory_contacts',
  'directory_phones',
  'directory_tombstones',
  'held_deletes',
  'initial_sync_progress',
  'internal_users',
  'ldap_mirror_state',
  'links',
  'org_connections',
  'outbox',
  'phone_books',
  'processed_events',
  'reconcile_leases',
  'reconcile_watermarks',
  'record_health',
  'record_status_sent',
  'replay_checkpoints',
  'schema_migrations',
  'sync_errors_sent',
];

describeEachBackend(
  'migrate',
  (getDb, backend) => {
    async function tables(): Promise<string[]> {
      const { rows } = await getDb().query<{ tablename: string }>(
        'SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename',
      );
      return rows.map((r) => r.tablename);
    }

    it('applies every migration once, then nothing', async () => {
      const first = await migrate(getDb());
      expect(first.applied).toEqual(ALL_LABELS);
      expect(await tables()).toEqual(EXPECTED_TABLES);

      const second = await migrate(getDb());
      expect(second.applied).toEqual([]);
      const { rows } = await getDb().query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    });

    it('two concurrent calls on one database apply each migration once', async () => {
      const results = await Promise.all([migrate(getDb()), migrate(getDb())]);
      expect(results.flatMap((r) => r.applied)).toEqual([]);
    });

    it('rolls back a failing migration and names it', async () => {
      const broken = [
        ...MIGRATIONS,
        { version: 999, name: 'broken', sql: 'CREATE TABLE half_done (id int); SELECT no_such_fn();' },
      ];
      await expect(migrate(getDb(), undefined, broken)).rejects.toThrow(/Migration 999_broken failed: .*no_such_fn/);
      expect(await tables()).not.toContain('half_done');
      const { rows } = await getDb().query('SELECT 1 FROM schema_migrations WHERE version = 999');
      expect(rows).toHaveLength(0);
    });

    it('refuses a history whose names disagree with the code', async () => {
      const renamed = MIGRATIONS.map((m) => ({ ...m, name: `${m.name}_renamed` }));
      await expect(migrate(getDb(), undefined, renamed)).rejects.toThrow(/version 1 was applied as "initial"/);
    });

    // Two pools on one database need real Postgres: an embedded PGlite belongs to one process.
    if (backend.kind === 'postgres') {
      it('two instances starting together against one PostgreSQL database migrate it once', async () => {
        if (!backend.databaseUrl) throw new Error('postgres backend without databaseUrl');
        // A fresh schema inside this suite's database, so the race starts from nothing.
        await getDb().query('CREATE SCHEMA race');
        const url = new URL(backend.databaseUrl);
        url.searchParams.set('options', '-c search_path=race');
        const [a, b] = await Promise.all([
          openDatabase({ databaseUrl: url.toString() }),
          openDatabase({ databaseUrl: url.toString() }),
        ]);
        try {
          const results = await Promise.all([migrate(a), migrate(b)]);
          const all = results.flatMap((r) => r.applied);
          expect(all.sort()).toEqual(ALL_LABELS);
          const { rows } = await a.query<{ n: string }>('SELECT count(*) AS n FROM race.schema_migrations');
          expect(Number(rows[0]?.n)).toBe(MIGRATIONS.length);
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      });
    }
  },
  { migrate: false },
);
