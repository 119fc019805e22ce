import { eventually, linkedContact, startStack, uiCreate, type Stack } from '../support/harness';
import { getContact } from '../../src/directory/contacts';
import type { DirectoryContact } from '../../src/directory/model';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

async function systemsCheck(stack: Stack): Promise<{ ok: boolean; checks: Check[]; figures: Record<string, number> }> {
  const res = await stack.api('POST', '/orgs/primary/commands', { command: 'systemsCheck' });
  expect(res.status).toBe(200);
  return res.body.result;
}

async function internalExtensions(stack: Stack): Promise<Map<string, DirectoryContact>> {
  const { rows } = await stack.db.query<{ user_id: string; contact_id: string }>(
    "SELECT u.user_id, u.contact_id FROM internal_users u JOIN directory_contacts c ON c.id = u.contact_id AND c.source = 'internal' WHERE u.org_id = 'primary'",
  );
  const byUser = new Map<string, DirectoryContact>();
  for (const row of rows) byUser.set(row.user_id, (await getContact(stack.db, row.contact_id)) as DirectoryContact);
  return byUser;
}

const checkNamed = (checks: Check[], name: string) => checks.find((c) => c.name === name);

describe('systems check', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('verifies sign-in, settings, topic access, permissions, subscription and API usage, and counts the org', async () => {
    const store = stack.emulator.org.store;
    const result = await systemsCheck(stack);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => c.name)).toEqual([
      'authentication',
      'settings',
      'topic access',
      'object and field permissions',
      'call logging',
      'change events',
      'API usage',
      'contacts count',
      'leads count',
      'users count',
      'internal extensions',
    ]);
    expect(checkNamed(result.checks, 'topic access')?.detail).toBe(
      '/event/Switchboard_Change__e: can subscribe; /event/Switchboard_Command__e: can subscribe',
    );
    expect(checkNamed(result.checks, 'object and field permissions')?.detail).toMatch(
      /^Contact: 9 mapped fields, 8 written to Salesforce; Lead: 7 mapped fields, 7 written/,
    );
    expect(checkNamed(result.checks, 'call logging')?.detail).toBe('the integration user can create call Tasks');
    expect(result.figures).toMatchObject({
      contacts: store.count('Contact'),
      leads: store.count('Lead'),
      users: store.count('User'),
    });
    expect(result.figures.apiRequestsMax).toBeGreaterThan(result.figures.apiRequestsUsed);
  });

  it('says the integration user needs Edit Tasks when it cannot create the Tasks calls are logged as', async () => {
    stack.emulator.org.store.uncreatable.add('Task');
    try {
      const result = await systemsCheck(stack);
      expect(result.ok).toBe(false);
      expect(checkNamed(result.checks, 'call logging')).toEqual({
        name: 'call logging',
        ok: false,
        detail: 'the integration user cannot create Tasks: give it the Edit Tasks permission',
      });
      expect(result.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['call logging']);
    } finally {
      stack.emulator.org.store.uncreatable.delete('Task');
    }
  });

  it('pulls active standard users in as internal extensions (E.164, extension), leaving out the integration user', async () => {
    const admin = stack.emulator.org.adminUser.userId;
    const users = await internalExtensions(stack);
    const integration = stack.service.orgs[0].session.current?.userId;
    expect(integration).toBeDefined();
    expect([...users.keys()].sort()).toEqual(
      [stack.emulator.org.store.idFor('User', 1), stack.emulator.org.store.idFor('User', 2)].sort(),
    );
    expect(users.has(integration as string)).toBe(false);
    expect(users.get(admin)).toMatchObject({
      source: 'internal',
      firstName: 'Avery',
      lastName: 'Admin',
      phones: [{ kind: 'work', raw: '+1 415 555 0100', e164: '+14155550100', extension: '100' }],
    });
  });

  it('updates changed users, adds new ones and removes deactivated ones on the next run, without duplicates', async () => {
    const org = stack.emulator.org;
    const admin = org.adminUser.userId;
    const leaving = org.store.idFor('User', 2);
    const before = await internalExtensions(stack);
    org.store.update('User', [{ Id: admin, Phone: '+44 20 7946 0000', Extension: null }], org.adminUser);
    org.store.update('User', [{ Id: leaving, IsActive: false }], org.adminUser);
    const [joined] = org.store.insert(
      'User',
      [
        {
          Username: 'new.hire@example.com',
          LastName: 'Hire',
          FirstName: 'New',
          Email: 'new.hire@example.com',
          Extension: '4711',
          IsActive: true,
        },
      ],
      org.adminUser,
    );
    expect(joined.success).toBe(true);

    const result = await systemsCheck(stack);
    expect(checkNamed(result.checks, 'internal extensions')?.detail).toBe(
      '2 users with a phone or extension: 1 added, 1 updated, 1 removed',
    );
    const after = await internalExtensions(stack);
    expect([...after.keys()].sort()).toEqual([admin, joined.id as string].sort());
    expect(after.get(admin)?.id).toBe(before.get(admin)?.id);
    expect(after.get(admin)?.phones).toEqual([
      { kind: 'work', raw: '+44 20 7946 0000', e164: '+442079460000', extension: null },
    ]);
    expect(after.get(joined.id as string)?.phones).toEqual([
      { kind: 'work', raw: '4711', e164: null, extension: '4711' },
    ]);
    expect(await getContact(stack.db, before.get(leaving)?.id as string)).toBeNull();

    const again = await systemsCheck(stack);
    expect(checkNamed(again.checks, 'internal extensions')?.detail).toBe(
      '2 users with a phone or extension: 0 added, 0 updated, 0 removed',
    );
  });

  it('reports a mapping to a missing or read-only field as a settings problem naming it, skips it, and keeps the rest working', async () => {
    const org = stack.emulator.org;
    const syncId = org.store.idFor('Switchboard_Sync__c', 0);
    const row = (field: string) => ({
      Sync__c: syncId,
      Salesforce_Object__c: 'Contact',
      Salesforce_Field__c: field,
      Telephony_Field__c: 'title',
      Direction__c: 'Both',
      Transform__c: 'None',
    });
    const results = org.store.insert(
      'Switchboard_Field_Mapping__c',
      [
        { ...row('LastName'), Telephony_Field__c: 'lastName' },
        { ...row('Phone'), Telephony_Field__c: 'phone.work' },
        row('Nonexistent__c'),
        { ...row('Name'), Telephony_Field__c: 'firstName' },
      ],
      org.adminUser,
    );
    expect(results.every((r) => r.success)).toBe(true);
    const [, , missing, readOnly] = results.map((r) => r.id as string);
    await stack.service.orgs[0].reloadSettings();

    const status = stack.service.orgs[0].status();
    expect(status.settingsError).toBeNull();
    expect(status.settingsProblems).toEqual([
      {
        recordId: missing,
        field: 'Salesforce_Field__c',
        message: expect.stringMatching(/^Contact\.Nonexistent__c: no such field/),
      },
      {
        recordId: readOnly,
        field: 'Salesforce_Field__c',
        message: expect.stringMatching(/^Contact\.Name: the integration user cannot create or update it/),
      },
    ]);
    expect(
      stack.service.orgs[0].settings.mappings.filter((m) => m.sobject === 'Contact').map((m) => m.sfField),
    ).toEqual(['LastName', 'Phone']);

    const id = uiCreate(stack, 'Contact', { FirstName: 'Alan', LastName: 'Turing', Phone: '+44 161 496 0000' });
    const contact = await eventually(() => linkedContact(stack, id), 'the contact under the remaining mappings');
    expect(contact).toMatchObject({ lastName: 'Turing', firstName: null, title: null });

    const result = await systemsCheck(stack);
    expect(result.ok).toBe(false);
    const permissions = checkNamed(result.checks, 'object and field permissions');
    expect(permissions?.ok).toBe(false);
    expect(permissions?.detail).toMatch(
      /Contact\.Nonexistent__c: no such field.*; Contact\.Name: the integration user cannot create or update it/,
    );
    expect(checkNamed(result.checks, 'settings')?.ok).toBe(true);
  });
});
