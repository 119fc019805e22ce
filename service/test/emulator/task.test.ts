import { EmulatedOrg } from '../../emulator/org/org';
import { describeSObject } from '../../emulator/rest/describe';
import { mergeCall, parseCallReport } from '../../src/calls/callEvent';
import { taskFieldsOf } from '../../src/calls/callTask';

/** The emulator's Task as an org has it: the call fields, the required picklists with defaults, CallType restricted. */
describe('Task in the org emulator', () => {
  const org = new EmulatedOrg({ seed: { contacts: 1, leads: 0, businessAccounts: 0, personAccounts: 0, users: 1 } });
  const contactId = org.store.idFor('Contact', 0);

  function callTask() {
    const parsed = parseCallReport({
      callId: 'pbx-4001',
      direction: 'inbound',
      from: '+14155552671',
      to: '201',
      startedAt: '2026-12-07T10:00:00Z',
      answeredAt: '2026-12-07T10:00:03Z',
      endedAt: '2026-12-07T10:01:03Z',
      disposition: 'answered',
    });
    if (!('report' in parsed)) throw new Error(parsed.problem.message);
    return taskFieldsOf(mergeCall(null, parsed.report), { sobject: 'Contact', recordId: contactId }, null);
  }

  it('takes a call Task as the service writes it, and fills Priority and the owner', () => {
    const [result] = org.store.insert('Task', [callTask()], org.integrationUser);
    expect(result?.success).toBe(true);
    const task = org.store.get('Task', String(result?.id));
    expect(task).toMatchObject({
      TaskSubtype: 'Call',
      CallType: 'Inbound',
      CallObject: 'pbx-4001',
      CallDurationInSeconds: 60,
      Status: 'Completed',
      Priority: 'Normal',
      ActivityDate: '2026-12-07',
      WhoId: contactId,
      OwnerId: org.integrationUser.userId,
    });
  });

  it('refuses every Task create of a user without Edit Tasks, and its describe says so', () => {
    org.store.uncreatable.add('Task');
    try {
      const [result] = org.store.insert('Task', [callTask()], org.integrationUser);
      expect(result).toMatchObject({ success: false, errors: [{ statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY' }] });
      const described = describeSObject('Task', false, '62.0', false) as {
        createable: boolean;
        fields: Array<{ createable: boolean }>;
      };
      expect(described.createable).toBe(false);
      expect(described.fields.filter((f) => f.createable)).toEqual([]);
    } finally {
      org.store.uncreatable.delete('Task');
    }
    expect(org.store.insert('Task', [callTask()], org.integrationUser)[0]?.success).toBe(true);
  });

  it('refuses a deactivated owner as an org does', () => {
    const [user] = org.store.insert(
      'User',
      [{ Username: 'left@example.com', Email: 'left@example.com', LastName: 'Left', IsActive: false }],
      org.adminUser,
    );
    const [result] = org.store.insert('Task', [{ ...callTask(), OwnerId: user?.id }], org.integrationUser);
    expect(result).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INACTIVE_OWNER_OR_USER', message: expect.stringContaining('inactive user') }],
    });
  });

  it('refuses a call type the picklist does not have', () => {
    const [result] = org.store.insert('Task', [{ ...callTask(), CallType: 'Sideways' }], org.integrationUser);
    expect(result?.success).toBe(false);
    expect(JSON.stringify(result?.errors)).toContain('CallType');
  });
});
