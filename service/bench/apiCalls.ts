import type { Database } from '../src/store/types';
import { insertContact } from '../src/directory/contacts';
import { createLink } from '../src/store/state/links';
import { directoryToSf, type FieldMapping } from '../src/sync/rules/fieldMap';
import { stableHash } from '../src/sync/rules/hash';
import { outboxStats } from '../src/store/outbox/outbox';
import type { EmulatorHandle } from '../emulator';
import { startBenchOrg } from './harness/benchOrg';
import { figure } from './harness/figures';

/** How many edits are in flight at once, as a busy PBX or CRM-integrated softphone fleet sends them. */
const CONCURRENCY = 16;

/**
 * API calls spent per 1,000 telephony-side edits: `edits` directory contacts linked to Salesforce Contacts
 * are each edited once through the REST API (PATCH, as telephony clients do), and the figure is the rise
 * in the org's metered API usage until every write-back has landed, scaled to 1,000 edits. Everything the
 * service spends in that window counts (status reports, record status fields); the second figure counts
 * the write-back's own sObject Collections calls.
 */
export async function runApiCallsBench(options: { edits: number }): Promise<void> {
  const { emulator, db, config, service, close } = await startBenchOrg('api', {
    contacts: options.edits,
    leads: 0,
    businessAccounts: 5,
    personAccounts: 0,
    users: 2,
  });
  try {
    const runtime = service.orgs[0];
    const contactIds = await linkSeededContacts(
      db,
      runtime.settings.orgId,
      runtime.settings.mappings,
      emulator.org.store,
      options.edits,
    );
    const usage = emulator.org.apiUsage;
    const before = usage.used;
    // The write-back's own calls: each sObject Collections update is one DML statement that sets Title.
    let writeBackCalls = 0;
    emulator.org.store.onCommit((batch) => {
      if (batch.operation === 'update' && batch.changes.some((c) => c.before?.Title !== c.after?.Title))
        writeBackCalls++;
    });
    let next = 0;
    const edit = async (): Promise<void> => {
      while (next < contactIds.length) {
        const i = next++;
        const res = await fetch(`${service.url}/api/v1/contacts/${contactIds[i]}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${config.apiToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title: `Edited ${i}` }),
        });
        if (res.status !== 200) throw new Error(`PATCH answered ${res.status}: ${await res.text()}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, edit));
    for (;;) {
      const stats = await outboxStats(db, runtime.settings.orgId);
      if (stats.pending + stats.processing === 0) {
        if (stats.failed > 0) throw new Error(`${stats.failed} write-backs failed`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const calls = usage.used - before;
    figure('api_calls_per_1000_edits', (calls * 1000) / options.edits, 'calls', 5);
    figure('write_back_calls_per_1000_edits', (writeBackCalls * 1000) / options.edits, 'calls', 5);
  } finally {
    await close();
  }
}

type Store = EmulatorHandle['org']['store'];

/** Directory contacts for the first `count` seeded Contacts, linked with the values Salesforce holds. */
async function linkSeededContacts(
  db: Database,
  orgId: string,
  mappings: FieldMapping[],
  store: Store,
  count: number,
): Promise<string[]> {
  return db.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const recordId = store.idFor('Contact', i);
      const record = store.get('Contact', recordId);
      const contact = await insertContact(
        tx,
        {
          firstName: text(record?.FirstName),
          lastName: text(record?.LastName),
          title: text(record?.Title),
          email: text(record?.Email),
        },
        'salesforce',
      );
      const sfValues = directoryToSf(mappings, 'Contact', contact);
      await createLink(tx, {
        orgId,
        contactId: contact.id,
        sobject: 'Contact',
        recordId,
        sfValues,
        sfHash: stableHash(sfValues),
      });
      ids.push(contact.id);
    }
    return ids;
  });
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
