import { randomUUID } from 'node:crypto';
import {
  eventually,
  linkedContact,
  linkedContactId,
  startStack,
  uiCreate,
  uiUpdate,
  type Stack,
} from '../../support/harness';
import { publishEvent } from '../../../emulator/pubsub/eventBus';
import { countContacts, getContact, insertContact } from '../../../src/directory/contacts';
import { findLinkByRecord } from '../../../src/store/state/links';

const COMMAND_TOPIC = '/event/Switchboard_Command__e';

/** Publishes a command as the package's Flow action or LWC button would, and waits for its outcome. */
async function command(stack: Stack, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const org = stack.emulator.org;
  const runtime = stack.service.orgs[0];
  const requestId = randomUUID();
  const before = runtime.commands.outcome;
  publishEvent(org, COMMAND_TOPIC, {
    Command__c: name,
    Sync_Id__c: org.store.idFor('Switchboard_Sync__c', 0),
    Requested_By__c: org.adminUser.userId,
    Request_Id__c: requestId,
    ...extra,
  });
  return eventually(
    () => (runtime.commands.outcome !== before ? (runtime.commands.outcome ?? undefined) : undefined),
    `the ${name} command`,
  );
}

const syncStatus = (stack: Stack) =>
  stack.emulator.org.store.get('Switchboard_Sync__c', stack.emulator.org.store.idFor('Switchboard_Sync__c', 0))
    ?.Status__c;

describe('commands from the package', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('pauses (nothing applied, status Paused in the org) and resumes from the stored position', async () => {
    const id = uiCreate(stack, 'Contact', { LastName: 'Pausable', Phone: '+1 415 555 0111' });
    const contactId = await linkedContactId(stack, id);
    expect(await command(stack, 'Pause')).toMatch(/^paused/);
    expect(syncStatus(stack)).toBe('Paused');
    expect(stack.service.orgs[0].status().paused).toBe(true);
    expect(stack.service.orgs[0].subscriber.state).toBe('stopped');

    uiUpdate(stack, 'Contact', id, { Title: 'Changed while paused' });
    // The pause is proven by the resume: the change arrives only then, from the stored replay id.
    expect((await getContact(stack.db, contactId))?.title).toBeNull();
    expect(await command(stack, 'Resume')).toMatch(/^resumed/);
    await eventually(
      async () => (await getContact(stack.db, contactId))?.title === 'Changed while paused' || undefined,
      'the change after resume',
    );
    expect(syncStatus(stack)).toMatch(/Active|InitialSync/);
  });

  it('syncs the named records now, and reports ids it cannot sync', async () => {
    const store = stack.emulator.org.store;
    const seeded = store.idFor('Contact', 5);
    expect(await findLinkByRecord(stack.db, 'primary', seeded)).toBeNull();
    const outcome = await command(stack, 'SyncRecords', {
      Record_Ids__c: JSON.stringify([seeded, '005000000000001AAA']),
    });
    expect(outcome).toMatch(
      /^synced 1 record\(s\); skipped 005000000000001AAA \(not a Contact, Lead or Person Account id\)/,
    );
    const contact = await linkedContact(stack, seeded);
    expect(contact?.lastName).toBe(store.get('Contact', seeded)?.LastName);
  });

  it('reloads the settings on "configuration changed"', async () => {
    const org = stack.emulator.org;
    org.store.update(
      'Switchboard_Sync__c',
      [{ Id: org.store.idFor('Switchboard_Sync__c', 0), Default_Country__c: 'GB' }],
      org.adminUser,
    );
    expect(await command(stack, 'ConfigurationChanged')).toBe('settings reloaded');
    expect(stack.service.orgs[0].settings.defaultCountry).toBe('GB');
  });

  it('rejects a malformed command by name of the field, and carries on', async () => {
    expect(await command(stack, 'Reboot')).toMatch(/^rejected: .*Command__c must be one of/);
    expect(await command(stack, 'SyncRecords', { Record_Ids__c: '{"not":"a list"}' })).toMatch(
      /Record_Ids__c must be a JSON array/,
    );
  });

  it('deletes and reverts: removes exactly the Salesforce-born contacts of this sync, nothing else', async () => {
    const phoneBorn = await insertContact(stack.db, { lastName: 'Born On The Phone', phones: [] }, 'telephony');
    const sfBorn = await linkedContactId(
      stack,
      uiCreate(stack, 'Lead', { LastName: 'Revert Me', Company: 'Gone Inc', Phone: '+1 415 555 0177' }),
    );
    const total = await countContacts(stack.db);
    const outcome = await command(stack, 'DeleteAndRevert');
    expect(outcome).toMatch(/^sync deleted and reverted: \d+ Salesforce-born contacts removed/);
    const removed = Number(/(\d+) Salesforce-born/.exec(outcome)?.[1]);
    expect(await getContact(stack.db, sfBorn)).toBeNull();
    expect(await getContact(stack.db, phoneBorn.id)).not.toBeNull();
    expect(await countContacts(stack.db)).toBe(total - removed);
    const { rows } = await stack.db.query<{ n: string }>('SELECT count(*) AS n FROM links WHERE org_id = $1', [
      'primary',
    ]);
    expect(Number(rows[0].n)).toBe(0);
  });
});
