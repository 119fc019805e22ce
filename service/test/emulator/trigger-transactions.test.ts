import { decodeStoredEvent, eventBusOf } from '../../emulator/pubsub/eventBus';
import {
  CHANGE_EVENT_TOPIC,
  MAX_INLINE_PUBLISHES,
  MAX_INLINE_QUERIES,
  installChangeTrigger,
} from '../../emulator/triggers/changeTrigger';
import { useRestSession } from './rest-harness';

/**
 * The emulated change trigger across the statements of one API call, as the package's Apex handler
 * behaves in one transaction: partial saves (allOrNone=false) publish exactly the rows that saved,
 * once (issue 13 item 5), and a call whose trigger contexts would cross the handler's per-transaction
 * budget of queries and publishes defers the rest to after the call, each record still published
 * exactly once per sync (issue 13 item 6; SwitchboardChangeBudget, SwitchboardDeferredChanges).
 */

interface SaveResultBody {
  id?: string;
  success: boolean;
  errors: { statusCode: string }[];
}

type Decoded = Record<string, unknown> & { Payload__c: string; Sync_Id__c: string; Chunk_Count__c: number };

describe('emulated change trigger: transactions', () => {
  const rest = useRestSession();
  let uninstall: () => void = () => undefined;
  // What the handler would log: nothing here.
  const problems: unknown[] = [];
  const published = (): Decoded[] =>
    eventBusOf(rest.org)
      .retained(CHANGE_EVENT_TOPIC)
      .map((stored) => decodeStoredEvent(stored) as Decoded);
  const timesPublished = (events: Decoded[]): Map<string, number> => {
    const times = new Map<string, number>();
    for (const event of events)
      for (const record of JSON.parse(event.Payload__c) as Array<{ Id: string }>) {
        const key = `${event.Sync_Id__c}:${record.Id}`;
        times.set(key, (times.get(key) ?? 0) + 1);
      }
    return times;
  };
  const save = async (method: 'POST' | 'PATCH', body: unknown): Promise<SaveResultBody[]> => {
    const response = await rest.api(method, '/composite/sobjects', JSON.stringify(body));
    expect(response.status).toBe(200);
    return response.json() as SaveResultBody[];
  };

  beforeAll(() => {
    // A person loading data (Data Loader, an integration of their own), not the service's user.
    rest.org.integrationUserIds.delete(rest.org.integrationUser.userId);
    uninstall = installChangeTrigger(rest.org, { onError: (error) => problems.push(error) });
  });
  afterEach(() => expect(problems).toEqual([]));
  afterAll(() => {
    uninstall();
    rest.org.integrationUserIds.add(rest.org.integrationUser.userId);
  });

  it('a partial save publishes the rows that saved, each once, and never the failed row', async () => {
    const ids = [0, 1, 2].map((i) => rest.org.store.idFor('Contact', i));
    const before = published().length;

    const results = await save('PATCH', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Contact' }, Id: ids[0], Title: 'Partial one' },
        { attributes: { type: 'Contact' }, Id: ids[1], LastName: 'x'.repeat(81) },
        { attributes: { type: 'Contact' }, Id: ids[2], Title: 'Partial two' },
      ],
    });

    expect(results.map((r) => r.success)).toEqual([true, false, true]);
    expect(results[1].errors[0].statusCode).toBe('STRING_TOO_LONG');
    const events = published().slice(before);
    const syncId = rest.org.store.idFor('Switchboard_Sync__c', 0);
    expect(timesPublished(events)).toEqual(
      new Map([
        [`${syncId}:${ids[0]}`, 1],
        [`${syncId}:${ids[2]}`, 1],
      ]),
    );
    const titles = events.flatMap((event) =>
      (JSON.parse(event.Payload__c) as Array<{ Title: string }>).map((r) => r.Title),
    );
    expect(titles).toEqual(['Partial one', 'Partial two']);
  });

  it('contexts past the budget of one call are deferred to after it, each record once per sync', async () => {
    const { org } = rest;
    const scope = { Contact_Scope__c: 'LastName != null', Lead_Scope__c: 'LastName != null' };
    const first = org.store.idFor('Switchboard_Sync__c', 0);
    expect(org.store.update('Switchboard_Sync__c', [{ Id: first, ...scope }], org.adminUser)[0].errors).toEqual([]);
    const [second] = org.store.insert(
      'Switchboard_Sync__c',
      [
        {
          Name: 'Second sync',
          Status__c: 'Active',
          Direction__c: 'Both',
          Sync_Contacts__c: true,
          Sync_Leads__c: true,
          ...scope,
        },
      ],
      org.adminUser,
    );
    expect(second.errors).toEqual([]);
    // Ten chunks (alternating types), two records each; every context needs one scope query per sync.
    const records = Array.from({ length: 20 }, (_, i) => {
      const type = Math.floor(i / 2) % 2 === 0 ? 'Contact' : 'Lead';
      return type === 'Contact'
        ? { attributes: { type }, LastName: `Budget ${i}` }
        : { attributes: { type }, LastName: `Budget ${i}`, Company: 'Budget Ltd' };
    });
    const before = published().length;
    const afterEachCommit: number[] = [];
    const stop = org.store.onCommit(() => afterEachCommit.push(published().length - before));

    let results: SaveResultBody[];
    try {
      results = await save('POST', { allOrNone: false, records });
    } finally {
      stop();
    }

    expect(results.every((r) => r.success)).toBe(true);
    const inlineContexts = MAX_INLINE_QUERIES / 2;
    expect(inlineContexts).toBeLessThan(MAX_INLINE_PUBLISHES);
    // One event per sync for each inline context, published with its statement; nothing after.
    expect(afterEachCommit).toEqual(Array.from({ length: 10 }, (_, i) => 2 * Math.min(i + 1, inlineContexts)));
    const events = published().slice(before);
    // The deferred contexts: one publish each (two events numbered 1 and 2 of 2), after the call.
    expect(events).toHaveLength(20);
    for (const event of events) expect(event.Chunk_Count__c).toBe(2);
    expect(events.every((event) => event.CreatedById === org.integrationUser.userId)).toBe(true);
    const times = timesPublished(events);
    expect(times.size).toBe(40);
    for (const result of results) {
      expect(times.get(`${first}:${result.id}`)).toBe(1);
      expect(times.get(`${second.id}:${result.id}`)).toBe(1);
    }
  });
});
