import type { RawPubSubEvent } from '../src/salesforce/pubsub/changeEvent';
import { makeId } from '../emulator/org/ids';
import { SCHEMA } from '../emulator/org/schema';
import { figure } from './harness/figures';
import { startUsage } from './harness/usage';
import { startLoadedOrg } from './harness/loadedOrg';

const TARGET_PER_10K = 60;
const TARGET_RECORDS_PER_SECOND = 5000;
/** Salesforce's limit of rows per DML transaction: a data load of 100,000 records is ten of these. */
const ROWS_PER_SAVE = 10_000;

/**
 * A mass update (a data load, a list view's mass edit) changes `changes` linked Contacts in saves of up to
 * 10,000 rows; the emulated package trigger packs up to 200 records per event. Figures: the events the
 * subscriber receives per 10,000 changed records (the allocation the platform meters), and how fast the
 * records are applied — from the first save to the last record in the directory — with the SQL statements
 * and service CPU per record and the emulator's share of a core. The org is loaded by the initial sync
 * first, so every record is one the directory holds and every change is a real one.
 */
export async function runMassUpdateBench(options: { changes: number }): Promise<void> {
  const loaded = await startLoadedOrg({
    contacts: options.changes,
    backend: process.env.DATABASE_URL ? 'postgres' : 'pglite',
  });
  const { service, emulator, edit } = loaded;
  const org = service.orgs[0];
  try {
    let events = 0;
    let records = 0;
    const done = new Promise<void>((resolve) => {
      org.subscriber.on('applied', (event: RawPubSubEvent) => {
        events++;
        records += (JSON.parse(String(event.payload.Payload__c)) as unknown[]).length;
        if (records >= options.changes) resolve();
      });
    });
    const statementsBefore = loaded.statements();
    const usage = startUsage(emulator.pid);
    const started = performance.now();
    for (let first = 0; first < options.changes; first += ROWS_PER_SAVE) {
      const size = Math.min(ROWS_PER_SAVE, options.changes - first);
      await edit(
        Array.from({ length: size }, (_, i) => ({
          // The emulator's first org is org number 1: its Contact ids are a pure function of the index.
          id: makeId(SCHEMA.Contact.keyPrefix, 1, first + i),
          fields: { Title: 'Mass updated' },
        })),
        { oneSave: true },
      );
    }
    await done;
    const seconds = (performance.now() - started) / 1000;
    const used = usage();
    const label = `mass update of ${options.changes} Contacts in saves of ${ROWS_PER_SAVE} (${loaded.kind})`;
    figure(
      `events delivered per 10,000 changed Salesforce records (${options.changes} changed in one mass update)`,
      (events * 10_000) / options.changes,
      'events',
      TARGET_PER_10K,
    );
    figure(`${label}: records applied per second`, options.changes / seconds, 'records/s', TARGET_RECORDS_PER_SECOND);
    figure(
      `${label}: SQL statements per applied record`,
      (loaded.statements() - statementsBefore) / options.changes,
      'statements',
      0,
    );
    figure(`${label}: service CPU per applied record`, (used.serviceCpuMs * 1000) / options.changes, 'µs', 0);
    figure(`${label}: emulator CPU share (of one core)`, used.emulatorShare, '%', 0);
  } finally {
    await loaded.close();
  }
}
