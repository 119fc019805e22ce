import { eventually, linkedContact, linkedContactId, startStack, uiCreate, type Stack } from '../support/harness';
import { insertContact } from '../../src/directory/contacts';

async function contactIds(stack: Stack): Promise<string[]> {
  const { rows } = await stack.db.query<{ id: string }>('SELECT id FROM directory_contacts ORDER BY id');
  return rows.map((r) => r.id);
}

async function linkCount(stack: Stack, orgId: string): Promise<number> {
  const { rows } = await stack.db.query<{ n: string }>('SELECT count(*) AS n FROM links WHERE org_id = $1', [orgId]);
  return Number(rows[0].n);
}

describe('delete and revert with two orgs', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ orgs: 2 });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('removes exactly the contacts that came from Salesforce through this org and are linked nowhere else', async () => {
    // Salesforce-born through org A only: the one contact the revert removes.
    const onlyA = await linkedContactId(
      stack,
      uiCreate(stack, 'Contact', { LastName: 'Only In A', Phone: '+1 415 555 0201' }, 0),
      0,
    );
    // Salesforce-born through org A, and linked in org B too: kept for org B.
    const sharedId = uiCreate(stack, 'Contact', { LastName: 'Shared', Phone: '+1 415 555 0202' }, 0);
    const shared = await linkedContactId(stack, sharedId, 0);
    const sharedInB = uiCreate(stack, 'Contact', { LastName: 'Shared', Phone: '+1 415 555 0202' }, 1);
    await eventually(
      async () => (await linkedContact(stack, sharedInB, 1))?.id === shared || undefined,
      'the shared contact linked in org B',
    );
    // Born in the phone system, later matched by an org A record: kept.
    const phoneBorn = await insertContact(
      stack.db,
      {
        lastName: 'Desk Phone',
        phones: [{ kind: 'work', raw: '+1 415 555 0203', e164: '+14155550203', extension: null }],
      },
      'telephony',
    );
    const matched = uiCreate(stack, 'Contact', { LastName: 'Desk Phone', Phone: '+1 415 555 0203' }, 0);
    await eventually(
      async () => (await linkedContact(stack, matched, 0))?.id === phoneBorn.id || undefined,
      'the org A record to match the phone-born contact',
    );
    // Salesforce-born through org B only, and an unlinked phone-system contact: both kept.
    const onlyB = await linkedContactId(
      stack,
      uiCreate(stack, 'Lead', { LastName: 'Only In B', Company: 'B Inc', Phone: '+1 415 555 0204' }, 1),
      1,
    );
    const unlinked = await insertContact(stack.db, { lastName: 'Lobby Phone', phones: [] }, 'telephony');
    // Org A's users as internal extensions: kept.
    const check = await stack.api('POST', '/orgs/primary/commands', { command: 'systemsCheck' });
    expect(check.status).toBe(200);
    const { rows: internal } = await stack.db.query<{ id: string }>(
      "SELECT id FROM directory_contacts WHERE source = 'internal'",
    );
    expect(internal.length).toBeGreaterThan(0);

    const before = await contactIds(stack);
    expect(before).toEqual(
      expect.arrayContaining([onlyA, shared, phoneBorn.id, onlyB, unlinked.id, ...internal.map((r) => r.id)]),
    );
    const res = await stack.api('POST', '/orgs/primary/commands', { command: 'deleteAndRevert' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      org: 'primary',
      command: 'deleteAndRevert',
      result: { contactsRemoved: 1, linksRemoved: 3 },
    });
    expect(await contactIds(stack)).toEqual(before.filter((id) => id !== onlyA));
    expect(await linkCount(stack, 'primary')).toBe(0);
    expect(await linkCount(stack, 'org2')).toBe(2);
    // The org's records themselves are never touched.
    expect(stack.emulators[0].org.store.get('Contact', sharedId)?.LastName).toBe('Shared');
  });
});
