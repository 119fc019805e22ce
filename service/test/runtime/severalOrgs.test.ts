import {
  eventually,
  linkedContact,
  linkedContactId,
  runtimeOf,
  startStack,
  uiCreate,
  type Stack,
} from '../support/harness';
import { findLinksByContact } from '../../src/store/state/links';

describe('several orgs in one service', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ orgs: 2 });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('runs one subscriber, settings and status per org, each under its own id', async () => {
    expect(stack.service.orgs.map((o) => o.settings.orgId)).toEqual(['primary', 'org2']);
    const res = await stack.api('GET', '/status');
    expect(res.status).toBe(200);
    expect(res.body.orgs).toEqual([
      expect.objectContaining({
        id: 'primary',
        name: 'Test org',
        role: 'leader',
        subscriber: 'subscribed',
        organizationId: stack.emulators[0].organizationId,
      }),
      expect.objectContaining({
        id: 'org2',
        name: 'Test org 2',
        role: 'leader',
        subscriber: 'subscribed',
        organizationId: stack.emulators[1].organizationId,
      }),
    ]);
    // A setting changed in one org's sync record stays in that org.
    const org2 = stack.emulators[1].org;
    org2.store.update(
      'Switchboard_Sync__c',
      [{ Id: org2.store.idFor('Switchboard_Sync__c', 0), Default_Country__c: 'GB' }],
      org2.adminUser,
    );
    await runtimeOf(stack, 1).reloadSettings();
    expect(runtimeOf(stack, 1).settings.defaultCountry).toBe('GB');
    expect(runtimeOf(stack, 0).settings.defaultCountry).toBe('US');
    org2.store.update(
      'Switchboard_Sync__c',
      [{ Id: org2.store.idFor('Switchboard_Sync__c', 0), Default_Country__c: 'US' }],
      org2.adminUser,
    );
    await runtimeOf(stack, 1).reloadSettings();
  });

  it('joins records of two orgs with the same phone into one directory contact, and a telephony edit reaches both', async () => {
    const inA = uiCreate(
      stack,
      'Contact',
      { FirstName: 'Grace', LastName: 'Hopper', Phone: '+1 415 555 0190', Title: 'Rear Admiral' },
      0,
    );
    const contactId = await linkedContactId(stack, inA, 0);
    const inB = uiCreate(
      stack,
      'Lead',
      { FirstName: 'Grace', LastName: 'Hopper', Company: 'Navy', Phone: '(415) 555-0190' },
      1,
    );
    await eventually(
      async () => (await linkedContact(stack, inB, 1))?.id === contactId || undefined,
      'the org B record to join the same contact',
    );
    const links = await findLinksByContact(stack.db, contactId);
    expect(links.map((l) => [l.orgId, l.recordId]).sort()).toEqual([
      ['org2', inB],
      ['primary', inA],
    ]);

    const res = await stack.api('PATCH', `/contacts/${contactId}`, { title: 'Commodore' });
    expect(res.status).toBe(200);
    await eventually(
      () => stack.emulators[0].org.store.get('Contact', inA)?.Title === 'Commodore',
      'the edit in org A',
    );
    await eventually(() => stack.emulators[1].org.store.get('Lead', inB)?.Title === 'Commodore', 'the edit in org B');
  });
});
