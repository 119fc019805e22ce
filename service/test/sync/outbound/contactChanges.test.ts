import { ContactChanges } from '../../../src/sync/outbound/contactChanges';
import { listOutbox } from '../../../src/store/outbox/outbox';
import { VersionConflictError } from '../../../src/sync/outbound/telephonyEdit';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import { CONTACT_SYNC, ORG_ID, contactFields, seedOrg } from '../../support/fixtures';

/**
 * The phone side's contact changes as the HTTP API makes them, one call each: the change, then the
 * write-back workers woken in the orgs it queued something in, each org once.
 */
describeEachBackend('contact changes from the phone side', (getDb) => {
  let woken: string[][];
  let changes: ContactChanges;

  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
    woken = [];
    changes = new ContactChanges({
      db: getDb(),
      settingsOf: (orgId) => (orgId === ORG_ID ? CONTACT_SYNC : undefined),
      // An org whose settings are not loaded yet is passed over.
      orgs: () => [{ id: ORG_ID }, { id: 'org-unloaded' }],
      onWriteBackQueued: (orgIds) => woken.push(orgIds),
    });
  });

  it('creates, offering the contact to each org with settings, and wakes that org', async () => {
    const created = await changes.create(contactFields());
    expect(created.queuedIn).toEqual([ORG_ID]);
    expect(woken).toEqual([[ORG_ID]]);
    expect((await listOutbox(getDb(), { limit: 10 })).map((o) => [o.orgId, o.operation])).toEqual([[ORG_ID, 'create']]);
  });

  it("edits, then looks at the contact's create again: the waiting create takes the new values, its org woken once", async () => {
    const { contact } = await changes.create(contactFields());
    woken = [];
    const edited = await changes.edit(contact.id, { title: 'Countess' }, contact.version);
    expect(edited).toMatchObject({
      contact: { id: contact.id, title: 'Countess' },
      queuedWriteBacks: 0,
      queuedCreates: 1,
    });
    expect(woken).toEqual([[ORG_ID]]);
    await expect(changes.edit(contact.id, { title: 'Again' }, contact.version)).rejects.toThrow(VersionConflictError);
  });

  it('deletes: a create not yet sent is withdrawn, nothing to wake; an unknown contact is null', async () => {
    const { contact } = await changes.create(contactFields());
    woken = [];
    expect(await changes.delete(contact.id)).toMatchObject({ deleting: [], unlinked: [], withdrawnCreates: 1 });
    expect(woken).toEqual([]);
    expect(await changes.delete(contact.id)).toBeNull();
    expect(await changes.edit(contact.id, { title: 'Gone' })).toBeNull();
    expect(woken).toEqual([]);
  });
});
