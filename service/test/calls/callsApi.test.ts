/**
 * Call intake and history over real HTTP (issue 15): the public report, FreeSWITCH legs, Kamailio records, 3CX,
 * idempotency, refusals kept for inspection, matching to one record per org, access rules per role.
 */
import { createLink } from '../../src/store/state/links';
import { upsertOrg } from '../../src/store/state/orgs';
import { saveInternalUser } from '../../src/store/state/internalUsers';
import { insertContact } from '../../src/directory/contacts';
import { AUTH, useApiHarness } from '../support/api-harness';

const api = useApiHarness();

const CALL = {
  callId: 'pbx-2001',
  direction: 'inbound',
  from: '(415) 555-2671',
  to: '201',
  extension: '201',
  startedAt: '2026-12-07T09:00:00Z',
  answeredAt: '2026-12-07T09:00:04Z',
  endedAt: '2026-12-07T09:01:04Z',
  disposition: 'answered',
  recordingUrl: null,
};

async function post(path: string, body: unknown, headers: Record<string, string> = AUTH) {
  const res = await fetch(`${api.plainUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function get(path: string, headers: Record<string, string> = AUTH) {
  const res = await fetch(`${api.plainUrl}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function accessKey(scope: string[]): Promise<string> {
  const res = await post('/api/v1/access-keys', { name: `PBX ${scope.join('+')}`, scope });
  return res.body.key as string;
}

interface CallView {
  id: string;
  callId: string;
  legs: number;
  contactId: string | null;
  records: Array<{ orgId: string; sobject: string; recordId: string }>;
  durationSeconds: number;
  disposition: string;
}

describe('POST /api/v1/calls', () => {
  it('stores a call once, however often it is posted, and matches the caller to a record per org', async () => {
    const ada = await api.seed();
    await upsertOrg(api.db, { id: 'org-1', name: 'Acme', loginUrl: 'https://login.example.com' });
    await upsertOrg(api.db, { id: 'org-2', name: 'Beta', loginUrl: 'https://login.example.com' });
    await createLink(api.db, { orgId: 'org-1', contactId: ada.id, sobject: 'Lead', recordId: '00Q000000000002AAA' });
    await createLink(api.db, {
      orgId: 'org-1',
      contactId: ada.id,
      sobject: 'Contact',
      recordId: '003000000000009AAA',
      role: 'secondary',
    });
    await createLink(api.db, { orgId: 'org-2', contactId: ada.id, sobject: 'Contact', recordId: '003000000000001AAB' });

    const answers = [
      await post('/api/v1/calls', CALL),
      await post('/api/v1/calls', CALL),
      await post('/api/v1/calls', CALL),
    ];
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);

    const { body } = await get('/api/v1/calls');
    const calls = body.calls as CallView[];
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ callId: 'pbx-2001', legs: 1, contactId: ada.id, durationSeconds: 60 });
    // Contact before Lead in org-1, whatever the link's role; one record in each org.
    expect(calls[0]?.records).toEqual([
      { orgId: 'org-1', sobject: 'Contact', recordId: '003000000000009AAA', ownerId: null, url: null },
      { orgId: 'org-2', sobject: 'Contact', recordId: '003000000000001AAB', ownerId: null, url: null },
    ]);
    expect((await get(`/api/v1/contacts/${ada.id}/calls`)).body.calls).toHaveLength(1);
    expect((await get(`/api/v1/calls/${answers[0]?.body.id as string}`)).body).toMatchObject({ callId: 'pbx-2001' });
  });

  it("links each matched record and each logged Task to its page in Salesforce, once the org's address is known", async () => {
    const ada = await api.seed();
    await upsertOrg(api.db, {
      id: 'org-1',
      name: 'Acme',
      loginUrl: 'https://login.example.com',
      instanceUrl: 'https://acme.my.salesforce.com/',
    });
    await upsertOrg(api.db, { id: 'org-2', name: 'Beta', loginUrl: 'https://login.example.com' });
    await createLink(api.db, { orgId: 'org-1', contactId: ada.id, sobject: 'Contact', recordId: '003000000000001AAA' });
    await createLink(api.db, { orgId: 'org-2', contactId: ada.id, sobject: 'Lead', recordId: '00Q000000000001AAB' });
    const { body } = await post('/api/v1/calls', CALL);
    await api.db.query(`UPDATE calls SET tasks = '{"org-1": "00T000000000001AAA"}' WHERE id = $1`, [body.id]);

    const view = (await get(`/api/v1/calls/${body.id as string}`)).body;
    expect(view.records).toEqual([
      {
        orgId: 'org-1',
        sobject: 'Contact',
        recordId: '003000000000001AAA',
        ownerId: null,
        url: 'https://acme.my.salesforce.com/lightning/r/Contact/003000000000001AAA/view',
      },
      // The org has not been signed in to yet: no address to link to.
      { orgId: 'org-2', sobject: 'Lead', recordId: '00Q000000000001AAB', ownerId: null, url: null },
    ]);
    expect(view.tasks).toEqual({ 'org-1': '00T000000000001AAA' });
    expect(view.taskUrls).toEqual({
      'org-1': 'https://acme.my.salesforce.com/lightning/r/Task/00T000000000001AAA/view',
    });
    expect(((await get('/api/v1/calls')).body.calls as Array<{ taskUrls: unknown }>)[0]?.taskUrls).toEqual(
      view.taskUrls,
    );
  });

  it("names the org's user whose extension took the call as the owner", async () => {
    const ada = await api.seed();
    await upsertOrg(api.db, { id: 'org-1', name: 'Acme', loginUrl: 'https://login.example.com' });
    await createLink(api.db, { orgId: 'org-1', contactId: ada.id, sobject: 'Contact', recordId: '003000000000001AAA' });
    // The org's users as the users pull keeps them: one with a number and extension 201, one with extension 202 only.
    const withNumber = await insertContact(
      api.db,
      {
        lastName: 'Agent',
        phones: [{ kind: 'work', raw: '+1 415 555 0100 x201', e164: '+14155550100', extension: '201' }],
      },
      'internal',
    );
    const extensionOnly = await insertContact(
      api.db,
      { lastName: 'Other', phones: [{ kind: 'work', raw: '202', e164: null, extension: '202' }] },
      'internal',
    );
    await saveInternalUser(api.db, 'org-1', '005000000000201AAA', { contactId: withNumber.id, hash: 'h1' });
    await saveInternalUser(api.db, 'org-1', '005000000000202AAA', { contactId: extensionOnly.id, hash: 'h2' });

    for (const [callId, extension, owner] of [
      ['own-201', '201', '005000000000201AAA'],
      ['own-202', '202', '005000000000202AAA'],
      ['own-203', '203', null],
    ] as const) {
      const res = await post('/api/v1/calls', { ...CALL, callId, to: extension, extension });
      expect(res.status).toBe(202);
      expect(res.body.matched).toEqual([
        { orgId: 'org-1', sobject: 'Contact', recordId: '003000000000001AAA', ownerId: owner },
      ]);
    }
  });

  it('refuses a bad report with 400 naming the field and the call, keeps it for inspection, stores no call', async () => {
    const res = await post('/api/v1/calls', { ...CALL, callId: 'pbx-bad', startedAt: 'yesterday' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_call', field: 'startedAt', record: 'pbx-bad' });
    expect((res.body.error as { message: string }).message).toMatch(/^startedAt: .*\(call pbx-bad\)$/);
    expect((await get('/api/v1/calls')).body.calls).toEqual([]);
    const rejects = (await get('/api/v1/call-rejects')).body.rejects as Array<Record<string, unknown>>;
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ source: 'api', field: 'startedAt', report: { callId: 'pbx-bad' } });
    // The number is not in the log, in any form: only the source and the field.
    const log = api.logLines.join('\n');
    for (const form of ['(415) 555-2671', '555-2671', '4155552671']) expect(log).not.toContain(form);
    // Text jsonb cannot hold (found by the bad-input corpus: a 500): refused, and kept with the text cleaned.
    const nul = await post('/api/v1/calls', { ...CALL, callId: 'pbx-nul', to: 'a\u0000b' });
    expect(nul.status).toBe(400);
    expect(nul.body.error).toMatchObject({ field: 'to', record: 'pbx-nul' });
    const kept = (await get('/api/v1/call-rejects')).body.rejects as Array<{ report: { to: string } }>;
    expect(kept[0]?.report.to).toBe('ab');
    // A batch of reports is no report: refused as a whole, naming the body.
    expect((await post('/api/v1/calls', [CALL])).body.error).toMatchObject({ field: 'body' });
  });

  it('merges the two legs FreeSWITCH posts (JSON or form-encoded cdr=) into one call', async () => {
    const leg = (uuid: string, extra: Record<string, string>) => ({
      variables: {
        uuid,
        caller_id_number: '+14155552671',
        destination_number: '201',
        start_epoch: '1796634000',
        answer_epoch: '1796634005',
        end_epoch: '1796634065',
        ...extra,
      },
    });
    const a = leg('fs-a', { call_uuid: 'fs-a' });
    const b = leg('fs-b', { originating_leg_uuid: 'fs-a' });
    expect((await post('/api/v1/calls/freeswitch', a)).status).toBe(202);
    const form = await fetch(`${api.plainUrl}/api/v1/calls/freeswitch`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...AUTH },
      body: new URLSearchParams({ cdr: JSON.stringify(b) }).toString(),
    });
    expect(form.status).toBe(202);
    const calls = (await get('/api/v1/calls')).body.calls as CallView[];
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ callId: 'fs-a', legs: 2, disposition: 'answered', durationSeconds: 60 });
  });

  it('takes Kamailio acc_json records', async () => {
    const invite = {
      method: 'INVITE',
      callid: 'k1@pbx',
      sip_code: '486',
      time: 1796634005,
      src_user: '+14155552671',
      dst_user: '201',
    };
    expect((await post('/api/v1/calls/kamailio', invite)).status).toBe(202);
    expect(((await get('/api/v1/calls')).body.calls as CallView[])[0]).toMatchObject({
      callId: 'k1@pbx',
      disposition: 'busy',
    });
  });

  it('takes Asterisk AMI Cdr events in the PBX time zone, and refuses a zone it does not know', async () => {
    const cdr = {
      Event: 'Cdr',
      Source: '201',
      Destination: '0049301234567',
      StartTime: '2026-12-07 10:00:00',
      AnswerTime: '',
      EndTime: '2026-12-07 10:00:20',
      Disposition: 'NO ANSWER',
      UniqueID: '1796637600.20',
    };
    expect((await post('/api/v1/calls/asterisk?tz=Europe/Berlin', cdr)).status).toBe(202);
    const [call] = (await get('/api/v1/calls')).body.calls as Array<
      CallView & { startedAt: string; direction: string }
    >;
    expect(call).toMatchObject({ callId: '1796637600.20', direction: 'outbound', disposition: 'missed' });
    expect(call?.startedAt).toBe('2026-12-07T09:00:00.000Z');
    const bad = await post('/api/v1/calls/asterisk?tz=Mars/Olympus', cdr);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ field: 'tz' });
  });

  it('takes 3CX ReportCall variables (JSON or form-encoded), and refuses a bad one naming the 3CX field', async () => {
    const journal = {
      CallType: 'Notanswered',
      Number: '+14155552671',
      Agent: '201',
      Duration: '00:00:00',
      DateTime: '2026-12-07 10:00:00',
      CallStartTimeUTCMillis: '[CallStartTimeUTCMillis]',
    };
    expect((await post('/api/v1/calls/3cx', journal)).body.error).toMatchObject({ field: 'DateTime' });
    const form = await fetch(`${api.plainUrl}/api/v1/calls/3cx?tz=Europe/Berlin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...AUTH },
      body: new URLSearchParams(journal).toString(),
    });
    expect(form.status).toBe(202);
    const [call] = (await get('/api/v1/calls')).body.calls as Array<CallView & { startedAt: string; to: string }>;
    expect(call).toMatchObject({ direction: 'outbound', to: '+14155552671', disposition: 'missed' });
    expect(call?.startedAt).toBe('2026-12-07T09:00:00.000Z');
    const bad = await post('/api/v1/calls/3cx', { ...journal, CallType: 'Voicemail' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_call', field: 'CallType' });
    const rejects = (await get('/api/v1/call-rejects')).body.rejects as Array<Record<string, unknown>>;
    expect(rejects[0]).toMatchObject({ source: '3cx', field: 'CallType', report: { CallType: 'Voicemail' } });
  });

  it('lets in the API token and an access key with the calls scope, and nobody else', async () => {
    const calls = await accessKey(['calls']);
    const phonebook = await accessKey(['phonebook']);
    expect((await post(`/api/v1/calls?key=${calls}`, { ...CALL, callId: 'k-ok' }, {})).status).toBe(202);
    const basic = { Authorization: `Basic ${Buffer.from(`pbx:${calls}`).toString('base64')}` };
    expect(
      (
        await post(
          '/api/v1/calls/kamailio',
          { method: 'BYE', callid: 'k-basic', time: 1796634005, src_user: '201', dst_user: '202' },
          basic,
        )
      ).status,
    ).toBe(202);
    expect((await post(`/api/v1/calls?key=${phonebook}`, CALL, {})).status).toBe(403);
    expect((await post('/api/v1/calls', CALL, {})).status).toBe(401);
    expect((await post('/api/v1/calls', CALL, { Authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    // The history is for the API token only: a PBX's key reports calls, it does not read them.
    expect((await get(`/api/v1/calls?key=${calls}`, {})).status).toBe(401);
    expect((await get('/api/v1/calls', basic)).status).toBe(401);
  });

  it('pages the history newest first with a cursor, and filters', async () => {
    for (let i = 0; i < 5; i++) {
      const at = `2026-12-07T10:0${i}:00Z`;
      const res = await post('/api/v1/calls', {
        ...CALL,
        callId: `page-${i}`,
        startedAt: at,
        answeredAt: null,
        endedAt: at,
        disposition: i % 2 ? 'missed' : 'busy',
      });
      expect(res.status).toBe(202);
    }
    const first = await get('/api/v1/calls?limit=2');
    expect((first.body.calls as CallView[]).map((c) => c.callId)).toEqual(['page-4', 'page-3']);
    const second = await get(`/api/v1/calls?limit=2&cursor=${first.body.nextCursor as string}`);
    expect((second.body.calls as CallView[]).map((c) => c.callId)).toEqual(['page-2', 'page-1']);
    const missed = await get('/api/v1/calls?disposition=missed');
    expect((missed.body.calls as CallView[]).map((c) => c.callId)).toEqual(['page-3', 'page-1']);
    const byNumber = await get(`/api/v1/calls?number=${encodeURIComponent('+14155552671')}&limit=1`);
    expect((byNumber.body.calls as CallView[])[0]?.callId).toBe('page-4');
    expect((await get('/api/v1/calls?cursor=nope')).body.error).toMatchObject({ field: 'cursor' });
    expect((await get('/api/v1/calls?sort=up')).body.error).toMatchObject({ field: 'sort' });
  });
});
