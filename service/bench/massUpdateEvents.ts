import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { serviceConfigFor } from '../emulator/serviceConfig';
import { startService } from '../src/service';
import type { RawPubSubEvent } from '../src/salesforce/pubsub/changeEvent';
import { startEmulator } from '../emulator';
import { figure } from './figures';
import { scratchDatabase } from './scratchDatabase';

const TARGET_PER_10K = 60;

/**
 * Events delivered per 10,000 changed Salesforce records: one mass update (a data loader or a list view
 * edit: one DML statement) changes `changes` Contacts; the emulated package trigger packs up to 200 records
 * per event, and the figure counts the events the service's subscriber receives until every changed record
 * is in the directory, scaled to 10,000. Delivered events are the allocation the platform meters.
 */
export async function runMassUpdateBench(options: { changes: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-events-'));
  const emulator = await startEmulator({
    certDir: join(dir, 'certs'),
    seed: { contacts: options.changes, leads: 0, businessAccounts: 5, personAccounts: 0, users: 2 },
    personAccounts: false,
    keepaliveMs: 1000,
  });
  const scratch = await scratchDatabase(dir);
  const config = serviceConfigFor(emulator, join(dir, 'data'), 'Bench org');
  const service = await startService(config, { logger: pino({ level: 'silent' }), db: scratch.db, initialSync: false });
  const org = service.orgs[0];
  try {
    while (!org.subscriber.live) await new Promise((r) => setTimeout(r, 20));
    let events = 0;
    let records = 0;
    const done = new Promise<void>((resolve) => {
      org.subscriber.on('applied', (event: RawPubSubEvent) => {
        events++;
        records += (JSON.parse(String(event.payload.Payload__c)) as unknown[]).length;
        if (records >= options.changes) resolve();
      });
    });
    const store = emulator.org.store;
    const changes = Array.from({ length: options.changes }, (_, i) => ({
      Id: store.idFor('Contact', i),
      Title: 'Mass updated',
    }));
    store.update('Contact', changes, emulator.org.adminUser);
    await done;
    figure(
      `events delivered per 10,000 changed Salesforce records (${options.changes} changed in one mass update)`,
      (events * 10_000) / options.changes,
      'events',
      TARGET_PER_10K,
    );
  } finally {
    await service.close();
    await emulator.close();
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
