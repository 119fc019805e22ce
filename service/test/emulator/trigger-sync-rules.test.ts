import { EmulatedOrg } from '../../emulator/org/org';
import type { DmlBatch } from '../../emulator/org/store';
import * as eventBus from '../../emulator/pubsub/eventBus';
import {
  CHANGE_EVENT_TOPIC,
  buildChangeEvents,
  installChangeTrigger,
  type ChangeEventFields,
} from '../../emulator/triggers/changeTrigger';
import { DEFAULT_MAPPED_FIELDS } from '../../emulator/triggers/mappedFields';

/**
 * The emulated trigger publishes only when the package's Apex handler would: an active sync that
 * sends Salesforce changes and covers the object, records in its scope, its own mapped fields (or the
 * shipped defaults), its id in Sync_Id__c, and one publish call per trigger context.
 */

const SEED = { contacts: 6, leads: 3, businessAccounts: 2, personAccounts: 2, users: 2 };

interface Outcome {
  events: ChangeEventFields[];
  problems: string[];
}

/** Runs one DML and returns what the trigger builds for it, with the problems the handler would log. */
function run(org: EmulatedOrg, dml: () => void): Outcome {
  const batches: DmlBatch[] = [];
  const stop = org.store.onCommit((batch) => batches.push(batch));
  try {
    dml();
  } finally {
    stop();
  }
  expect(batches).toHaveLength(1);
  const problems: string[] = [];
  return { events: buildChangeEvents(org, batches[0], (problem) => problems.push(problem.message)), problems };
}

const recordsOf = (events: ChangeEventFields[]): Array<Record<string, unknown>> =>
  events.flatMap((event) => JSON.parse(event.Payload__c) as Array<Record<string, unknown>>);

function newOrg(options: { seedSync?: boolean; personAccounts?: boolean } = {}): EmulatedOrg {
  return new EmulatedOrg({ seed: SEED, personAccounts: options.personAccounts ?? true, seedSync: options.seedSync });
}

const defaultSyncId = (org: EmulatedOrg): string => org.store.idFor('Switchboard_Sync__c', 0);

function updateSync(org: EmulatedOrg, id: string, fields: Record<string, unknown>): void {
  const [result] = org.store.update('Switchboard_Sync__c', [{ Id: id, ...fields }], org.adminUser);
  expect(result.errors).toEqual([]);
}

function createSync(org: EmulatedOrg, fields: Record<string, unknown>): string {
  const [result] = org.store.insert(
    'Switchboard_Sync__c',
    [{ Name: 'Second sync', Status__c: 'Active', ...fields }],
    org.adminUser,
  );
  expect(result.errors).toEqual([]);
  return result.id as string;
}

function addMappings(
  org: EmulatedOrg,
  syncId: string,
  rows: Array<[object: string, field: string, telephony: string, direction: string]>,
): void {
  const results = org.store.insert(
    'Switchboard_Field_Mapping__c',
    rows.map(([object, field, telephony, direction]) => ({
      Sync__c: syncId,
      Salesforce_Object__c: object,
      Salesforce_Field__c: field,
      Telephony_Field__c: telephony,
      Direction__c: direction,
    })),
    org.adminUser,
  );
  expect(results.flatMap((r) => r.errors)).toEqual([]);
}

const touchContact =
  (org: EmulatedOrg, index = 0, fields: Record<string, unknown> = { Title: `Title ${Date.now()}` }) =>
  () =>
    org.store.update('Contact', [{ Id: org.store.idFor('Contact', index), ...fields }], org.adminUser);

describe('which syncs publish', () => {
  test('the seeded Default sync publishes with its id; an org without a sync publishes nothing', () => {
    const org = newOrg();
    const { events } = run(org, touchContact(org));
    expect(events.map((e) => e.Sync_Id__c)).toEqual([defaultSyncId(org)]);
    const bare = newOrg({ seedSync: false });
    expect(run(bare, touchContact(bare)).events).toEqual([]);
  });

  test.each([
    ['NotStarted', false],
    ['Deleting', false],
    [null, false],
    ['InitialSync', true],
    ['Active', true],
    ['Paused', true],
    ['Error', true],
  ])('status %s publishes: %s (the handler skips NotStarted, Deleting and blank)', (status, publishes) => {
    const org = newOrg();
    updateSync(org, defaultSyncId(org), { Status__c: status });
    expect(run(org, touchContact(org)).events.length > 0).toBe(publishes);
  });

  test('a change to the syncs or their mappings is seen by the next trigger run (what it read is not kept past it)', () => {
    const org = newOrg();
    expect(run(org, touchContact(org, 0, { Title: 'First' })).events).toHaveLength(1);
    updateSync(org, defaultSyncId(org), { Status__c: 'Deleting' });
    expect(run(org, touchContact(org, 0, { Title: 'Second' })).events).toEqual([]);
    updateSync(org, defaultSyncId(org), { Status__c: 'Active' });
    const before = recordsOf(run(org, touchContact(org, 0, { Title: 'Third' })).events);
    expect(Object.keys(before[0])).toContain('Email');
    addMappings(org, defaultSyncId(org), [['Contact', 'LastName', 'lastName', 'Both']]);
    const after = recordsOf(run(org, touchContact(org, 0, { LastName: 'Renamed' })).events);
    expect(Object.keys(after[0])).toContain('LastName');
    expect(Object.keys(after[0])).not.toContain('Email');
  });

  test('a telephony → Salesforce only sync takes no Salesforce changes', () => {
    const org = newOrg();
    updateSync(org, defaultSyncId(org), { Direction__c: 'ToSalesforce' });
    expect(run(org, touchContact(org)).events).toEqual([]);
  });

  test('an object the sync does not cover publishes nothing; the others still do', () => {
    const org = newOrg();
    updateSync(org, defaultSyncId(org), { Sync_Leads__c: false, Sync_Person_Accounts__c: false });
    const lead = org.store.idFor('Lead', 0);
    expect(run(org, () => org.store.update('Lead', [{ Id: lead, Title: 'Buyer 2' }], org.adminUser)).events).toEqual(
      [],
    );
    const person = org.store.idFor('Account', SEED.businessAccounts);
    expect(
      run(org, () => org.store.update('Account', [{ Id: person, PersonEmail: 'p@example.org' }], org.adminUser)).events,
    ).toEqual([]);
    expect(run(org, touchContact(org)).events).toHaveLength(1);
  });

  test("the integration user's writes publish nothing, whatever the syncs", () => {
    const org = newOrg();
    createSync(org, {});
    expect(
      run(org, () =>
        org.store.update('Contact', [{ Id: org.store.idFor('Contact', 0), Title: 'X' }], org.integrationUser),
      ).events,
    ).toEqual([]);
  });
});

describe('mapped fields', () => {
  test('without mapping rows the shipped defaults apply, in their sort order', () => {
    const org = newOrg();
    const { events } = run(org, touchContact(org));
    expect(Object.keys(recordsOf(events)[0])).toEqual(['Id', 'SystemModstamp', ...DEFAULT_MAPPED_FIELDS.Contact]);
  });

  test("a sync's own mapping rows replace the defaults: the payload carries every mapped field; only outbound ones trigger", () => {
    const org = newOrg();
    const syncId = defaultSyncId(org);
    addMappings(org, syncId, [
      ['Contact', 'Email', 'email', 'Both'],
      ['Contact', 'Phone', 'phone.work', 'ToSalesforce'],
      ['Contact', 'Department', 'custom.department', 'ToTelephony'],
      ['Contact', 'email', 'email', 'Both'],
    ]);
    const contact = org.store.idFor('Contact', 1);
    const published = run(org, () =>
      org.store.update('Contact', [{ Id: contact, Department: 'Support' }], org.adminUser),
    );
    expect(Object.keys(recordsOf(published.events)[0])).toEqual([
      'Id',
      'SystemModstamp',
      'Email',
      'Phone',
      'Department',
    ]);
    expect(recordsOf(published.events)[0]).toMatchObject({ Department: 'Support' });
    // Phone flows only to Salesforce, Title is not mapped: neither change is this sync's business.
    expect(
      run(org, () =>
        org.store.update('Contact', [{ Id: contact, Phone: '+1 212 555 0100', Title: 'CFO' }], org.adminUser),
      ).events,
    ).toEqual([]);
  });

  test('a mapped field that does not exist is left out and reported; the rest still publish', () => {
    const org = newOrg();
    addMappings(org, defaultSyncId(org), [
      ['Contact', 'LastName', 'lastName', 'Both'],
      ['Contact', 'Pager__c', 'phone.other', 'Both'],
    ]);
    const outcome = run(org, () => org.store.insert('Contact', [{ LastName: 'Hopper' }], org.adminUser));
    expect(Object.keys(recordsOf(outcome.events)[0])).toEqual(['Id', 'SystemModstamp', 'LastName']);
    expect(outcome.problems).toEqual([
      `sync ${defaultSyncId(org)}: mapped field Pager__c does not exist on Contact (or cannot be synced); it is left out`,
    ]);
  });

  test('a change of case is a change (the handler compares text case-sensitively)', () => {
    const org = newOrg();
    const contact = org.store.idFor('Contact', 0);
    org.store.update('Contact', [{ Id: contact, LastName: 'smith' }], org.adminUser);
    expect(
      run(org, () => org.store.update('Contact', [{ Id: contact, LastName: 'Smith' }], org.adminUser)).events,
    ).toHaveLength(1);
  });
});

describe('scope', () => {
  function scopedOrg(condition: string): EmulatedOrg {
    const org = newOrg();
    updateSync(org, defaultSyncId(org), { Contact_Scope__c: condition });
    return org;
  }

  test('create and undelete publish only records in scope; delete is unscoped', () => {
    const org = scopedOrg("Title = 'CEO'");
    const created = run(org, () =>
      org.store.insert(
        'Contact',
        [
          { LastName: 'In', Title: 'CEO' },
          { LastName: 'Out', Title: 'Buyer' },
        ],
        org.adminUser,
      ),
    );
    expect(recordsOf(created.events).map((r) => r.LastName)).toEqual(['In']);
    const outId = org.store.idFor('Contact', SEED.contacts + 1);
    expect(org.store.get('Contact', outId)?.LastName).toBe('Out');
    expect(recordsOf(run(org, () => org.store.delete('Contact', [outId], org.adminUser)).events)).toEqual([
      { Id: outId, SystemModstamp: expect.any(String) },
    ]);
    expect(run(org, () => org.store.undelete('Contact', [outId], org.adminUser)).events).toEqual([]);
  });

  test('an update that moves a record into scope publishes it, even through a field that is not mapped', () => {
    const org = scopedOrg("Department = 'Telephony'");
    const contact = org.store.idFor('Contact', 2);
    expect(
      run(org, () => org.store.update('Contact', [{ Id: contact, Title: 'Head of Voice' }], org.adminUser)).events,
    ).toEqual([]);
    const moved = run(org, () =>
      org.store.update('Contact', [{ Id: contact, Department: 'Telephony' }], org.adminUser),
    );
    expect(recordsOf(moved.events)).toEqual([expect.objectContaining({ Id: contact, Title: 'Head of Voice' })]);
  });

  test('a scope through a lookup reads the parent and watches the lookup', () => {
    const org = newOrg();
    const [globex, initech] = [org.store.idFor('Account', 0), org.store.idFor('Account', 1)];
    const globexName = org.store.get('Account', globex)!.Name as string;
    updateSync(org, defaultSyncId(org), { Contact_Scope__c: `Account.Name = '${globexName}'` });
    const contact = org.store.idFor('Contact', 3);
    org.store.update('Contact', [{ Id: contact, AccountId: initech }], org.adminUser);
    const moved = run(org, () => org.store.update('Contact', [{ Id: contact, AccountId: globex }], org.adminUser));
    expect(recordsOf(moved.events)).toEqual([expect.objectContaining({ Id: contact, 'Account.Name': globexName })]);
  });

  test('a scope that does not run is reported and publishes nothing for its sync; other syncs still publish', () => {
    const org = scopedOrg('Nonsense__c = 1');
    const second = createSync(org, { Sync_Contacts__c: true });
    const outcome = run(org, touchContact(org));
    expect(outcome.events.map((e) => e.Sync_Id__c)).toEqual([second]);
    expect(outcome.problems).toEqual([
      expect.stringMatching(new RegExp(`^sync ${defaultSyncId(org)}: the Contact scope condition could not be run`)),
    ]);
  });
});

describe('several syncs', () => {
  test('each active sync gets its own events (oldest first), numbered in one sequence, sent in one publish call', () => {
    const org = newOrg();
    const second = createSync(org, { Sync_Contacts__c: true });
    createSync(org, { Status__c: 'NotStarted' });
    const publish = jest.spyOn(eventBus, 'publishEvents');
    const uninstall = installChangeTrigger(org, {
      onError: (error) => {
        throw error;
      },
    });
    try {
      org.store.insert(
        'Contact',
        Array.from({ length: 250 }, (_, i) => ({ LastName: `Bulk ${i}` })),
        org.adminUser,
      );
      expect(publish).toHaveBeenCalledTimes(1);
      const events = publish.mock.calls[0][2] as ChangeEventFields[];
      expect(events.map((e) => [e.Sync_Id__c, e.Record_Count__c, e.Chunk_Sequence__c, e.Chunk_Count__c])).toEqual([
        [defaultSyncId(org), 200, 1, 4],
        [defaultSyncId(org), 50, 2, 4],
        [second, 200, 3, 4],
        [second, 50, 4, 4],
      ]);
      expect(eventBus.eventBusOf(org).retained(CHANGE_EVENT_TOPIC)).toHaveLength(4);
    } finally {
      uninstall();
      publish.mockRestore();
    }
  });
});
