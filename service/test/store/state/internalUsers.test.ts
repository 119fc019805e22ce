import { insertContact } from '../../../src/directory/contacts';
import {
  forgetInternalUser,
  knownInternalUsers,
  saveInternalUser,
  updateInternalUserHash,
} from '../../../src/store/state/internalUsers';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import { contactFields, ORG_ID, seedOrg } from '../../support/fixtures';

describeEachBackend('internal users', (getDb) => {
  let first: string;
  let second: string;

  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
    await seedOrg(getDb(), 'org-2');
    first = (await insertContact(getDb(), contactFields(), 'internal')).id;
    second = (await insertContact(getDb(), contactFields({ firstName: 'Second' }), 'internal')).id;
  });

  it('keeps which contact mirrors which user of an org, with the hash it was written with', async () => {
    expect(await knownInternalUsers(getDb(), ORG_ID)).toEqual(new Map());
    await saveInternalUser(getDb(), ORG_ID, '005A', { contactId: first, hash: 'h1' });
    await updateInternalUserHash(getDb(), ORG_ID, '005A', 'h2');
    await updateInternalUserHash(getDb(), 'org-2', '005A', 'not this org');
    expect(await knownInternalUsers(getDb(), ORG_ID)).toEqual(new Map([['005A', { contactId: first, hash: 'h2' }]]));
    expect(await knownInternalUsers(getDb(), 'org-2')).toEqual(new Map());
  });

  it('points a user seen before at its recreated contact, and forgets a user', async () => {
    await saveInternalUser(getDb(), ORG_ID, '005A', { contactId: first, hash: 'h1' });
    await saveInternalUser(getDb(), ORG_ID, '005A', { contactId: second, hash: 'h3' });
    expect(await knownInternalUsers(getDb(), ORG_ID)).toEqual(new Map([['005A', { contactId: second, hash: 'h3' }]]));
    await forgetInternalUser(getDb(), ORG_ID, '005A');
    expect(await knownInternalUsers(getDb(), ORG_ID)).toEqual(new Map());
  });
});
