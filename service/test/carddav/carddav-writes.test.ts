/**
 * CardDAV writes (issue 14 item 4): a PUT or DELETE is a telephony-side edit through the REST API's own path
 * (validation, directory change, audit; ETags as optimistic concurrency). Raw requests over real HTTP.
 */
import ICAL from 'ical.js';
import { useApiHarness, TOKEN } from '../support/api-harness';
import { getContact, countContacts } from '../../src/directory/contacts';
import { dav, multistatus, parseXmlText, PROPFIND } from './davClient';

const api = useApiHarness();
let key = '';

beforeEach(async () => {
  const res = await fetch(`${api.plainUrl}/api/v1/access-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Softphone', scope: ['carddav'] }),
  });
  key = ((await res.json()) as { key: string }).key;
});

const req = (method: string, path: string, options: Parameters<typeof dav>[3] = {}) =>
  dav(api.plainUrl, method, path, { key, ...options });

const VCARD = (lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join('\r\n');
const put = (path: string, body: string, headers: Record<string, string> = {}) =>
  req('PUT', path, { body, headers: { 'content-type': 'text/vcard; charset=utf-8', ...headers } });

async function etagOf(path: string): Promise<string> {
  const res = await req('PROPFIND', path, { body: PROPFIND('<d:getetag/>'), headers: { depth: '0' } });
  return String(multistatus(res.text).responses[0]?.props.getetag);
}

async function contactAt(path: string) {
  const res = await req('GET', path);
  expect(res.status).toBe(200);
  const card = new ICAL.Component(ICAL.parse(res.text) as [string, unknown[], unknown[]]);
  return card;
}

async function auditActions(contactId: string): Promise<Array<{ origin: string; action: string }>> {
  const res = await fetch(`${api.plainUrl}/api/v1/audit?contactId=${contactId}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const body = (await res.json()) as { entries: Array<{ origin: string; action: string }> };
  return body.entries.map((e) => ({ origin: e.origin, action: e.action }));
}

describe('PUT creates and updates, DELETE deletes, guarded by ETags', () => {
  const path = '/carddav/directory/client-made-1.vcf';
  const created = VCARD([
    'UID:client-uid-1',
    'FN:Anna Müller',
    'N:Müller;Anna;;;',
    'ORG:Müller GmbH;Einkauf',
    'TITLE:Buyer',
    'EMAIL;TYPE=INTERNET:anna@example.com',
    'TEL;TYPE=WORK,VOICE:(415) 555-0142',
    'TEL;TYPE=CELL:+1 212 555 0100',
    'NOTE:not kept',
  ]);

  it('creates a contact with If-None-Match: *, keeps the client’s name and UID, normalises TEL to E.164 by kind', async () => {
    const res = await put(path, created, { 'if-none-match': '*' });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBeNull(); // stored as fields: what GET returns is not what was sent
    const card = await contactAt(path);
    expect(card.getFirstPropertyValue('uid')).toBe('client-uid-1');
    expect(card.getFirstPropertyValue('fn')).toBe('Anna Müller');

    const listing = multistatus(
      (await req('PROPFIND', '/carddav/directory/', { body: PROPFIND('<d:getetag/>'), headers: { depth: '1' } })).text,
    );
    expect(listing.responses.map((r) => r.href)).toContain(path);
    const { contacts } = (await (
      await fetch(`${api.plainUrl}/api/v1/contacts?search=Müller`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { contacts: Array<{ id: string }> };
    expect(contacts).toHaveLength(1);
    const contact = await getContact(api.db, contacts[0]?.id ?? '');
    expect(contact).toMatchObject({
      firstName: 'Anna',
      lastName: 'Müller',
      company: 'Müller GmbH',
      title: 'Buyer',
      email: 'anna@example.com',
      source: 'telephony',
    });
    expect(contact?.phones.map((p) => [p.kind, p.e164])).toEqual([
      ['work', '+14155550142'],
      ['mobile', '+12125550100'],
    ]);
    expect(await auditActions(contact?.id ?? '')).toContainEqual({ origin: 'telephony', action: 'create' });

    const again = await put(path, created, { 'if-none-match': '*' });
    expect(again.status).toBe(412);
  });

  it('updates with the current ETag, refuses a stale one (412) and deletes with If-Match', async () => {
    expect((await put(path, created, { 'if-none-match': '*' })).status).toBe(201);
    const etag = await etagOf(path);
    const updated = created
      .replace('TITLE:Buyer', 'TITLE:Head of purchasing')
      .replace('TEL;TYPE=CELL:+1 212 555 0100\r\n', '');
    const res = await put(path, updated, { 'if-match': etag });
    expect(res.status).toBe(204);
    const card = await contactAt(path);
    expect(card.getFirstPropertyValue('title')).toBe('Head of purchasing');
    expect(card.getAllProperties('tel')).toHaveLength(1);
    const newEtag = await etagOf(path);
    expect(newEtag).not.toBe(etag);

    const stale = await put(path, created, { 'if-match': etag });
    expect(stale.status).toBe(412);
    expect((await contactAt(path)).getFirstPropertyValue('title')).toBe('Head of purchasing');

    expect((await req('DELETE', path, { headers: { 'if-match': etag } })).status).toBe(412);
    expect((await req('DELETE', path, { headers: { 'if-match': newEtag } })).status).toBe(204);
    expect((await req('GET', path)).status).toBe(404);
    expect(await countContacts(api.db)).toBe(0);
  });

  it('edits a contact that came from Salesforce through the same path as PATCH (audit, version)', async () => {
    const ada = await api.seed();
    const path = `/carddav/directory/${ada.id}.vcf`;
    const text = (await req('GET', path)).text.replace('TITLE:Analyst', 'TITLE:Countess');
    expect((await put(path, text, { 'if-match': `"${ada.version}"` })).status).toBe(204);
    const after = await getContact(api.db, ada.id);
    expect(after?.title).toBe('Countess');
    expect(after?.version).toBe(ada.version + 1);
    // The number came back as E.164 and did not change: it keeps the form it was typed in.
    expect(after?.phones).toEqual(ada.phones);
    expect(await auditActions(ada.id)).toContainEqual({ origin: 'telephony', action: 'update' });
  });

  it('refuses a second card with a UID another card has (no-uid-conflict)', async () => {
    expect((await put(path, created, { 'if-none-match': '*' })).status).toBe(201);
    const res = await put('/carddav/directory/other.vcf', created, { 'if-none-match': '*' });
    expect(res.status).toBe(409);
    expect(parseXmlText(res.text).error['no-uid-conflict'].href).toEqual([path]);
  });
});

describe('concurrent PUTs creating one card make one contact', () => {
  const card = (i: number, uid = 'raced-uid') =>
    VCARD([`UID:${uid}`, 'FN:Race Runner', 'N:Runner;Race;;;', `TITLE:Try ${i}`, 'TEL;TYPE=WORK:+1 415 555 0199']);

  it('at one name: one creates the contact, the others write over it (or fail If-None-Match)', async () => {
    const before = await countContacts(api.db);
    const plain = await Promise.all([0, 1, 2, 3, 4].map((i) => put('/carddav/directory/raced.vcf', card(i))));
    expect(plain.map((r) => r.status).sort()).toEqual([201, 204, 204, 204, 204]);
    const guarded = await Promise.all(
      [0, 1, 2, 3].map((i) => put('/carddav/directory/guarded.vcf', card(i, 'guarded-uid'), { 'if-none-match': '*' })),
    );
    expect(guarded.map((r) => r.status).sort()).toEqual([201, 412, 412, 412]);
    expect(await countContacts(api.db)).toBe(before + 2);
    expect((await contactAt('/carddav/directory/raced.vcf')).getFirstPropertyValue('uid')).toBe('raced-uid');
    expect((await contactAt('/carddav/directory/guarded.vcf')).getFirstPropertyValue('uid')).toBe('guarded-uid');
  });

  it('with one UID at different names: one contact, the others refused (no-uid-conflict)', async () => {
    const before = await countContacts(api.db);
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) => put(`/carddav/directory/uid-race-${i}.vcf`, card(i, 'shared-uid'))),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await countContacts(api.db)).toBe(before + 1);
  });
});

describe('a vCard the directory cannot take is a 400 naming the property and the resource; nothing is stored', () => {
  const path = '/carddav/directory/bad.vcf';
  const cases: Array<[string, string, RegExp]> = [
    ['no vCard at all', 'hello', /BEGIN: the body is no vCard/],
    ['no FN', VCARD(['N:Doe;Jane;;;']), /FN: is required/],
    ['a bad version', VCARD(['FN:Jane']).replace('VERSION:3.0', 'VERSION:2.1'), /VERSION: must be 3\.0 or 4\.0/],
    [
      'a number that is none',
      VCARD(['FN:Jane Doe', 'N:Doe;Jane;;;', 'TEL;TYPE=WORK:call me maybe']),
      /TEL \(number 1\): must be a phone number/,
    ],
    [
      'an invalid number',
      VCARD(['FN:Jane Doe', 'N:Doe;Jane;;;', 'TEL;TYPE=HOME:+1 555', 'TEL;TYPE=CELL:12']),
      /TEL \(number 1\): is not a valid phone number/,
    ],
    [
      'a bad email',
      VCARD(['FN:Jane Doe', 'N:Doe;Jane;;;', 'EMAIL:not-an-email']),
      /EMAIL: is not a valid email address/,
    ],
    ['a last name too long', VCARD(['FN:J', `N:${'x'.repeat(81)};Jane;;;`]), /N: must be at most 80 characters/],
    [
      'five numbers for four kinds',
      VCARD([
        'FN:J',
        'N:Doe;J;;;',
        'TEL;TYPE=CELL:+12125550100',
        'TEL;TYPE=CELL:+12125550101',
        'TEL;TYPE=CELL:+12125550102',
      ]),
      /TEL: the directory holds one number per kind/,
    ],
    ['two vCards', VCARD(['FN:A']) + VCARD(['FN:B']), /BEGIN: the body must hold exactly one vCard/],
  ];
  it.each(cases)('%s', async (_what, body, message) => {
    const res = await put(path, body, { 'if-none-match': '*' });
    expect(res.status).toBe(400);
    const error = parseXmlText(res.text).error;
    expect(error).toHaveProperty('valid-address-data');
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`(resource ${path})`);
    expect(await countContacts(api.db)).toBe(0);
  });

  it('refuses a body that is no vCard type (415)', async () => {
    const res = await req('PUT', path, { body: '{"lastName":"Doe"}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(415);
    expect(await countContacts(api.db)).toBe(0);
  });
});
