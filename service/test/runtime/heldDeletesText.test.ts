import pino from 'pino';
import { openDatabase } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import type { Database } from '../../src/store/types';
import { upsertOrg } from '../../src/store/state/orgs';
import { holdDeletes } from '../../src/store/state/heldDeletes';
import { PauseControl, type PausableWork } from '../../src/runtime/pauseControl';
import { DEFAULT_MAPPINGS } from '../../src/sync/rules/fieldMap';
import { DEFAULT_POLICY } from '../../src/sync/rules/context';

const ORG = 'org-1';

/** Issue 12 item 10: deletes held by both guards (Salesforce's and the directory's) are counted together in the text. */
describe('held deletes on both sides', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase({});
    await migrate(db);
    await upsertOrg(db, { id: ORG, name: 'Acme', loginUrl: 'https://login.example.com' });
  });

  afterAll(async () => {
    await db?.close();
  });

  it('says 8 when 3 Salesforce deletes and 5 directory deletes are held', async () => {
    const telephonyReason =
      'mass deletion held: contacts deleted in the directory would delete 5 of 40 linked Salesforce records (12.5 %), above the 10 % threshold';
    for (let i = 0; i < 5; i++)
      await db.query(
        `INSERT INTO outbox (org_id, sobject, record_id, operation, payload_hash, state, held_reason)
         VALUES ($1, 'Contact', $2, 'delete', 'h', 'held', $3)`,
        [ORG, `003T0000000000${i}AAA`, telephonyReason],
      );
    await holdDeletes(
      db,
      ORG,
      [0, 1, 2].map((i) => ({
        recordId: `003S0000000000${i}AAA`,
        sobject: 'Contact' as const,
        cause: 'deleted' as const,
        origin: 'event' as const,
        reason: 'mass deletion held: 3 of 35 linked contacts (8.6 %) would be deleted, above the 5 % threshold',
      })),
    );
    const control = new PauseControl({
      db,
      orgId: ORG,
      settings: {
        orgId: ORG,
        syncId: 'a0A',
        policy: DEFAULT_POLICY,
        mappings: DEFAULT_MAPPINGS,
        defaultCountry: 'US',
        objects: ['Contact'],
      },
      logger: pino({ level: 'silent' }),
      work: {} as PausableWork,
    });
    await control.refreshHeld();
    expect(control.held?.deletes).toBe(8);
    expect(control.held?.reason).toMatch(/^8 deletes are held/);
    expect(control.held?.reason).not.toMatch(/\b5 of\b/);
  });
});
