/**
 * Unknown callers (issue 15 item 4), as the org's sync says (Unknown_Callers__c): a number nobody in the
 * directory has becomes a contact with the number and a placeholder name, created in the org as the object the
 * setting names (whatever the sync's default object) through the normal create path — once per number, however
 * many calls come, at once or later; nothing at all when the setting is None.
 */
import { countContacts, getContact } from '../../src/directory/contacts';
import { outboxStats } from '../../src/store/outbox/outbox';
import { DEFAULT_POLICY } from '../../src/sync/rules/context';
import type { UnknownCallers } from '../../src/model/calls';
import { AUTH, ORG_ID, orgStatus, useApiHarness } from '../support/api-harness';

const api = useApiHarness({ calls: { extensionDigits: 6 } });

/** Connects the org with its sync's Unknown Callers setting (and, optionally, its direction). */
async function connect(unknownCallers: UnknownCallers, direction: 'both' | 'toTelephony' = 'both') {
  await api.connectOrg({
    policy: { ...DEFAULT_POLICY, direction, calls: { ...DEFAULT_POLICY.calls, unknownCallers } },
  });
  api.orgStatuses = [orgStatus('Acme')];
}

/** The objects of the creates queued in the org. */
async function queuedCreates(): Promise<string[]> {
  const rows = await api.db.query<{ sobject: string }>(
    "SELECT sobject FROM outbox WHERE org_id = $1 AND operation = 'create' ORDER BY id",
    [ORG_ID],
  );
  return rows.rows.map((r) => r.sobject);
}

const CALL = {
  direction: 'inbound',
  from: '+1 (415) 555-0177',
  to: '201',
  startedAt: '2026-12-07T09:00:00Z',
  disposition: 'missed',
};

async function post(body: unknown) {
  const res = await fetch(`${api.plainUrl}/api/v1/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTH },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function callContact(id: unknown): Promise<string | null> {
  const res = await fetch(`${api.plainUrl}/api/v1/calls/${String(id)}`, { headers: AUTH });
  return ((await res.json()) as { contactId: string | null }).contactId;
}

describe('an unknown caller', () => {
  beforeEach(() => connect('Contact'));

  it('becomes one contact with the number and a placeholder name, queued as a create in the org', async () => {
    const first = await post({ ...CALL, callId: 'u-1' });
    expect(first.status).toBe(202);
    const contactId = await callContact(first.body.id);
    const contact = await getContact(api.db, contactId as string);
    expect(contact).toMatchObject({ lastName: 'Caller +14155550177', source: 'telephony' });
    expect(contact?.phones).toEqual([{ kind: 'work', raw: '+14155550177', e164: '+14155550177', extension: null }]);
    expect(api.writeBacks).toContainEqual([ORG_ID]);
    expect((await outboxStats(api.db, ORG_ID)).pending).toBe(1);
    expect(await queuedCreates()).toEqual(['Contact']);

    // Minutes later, the same number again: the same contact, nothing new to create.
    const again = await post({ ...CALL, callId: 'u-2', startedAt: '2026-12-07T09:07:00Z' });
    expect(await callContact(again.body.id)).toBe(contactId);
    expect(await countContacts(api.db)).toBe(1);
    expect((await outboxStats(api.db, ORG_ID)).pending).toBe(1);
  });

  it('calling several times at once still makes one contact', async () => {
    const answers = await Promise.all(
      [1, 2, 3, 4].map((i) => post({ ...CALL, callId: `burst-${i}`, from: '+1 415 555 0178' })),
    );
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    expect(await countContacts(api.db)).toBe(1);
    const ids = new Set(await Promise.all(answers.map((a) => callContact(a.body.id))));
    expect(ids.size).toBe(1);
  });

  it('is no reason to make a contact for an internal call or a party that is no number', async () => {
    expect((await post({ ...CALL, callId: 'int-1', direction: 'internal', from: '202' })).status).toBe(202);
    expect((await post({ ...CALL, callId: 'sip-1', from: 'anonymous@pbx.example.com' })).status).toBe(202);
    expect(await countContacts(api.db)).toBe(0);
  });

  it('already in the directory is matched, not made again', async () => {
    const ada = await api.seed();
    const res = await post({ ...CALL, callId: 'known-1', from: '(415) 555-2671' });
    expect(await callContact(res.body.id)).toBe(ada.id);
    expect(await countContacts(api.db)).toBe(1);
  });

  it('becomes the object the sync names, not its default object', async () => {
    await connect('Lead');
    expect(DEFAULT_POLICY.defaultObject).toBe('Contact');
    await post({ ...CALL, callId: 'lead-1' });
    // The same caller again minutes later: matched to that contact, no second Lead.
    await post({ ...CALL, callId: 'lead-2', startedAt: '2026-12-07T09:06:00Z' });
    expect(await countContacts(api.db)).toBe(1);
    expect(await queuedCreates()).toEqual(['Lead']);
  });

  it('stays a number when the sync says None, or takes no telephony-side changes', async () => {
    await connect('none');
    const res = await post({ ...CALL, callId: 'none-1' });
    expect(res.status).toBe(202);
    expect(await callContact(res.body.id)).toBeNull();
    await connect('Lead', 'toTelephony');
    await post({ ...CALL, callId: 'none-2' });
    expect(await countContacts(api.db)).toBe(0);
    expect(await queuedCreates()).toEqual([]);
  });
});
