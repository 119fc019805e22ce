import { EmulatedOrg } from '../../emulator/org/org';
import type { DmlBatch } from '../../emulator/org/store';
import { decodeStoredEvent, eventBusOf } from '../../emulator/pubsub/eventBus';
import {
  CHANGE_EVENT_TOPIC,
  buildChangeEvents,
  installChangeTrigger,
  type ChangeEventFields,
} from '../../emulator/triggers/changeTrigger';
import { DEFAULT_MAPPED_FIELDS } from '../../emulator/triggers/mappedFields';
import { SMALL_SEED } from './pubsub-kit';

/** Runs one DML on the org and returns the events the trigger would publish for it. */
function eventsOf(org: EmulatedOrg, dml: () => void): ChangeEventFields[] {
  const batches: DmlBatch[] = [];
  const stop = org.store.onCommit((batch) => batches.push(batch));
  try {
    dml();
  } finally {
    stop();
  }
  expect(batches).toHaveLength(1);
  return buildChangeEvents(org, batches[0]);
}

const recordsOf = (events: ChangeEventFields[]): Array<Record<string, unknown>> =>
  events.flatMap((event) => JSON.parse(event.Payload__c) as Array<Record<string, unknown>>);

function newOrg(personAccounts = true): EmulatedOrg {
  return new EmulatedOrg({ seed: SMALL_SEED, personAccounts });
}

describe('buildChangeEvents', () => {
  test('a created Contact carries Id, SystemModstamp and every mapped field, with Account.Name resolved', () => {
    const org = newOrg();
    const accountId = org.store.idFor('Account', 0);
    let id = '';
    const events = eventsOf(org, () => {
      const [result] = org.store.insert(
        'Contact',
        [{ LastName: 'Lovelace', FirstName: 'Ada', Phone: '+44 20 7946 0000', AccountId: accountId }],
        org.adminUser,
      );
      id = result.id ?? '';
    });
    expect(events).toEqual([
      {
        Payload__c: expect.any(String),
        Operation__c: 'create',
        Object_Name__c: 'Contact',
        Record_Count__c: 1,
        Chunk_Sequence__c: 1,
        Chunk_Count__c: 1,
        // The new org's seeded "Default sync".
        Sync_Id__c: org.store.idFor('Switchboard_Sync__c', 0),
      },
    ]);
    const [record] = recordsOf(events);
    const stored = org.store.get('Contact', id)!;
    expect(Object.keys(record)).toEqual(['Id', 'SystemModstamp', ...DEFAULT_MAPPED_FIELDS.Contact]);
    expect(record).toMatchObject({
      Id: id,
      SystemModstamp: stored.SystemModstamp,
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Phone: '+44 20 7946 0000',
      Email: null,
      MobilePhone: null,
      'Account.Name': org.store.get('Account', accountId)!.Name,
    });
  });

  test("the integration user's writes publish nothing (echo suppression)", () => {
    const org = newOrg();
    const events = eventsOf(org, () =>
      org.store.update('Contact', [{ Id: org.store.idFor('Contact', 0), Phone: '555 0100' }], org.integrationUser),
    );
    expect(events).toEqual([]);
  });

  test('an update that changes no mapped field publishes nothing; one that does carries only its records', () => {
    const org = newOrg();
    const [c0, c1] = [org.store.idFor('Contact', 0), org.store.idFor('Contact', 1)];
    expect(eventsOf(org, () => org.store.update('Contact', [{ Id: c0, Department: 'Sales' }], org.adminUser))).toEqual(
      [],
    );
    const phone = org.store.get('Contact', c1)!.Phone;
    expect(eventsOf(org, () => org.store.update('Contact', [{ Id: c1, Phone: phone }], org.adminUser))).toEqual([]);

    const events = eventsOf(org, () =>
      org.store.update(
        'Contact',
        [
          { Id: c0, Department: 'Support' },
          { Id: c1, Title: 'Chief Listener' },
        ],
        org.adminUser,
      ),
    );
    expect(events).toHaveLength(1);
    expect(events[0].Record_Count__c).toBe(1);
    expect(recordsOf(events)).toEqual([expect.objectContaining({ Id: c1, Title: 'Chief Listener' })]);
  });

  test('moving a Contact to another Account counts as an Account.Name change, even to a namesake', () => {
    const org = newOrg();
    const contactId = org.store.idFor('Contact', 0);
    const currentName = org.store.resolvePath('Contact', org.store.get('Contact', contactId)!, 'Account.Name');
    const [namesake] = org.store.insert('Account', [{ Name: currentName }], org.adminUser);
    const events = eventsOf(org, () =>
      org.store.update('Contact', [{ Id: contactId, AccountId: namesake.id }], org.adminUser),
    );
    expect(recordsOf(events)).toEqual([expect.objectContaining({ Id: contactId, 'Account.Name': currentName })]);
  });

  test('Leads carry their mapped fields, Company included', () => {
    const org = newOrg();
    const leadId = org.store.idFor('Lead', 0);
    const events = eventsOf(org, () => org.store.update('Lead', [{ Id: leadId, Company: 'Initech' }], org.adminUser));
    const [record] = recordsOf(events);
    expect(events[0].Object_Name__c).toBe('Lead');
    expect(Object.keys(record)).toEqual(['Id', 'SystemModstamp', ...DEFAULT_MAPPED_FIELDS.Lead]);
    expect(record.Company).toBe('Initech');
  });

  test('Person Accounts publish as Account; business accounts never do', () => {
    const org = newOrg(true);
    const business = org.store.idFor('Account', 0);
    const person = org.store.idFor('Account', SMALL_SEED.businessAccounts);
    expect(org.store.get('Account', person)!.IsPersonAccount).toBe(true);
    expect(
      eventsOf(org, () => org.store.update('Account', [{ Id: business, Phone: '555 0101' }], org.adminUser)),
    ).toEqual([]);

    const events = eventsOf(org, () =>
      org.store.update(
        'Account',
        [
          { Id: business, Phone: '555 0102' },
          { Id: person, PersonEmail: 'grace@example.org' },
        ],
        org.adminUser,
      ),
    );
    expect(events).toHaveLength(1);
    expect(events[0].Object_Name__c).toBe('Account');
    const [record] = recordsOf(events);
    expect(Object.keys(record)).toEqual(['Id', 'SystemModstamp', ...DEFAULT_MAPPED_FIELDS.Account]);
    expect(record).toMatchObject({ Id: person, PersonEmail: 'grace@example.org' });
  });

  test('without Person Accounts, Account changes publish nothing', () => {
    const org = newOrg(false);
    const events = eventsOf(org, () =>
      org.store.update('Account', [{ Id: org.store.idFor('Account', 0), Phone: '555 0103' }], org.adminUser),
    );
    expect(events).toEqual([]);
  });

  test('450 records become 3 events of 200, 200 and 50, numbered in sequence', () => {
    const org = newOrg();
    const rows = Array.from({ length: 450 }, (_, i) => ({ LastName: `Bulk ${i}` }));
    const events = eventsOf(org, () => org.store.insert('Contact', rows, org.adminUser));
    expect(events.map((e) => e.Record_Count__c)).toEqual([200, 200, 50]);
    expect(events.map((e) => e.Chunk_Sequence__c)).toEqual([1, 2, 3]);
    expect(events.every((e) => e.Chunk_Count__c === 3)).toBe(true);
    expect(recordsOf(events).map((r) => r.LastName)).toEqual(rows.map((r) => r.LastName));
  });

  test('a payload over 131072 characters is split further, each part within the limit', () => {
    const org = newOrg();
    const long = (n: number, c: string): string => c.repeat(n);
    const rows = Array.from({ length: 200 }, (_, i) => ({
      FirstName: long(40, 'f'),
      LastName: `${long(76, 'l')}${String(i).padStart(4, '0')}`,
      Email: `${long(60, 'e')}${i}@example.com`,
      Phone: long(40, '1'),
      MobilePhone: long(40, '2'),
      HomePhone: long(40, '3'),
      OtherPhone: long(40, '4'),
      Title: long(128, 't'),
    }));
    const events = eventsOf(org, () => org.store.insert('Contact', rows, org.adminUser));
    const unsplit = JSON.stringify(recordsOf(events));
    expect(unsplit.length).toBeGreaterThan(131072);
    expect(events.length).toBeGreaterThan(1);
    for (const event of events) expect(event.Payload__c.length).toBeLessThanOrEqual(131072);
    expect(events.reduce((sum, e) => sum + e.Record_Count__c, 0)).toBe(200);
    expect(events.map((e) => e.Chunk_Sequence__c)).toEqual(events.map((_, i) => i + 1));
    expect(recordsOf(events).map((r) => r.LastName)).toEqual(rows.map((r) => r.LastName));
  });

  test('a delete carries only Id and SystemModstamp; an undelete carries the full values', () => {
    const org = newOrg();
    const contactId = org.store.idFor('Contact', 2);
    const deleted = eventsOf(org, () => org.store.delete('Contact', [contactId], org.adminUser));
    expect(deleted[0].Operation__c).toBe('delete');
    const stamp = org.store.getDeleted('Contact', contactId)!.SystemModstamp;
    expect(recordsOf(deleted)).toEqual([{ Id: contactId, SystemModstamp: stamp }]);

    const restored = eventsOf(org, () => org.store.undelete('Contact', [contactId], org.adminUser));
    expect(restored[0].Operation__c).toBe('undelete');
    const [record] = recordsOf(restored);
    expect(Object.keys(record)).toEqual(['Id', 'SystemModstamp', ...DEFAULT_MAPPED_FIELDS.Contact]);
    expect(record.LastName).toBe(org.store.get('Contact', contactId)!.LastName);
  });
});

describe('installChangeTrigger', () => {
  test('publishes each trigger context once, as the acting user, until uninstalled', () => {
    const org = newOrg();
    const bus = eventBusOf(org);
    const uninstall = installChangeTrigger(org);
    expect(() => installChangeTrigger(org)).toThrow('already installed');

    org.store.insert(
      'Contact',
      Array.from({ length: 250 }, (_, i) => ({ LastName: `T${i}` })),
      org.adminUser,
    );
    const events = bus.retained(CHANGE_EVENT_TOPIC);
    expect(events).toHaveLength(2);
    // One publish call: consecutive replay ids.
    expect(events[1].replay).toBe(events[0].replay + 1n);
    expect(events.map((e) => decodeStoredEvent(e))).toEqual([
      expect.objectContaining({
        CreatedById: org.adminUser.userId,
        Record_Count__c: 200,
        Chunk_Sequence__c: 1,
        Chunk_Count__c: 2,
      }),
      expect.objectContaining({
        CreatedById: org.adminUser.userId,
        Record_Count__c: 50,
        Chunk_Sequence__c: 2,
        Chunk_Count__c: 2,
      }),
    ]);

    org.store.update('Contact', [{ Id: org.store.idFor('Contact', 0), Phone: '555 0199' }], org.integrationUser);
    expect(bus.retained(CHANGE_EVENT_TOPIC)).toHaveLength(2);

    uninstall();
    org.store.update('Contact', [{ Id: org.store.idFor('Contact', 0), Phone: '555 0198' }], org.adminUser);
    expect(bus.retained(CHANGE_EVENT_TOPIC)).toHaveLength(2);
  });

  test('a failure to publish is reported, never thrown into the committed DML', () => {
    const org = newOrg();
    const failures: unknown[] = [];
    const bus = eventBusOf(org);
    const append = jest.spyOn(bus, 'append').mockImplementation(() => {
      throw new Error('bus down');
    });
    const uninstall = installChangeTrigger(org, { onError: (error) => failures.push(error) });
    try {
      const [result] = org.store.update(
        'Contact',
        [{ Id: org.store.idFor('Contact', 0), Phone: '555 0197' }],
        org.adminUser,
      );
      expect(result.success).toBe(true);
      expect(failures).toEqual([new Error('bus down')]);
    } finally {
      uninstall();
      append.mockRestore();
    }
  });
});
