import http from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { createAccessKey } from '../../src/deviceAccess/accessKeys';
import { createLink } from '../../src/store/state/links';
import { upsertOrg } from '../../src/store/state/orgs';
import { updateContact } from '../../src/directory/contacts';
import { AUTH, useApiHarness } from '../support/api-harness';

/**
 * GET /phonebook/<format> through the service's real app (createApp), on loopback, with real access keys:
 * auth, search, selection by named feeds, conditional GETs. Contacts are US numbers (the harness's default
 * country) and German ones in E.164.
 */
const api = useApiHarness();

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A GET with the path sent byte for byte (fetch would cut `#SEARCH` off as a fragment). */
function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(api.plainUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path, method: 'GET', headers: { Host: 'switchboard.test', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) => ['DirectoryEntry', 'Telephone'].includes(name),
});

/** The names of a Yealink answer, in order. */
function yealinkNames(body: string): string[] {
  const doc = parser.parse(body) as { YealinkIPPhoneDirectory: { DirectoryEntry?: Array<{ Name: string }> } };
  return (doc.YealinkIPPhoneDirectory.DirectoryEntry ?? []).map((e) => e.Name);
}

async function seedBook(): Promise<Record<string, string>> {
  const mueller = await api.seed({
    firstName: 'Anna',
    lastName: 'Müller',
    company: 'Bäckerei Sonne',
    email: null,
    phones: [
      { kind: 'work', raw: '+49 30 1234567', e164: '+49301234567', extension: null },
      { kind: 'mobile', raw: '(415) 555-0101', e164: '+14155550101', extension: null },
    ],
    tags: ['sales'],
  });
  const lovelace = await api.seed({ tags: ['sales', 'vip'] });
  const babbage = await api.seed({
    firstName: 'Charles',
    lastName: 'Babbage',
    company: 'Difference Ltd',
    phones: [{ kind: 'home', raw: '212-555-0199', e164: '+12125550199', extension: null }],
  });
  return { mueller: mueller.id, lovelace: lovelace.id, babbage: babbage.id };
}

async function phonebookKey(): Promise<string> {
  return (await createAccessKey(api.db, { name: 'desk phones', scopes: ['phonebook'] })).key;
}

describe('GET /phonebook/:format', () => {
  it('lists every contact with every number and its kind, in last-first order', async () => {
    await seedBook();
    const key = await phonebookKey();
    const answer = await get(`/phonebook/yealink?key=${key}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
    expect(yealinkNames(answer.body)).toEqual(['Babbage, Charles', 'Lovelace, Ada', 'Müller, Anna']);
    const doc = parser.parse(answer.body) as {
      YealinkIPPhoneDirectory: { DirectoryEntry: Array<{ Telephone: Array<{ '#text': string; '@_label': string }> }> };
    };
    expect(doc.YealinkIPPhoneDirectory.DirectoryEntry[2]?.Telephone.map((t) => [t['@_label'], t['#text']])).toEqual([
      ['Work', '+49301234567'],
      ['Mobile', '+14155550101'],
    ]);
  });

  it('searches by name, company, keypad digits and numbers in any form', async () => {
    await seedBook();
    const key = await phonebookKey();
    const search = async (q: string) =>
      yealinkNames((await get(`/phonebook/yealink?key=${key}&q=${encodeURIComponent(q)}`)).body);
    expect(await search('mül')).toEqual(['Müller, Anna']);
    expect(await search('Anna M')).toEqual(['Müller, Anna']);
    expect(await search('Difference')).toEqual(['Babbage, Charles']);
    expect(await search('685')).toEqual(['Müller, Anna']);
    for (const typed of ['+49 30 1234567', '0049301234567', '4930123'])
      expect(await search(typed)).toEqual(['Müller, Anna']);
    for (const typed of ['(415) 555-0101', '415-555-0101', '4155550101', '+1 415 555 0101'])
      expect(await search(typed)).toEqual(['Müller, Anna']);
    expect(await search('212 555')).toEqual(['Babbage, Charles']);
  });

  it('treats a #SEARCH the phone left unreplaced as no search, and ignores parameters it does not know', async () => {
    await seedBook();
    const key = await phonebookKey();
    const literal = await get(`/phonebook/yealink?key=${key}&q=#SEARCH`);
    expect(literal.status).toBe(200);
    expect(yealinkNames(literal.body)).toHaveLength(3);
    const encoded = await get(`/phonebook/yealink?q=%23SEARCH&key=${key}`);
    expect(yealinkNames(encoded.body)).toHaveLength(3);
    const cisco = await get(`/phonebook/cisco?key=${key}&locale=German_Germany&name=SEP001122334455`);
    expect(cisco.status).toBe(200);
    expect(cisco.body).toContain('<CiscoIPPhoneDirectory>');
    expect(cisco.body).toContain('Müller, Anna');
  });

  it('serves Grandstream at <path>/phonebook.xml, a named feed in the path, the key as the Basic password', async () => {
    await seedBook();
    const key = await phonebookKey();
    const basic = { Authorization: `Basic ${Buffer.from(`phone:${key}`).toString('base64')}` };
    const all = await get('/phonebook/grandstream/phonebook.xml', basic);
    expect(all.status).toBe(200);
    expect(all.body).toContain('<AddressBook>');
    expect(all.body.match(/<Contact>/g)).toHaveLength(3);
    await fetch(`${api.plainUrl}/api/v1/phone-books`, {
      method: 'POST',
      headers: { ...AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'vip', format: 'grandstream', selection: { kind: 'tag', tag: 'vip' } }),
    });
    const vip = await get('/phonebook/grandstream/vip/phonebook.xml', basic);
    expect(vip.status).toBe(200);
    expect(vip.body.match(/<Contact>/g)).toHaveLength(1);
    expect(vip.body).toContain('Lovelace');
  });

  it('answers 404 in plain text for an unknown format, before asking for a key', async () => {
    const answer = await get('/phonebook/nokia');
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    expect(answer.body).toContain('no phone-book format "nokia"');
  });

  it('refuses a request without a key, with a wrong key and with a key lacking the phonebook scope', async () => {
    await seedBook();
    expect((await get('/phonebook/yealink')).status).toBe(401);
    expect((await get('/phonebook/yealink?key=sbk_nope')).status).toBe(401);
    const callerId = (await createAccessKey(api.db, { name: 'pbx', scopes: ['callerid'] })).key;
    const refused = await get(`/phonebook/yealink?key=${callerId}`);
    expect(refused.status).toBe(403);
    expect(refused.body).not.toContain('Müller');
  });

  it('takes the key as the HTTP Basic password', async () => {
    await seedBook();
    const key = await phonebookKey();
    const basic = `Basic ${Buffer.from(`phone:${key}`).toString('base64')}`;
    const answer = await get('/phonebook/yealink', { Authorization: basic });
    expect(answer.status).toBe(200);
    expect(yealinkNames(answer.body)).toHaveLength(3);
  });

  it('answers 304 to an unchanged book (If-None-Match, If-Modified-Since) and 200 with a new ETag after a change', async () => {
    const ids = await seedBook();
    const key = await phonebookKey();
    const first = await get(`/phonebook/yealink?key=${key}`);
    const etag = first.headers.etag as string;
    const lastModified = first.headers['last-modified'] as string;
    expect(etag).toMatch(/^"pb-/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await get(`/phonebook/yealink?key=${key}`, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect((await get(`/phonebook/yealink?key=${key}`, { 'If-Modified-Since': lastModified })).status).toBe(304);
    // Another search is another body: its own ETag.
    const searched = await get(`/phonebook/yealink?key=${key}&q=mu`, { 'If-None-Match': etag });
    expect(searched.status).toBe(200);

    await updateContact(api.db, ids.babbage as string, { title: 'Inventor' });
    const changed = await get(`/phonebook/yealink?key=${key}`, { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    const changedSince = await get(`/phonebook/yealink?key=${key}`, { 'If-Modified-Since': lastModified });
    expect(changedSince.status).toBe(200);
    expect(Date.parse(changedSince.headers['last-modified'] as string)).toBeGreaterThan(Date.parse(lastModified));
  });

  it('serves a named feed: selection by tag, org or object, name order, transliteration, length cap', async () => {
    const ids = await seedBook();
    const key = await phonebookKey();
    const create = async (body: object) => {
      const res = await fetch(`${api.plainUrl}/api/v1/phone-books`, {
        method: 'POST',
        headers: { ...AUTH, 'Content-Type': 'application/json', Host: 'switchboard.test' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; url: string; version: number };
    };
    const sales = await create({
      name: 'Sales',
      format: 'yealink',
      selection: { kind: 'tag', tag: 'sales' },
      options: { nameOrder: 'first-last', transliteration: 'ascii' },
    });
    expect(sales.url).toBe('http://switchboard.test/phonebook/yealink?feed=Sales');
    expect(yealinkNames((await get(`/phonebook/yealink?feed=Sales&key=${key}`)).body)).toEqual([
      'Ada Lovelace',
      'Anna Mueller',
    ]);

    await upsertOrg(api.db, { id: 'org-1', name: 'Acme', loginUrl: 'https://login.example.com' });
    await createLink(api.db, {
      orgId: 'org-1',
      contactId: ids.babbage as string,
      sobject: 'Lead',
      recordId: '00Q000000000001AAA',
    });
    await create({ name: 'acme', format: 'yealink', selection: { kind: 'org', orgId: 'org-1' } });
    expect(yealinkNames((await get(`/phonebook/yealink?feed=acme&key=${key}`)).body)).toEqual(['Babbage, Charles']);
    await create({
      name: 'leads',
      format: 'yealink',
      selection: { kind: 'object', object: 'Lead' },
      options: { nameMaxLength: 7 },
    });
    expect(yealinkNames((await get(`/phonebook/yealink?feed=leads&key=${key}`)).body)).toEqual(['Babbage']);

    const wrongFormat = await get(`/phonebook/cisco?feed=Sales&key=${key}`);
    expect(wrongFormat.status).toBe(404);
    expect(wrongFormat.body).toContain('/phonebook/yealink?feed=Sales');
    expect((await get(`/phonebook/yealink?feed=nope&key=${key}`)).status).toBe(404);
  });

  it("changes a named feed's ETag when its configuration changes", async () => {
    await seedBook();
    const key = await phonebookKey();
    const headers = { ...AUTH, 'Content-Type': 'application/json', Host: 'switchboard.test' };
    const body = { name: 'all', format: 'yealink', selection: { kind: 'all' } };
    const created = (await (
      await fetch(`${api.plainUrl}/api/v1/phone-books`, { method: 'POST', headers, body: JSON.stringify(body) })
    ).json()) as { id: string };
    const before = await get(`/phonebook/yealink?feed=all&key=${key}`);
    const put = await fetch(`${api.plainUrl}/api/v1/phone-books/${created.id}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ ...body, options: { nameOrder: 'first-last' } }),
    });
    expect(put.status).toBe(200);
    const after = await get(`/phonebook/yealink?feed=all&key=${key}`, {
      'If-None-Match': before.headers.etag as string,
    });
    expect(after.status).toBe(200);
    expect(yealinkNames(after.body)[0]).toBe('Ada Lovelace');
  });
});
