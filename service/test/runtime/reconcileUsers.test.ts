import { startStack, type Stack } from '../support/harness';
import { getContact } from '../../src/directory/contacts';

/**
 * The org's users are pulled into the directory on the reconcile schedule too (issue 15 item 5), not only when
 * an admin runs the systems check: a call's owner is found by the extension of a user added since.
 */
describe('users on the reconcile schedule', () => {
  let stack: Stack;
  const runtime = () => stack.service.orgs[0];

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function internalUserIds(): Promise<string[]> {
    const { rows } = await stack.db.query<{ user_id: string }>(
      "SELECT user_id FROM internal_users WHERE org_id = 'primary' ORDER BY user_id",
    );
    return rows.map((r) => r.user_id);
  }

  it('adds a new user with an extension, and removes one deactivated, at the next reconcile', async () => {
    const org = stack.emulator.org;
    const [joined] = org.store.insert(
      'User',
      [
        {
          Username: 'agent@example.com',
          LastName: 'Agent',
          Email: 'agent@example.com',
          Extension: '4712',
          IsActive: true,
        },
      ],
      org.adminUser,
    );
    expect(joined?.success).toBe(true);
    const result = await runtime().runReconcileNow();
    expect(await internalUserIds()).toContain(joined?.id);
    expect(result.internalUsers?.added).toBeGreaterThanOrEqual(1);

    org.store.update('User', [{ Id: joined?.id as string, IsActive: false }], org.adminUser);
    const again = await runtime().runReconcileNow();
    expect(await internalUserIds()).not.toContain(joined?.id);
    expect(again.internalUsers?.removed).toBe(1);
  });
});

describe('users whose extension the org keeps in another field (CALLS_USER_EXTENSION_FIELD)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ calls: { extensionDigits: 6, tasks: 'on', userExtensionField: 'EmployeeNumber' } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('reads the extension from that field, not from Extension', async () => {
    const org = stack.emulator.org;
    const [joined] = org.store.insert(
      'User',
      [
        {
          Username: 'desk@example.com',
          Email: 'desk@example.com',
          LastName: 'Desk',
          EmployeeNumber: '4713',
          Extension: '9999',
          IsActive: true,
        },
      ],
      org.adminUser,
    );
    expect(joined?.success).toBe(true);
    await stack.service.orgs[0].runReconcileNow();
    const { rows } = await stack.db.query<{ contact_id: string }>(
      "SELECT contact_id FROM internal_users WHERE org_id = 'primary' AND user_id = $1",
      [joined?.id],
    );
    const contact = await getContact(stack.db, rows[0]?.contact_id as string);
    expect(contact?.phones.map((p) => p.extension)).toEqual(['4713']);
  });
});
