/**
 * CardDAV over real HTTP (issue 14 item 4): discovery (RFC 6764), PROPFIND listings, multiget, query,
 * sync-collection (RFC 6578), GET/PUT/DELETE with ETags. Requests are raw XML; answers are parsed with fast-xml-parser
 * and the vCards with ical.js.
 */
import ICAL from 'ical.js';
import { useApiHarness, TOKEN } from '../support/api-harness';
import { insertContact } from '../../src/directory/contacts';
import { dav, multistatus, PROPFIND, parseXmlText } from './davClient';

const api = useApiHarness();
let key = '';

async function newKey(scope: string[] = ['carddav']): Promise<string> {
  const res = await fetch(`${api.plainUrl}/api/v1/access-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Softphone of Ada', scope }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

beforeEach(async () => {
  key = await newKey();
});

const req = (method: string, path: string, options: Parameters<typeof dav>[3] = {}) =>
  dav(api.plainUrl, method, path, { key, ...options });

function card(text: string) {
  return new ICAL.Component(ICAL.parse(text) as [string, unknown[], unknown[]]);
}

describe('discovery and authentication', () => {
  it('follows /.well-known/carddav → current-user-principal → addressbook-home-set → the address book', async () => {
    const wellKnown = await dav(api.plainUrl, 'PROPFIND', '/.well-known/carddav', { key: null });
    expect(wellKnown.status).toBe(301);
    expect(wellKnown.headers.get('location')).toBe('/carddav/');

    const root = await req('PROPFIND', '/carddav/', {
      body: PROPFIND('<d:current-user-principal/>'),
      headers: { depth: '0' },
    });
    expect(root.status).toBe(207);
    const principalHref = multistatus(root.text).responses[0]?.props['current-user-principal'].href[0];
    expect(principalHref).toBe('/carddav/principal/');

    const principal = await req('PROPFIND', principalHref, {
      body: PROPFIND('<card:addressbook-home-set/><d:displayname/><d:resourcetype/>'),
      headers: { depth: '0' },
    });
    const principalProps = multistatus(principal.text).responses[0]?.props ?? {};
    expect(principalProps['addressbook-home-set'].href[0]).toBe('/carddav/');
    expect(principalProps.displayname).toBe('Softphone of Ada');
    expect(principalProps.resourcetype).toHaveProperty('principal');

    const home = await req('PROPFIND', '/carddav/', {
      body: PROPFIND(
        '<d:resourcetype/><d:displayname/><cs:getctag/><d:sync-token/><d:supported-report-set/><card:supported-address-data/>',
      ),
      headers: { depth: '1' },
    });
    expect(home.status).toBe(207);
    const book = multistatus(home.text).responses.find((r) => r.href === '/carddav/directory/');
    expect(book).toBeDefined();
    expect(book?.props.resourcetype).toHaveProperty('addressbook');
    expect(book?.props.resourcetype).toHaveProperty('collection');
    expect(book?.props.displayname).toBe('Directory');
    expect(String(book?.props.getctag)).not.toBe('');
    expect(String(book?.props['sync-token'])).toMatch(/^urn:switchboard:carddav-sync:directory:\d+-\d+$/);
    const reports = (book?.props['supported-report-set']['supported-report'] as Array<{ report: object }>).map(
      (r) => Object.keys(r.report)[0],
    );
    expect(reports.sort()).toEqual(['addressbook-multiget', 'addressbook-query', 'sync-collection']);
    const types = book?.props['supported-address-data']['address-data-type'] as Array<Record<string, string>>;
    expect(types.map((t) => t['@version'])).toEqual(['3.0', '4.0']);
  });

  it('asks for the key on every request, OPTIONS included, and refuses a key without the carddav scope', async () => {
    for (const method of ['OPTIONS', 'PROPFIND', 'GET', 'REPORT', 'PUT', 'DELETE']) {
      const res = await dav(api.plainUrl, method, '/carddav/directory/', { key: null });
      expect([method, res.status]).toEqual([method, 401]);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    }
    const wrong = await dav(api.plainUrl, 'PROPFIND', '/carddav/', { key: 'sbk_not-a-real-key-at-all-000000000000' });
    expect(wrong.status).toBe(401);
    const phonebookOnly = await newKey(['phonebook']);
    expect((await dav(api.plainUrl, 'PROPFIND', '/carddav/', { key: phonebookOnly })).status).toBe(403);

    const options = await req('OPTIONS', '/carddav/directory/');
    expect(options.status).toBe(200);
    expect(options.headers.get('dav')).toBe('1, 3, addressbook');
    expect(options.headers.get('allow')).toContain('REPORT');
  });
});

describe('listing and reading cards', () => {
  it('lists every contact at Depth 1 with its ETag (the version) and content type, and refuses Depth infinity', async () => {
    const ada = await api.seed();
    const grace = await api.seed({ firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phones: [] });
    const res = await req('PROPFIND', '/carddav/directory/', {
      body: PROPFIND('<d:getetag/><d:getcontenttype/><d:resourcetype/>'),
      headers: { depth: '1' },
    });
    expect(res.status).toBe(207);
    const { responses } = multistatus(res.text);
    expect(responses.map((r) => r.href).sort()).toEqual(
      ['/carddav/directory/', `/carddav/directory/${ada.id}.vcf`, `/carddav/directory/${grace.id}.vcf`].sort(),
    );
    const adaCard = responses.find((r) => r.href.includes(ada.id));
    expect(adaCard?.props.getetag).toBe(`"${ada.version}"`);
    expect(adaCard?.props.getcontenttype).toBe('text/vcard; charset=utf-8');

    const infinite = await req('PROPFIND', '/carddav/directory/', {
      body: PROPFIND('<d:getetag/>'),
      headers: { depth: 'infinity' },
    });
    expect(infinite.status).toBe(403);
    expect(infinite.text).toContain('propfind-finite-depth');
  });

  it('answers addressbook-multiget with each card (3.0, or 4.0 when asked) and 404 for unknown hrefs', async () => {
    const ada = await api.seed();
    const unknown = '/carddav/directory/00000000-0000-4000-8000-000000000000.vcf';
    const body = (version: string) =>
      `<?xml version="1.0"?><C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">` +
      `<D:prop><D:getetag/><C:address-data${version ? ` version="${version}"` : ''}/></D:prop>` +
      `<D:href>/carddav/directory/${ada.id}.vcf</D:href><D:href>${unknown}</D:href></C:addressbook-multiget>`;
    const res = await req('REPORT', '/carddav/directory/', { body: body(''), headers: { depth: '0' } });
    expect(res.status).toBe(207);
    const { responses } = multistatus(res.text);
    expect(responses.find((r) => r.href === unknown)?.status).toBe('HTTP/1.1 404 Not Found');
    const found = responses.find((r) => r.href === `/carddav/directory/${ada.id}.vcf`);
    expect(found?.props.getetag).toBe(`"${ada.version}"`);
    const vcard = card(String(found?.props['address-data']));
    expect(vcard.getFirstPropertyValue('version')).toBe('3.0');
    expect(vcard.getFirstPropertyValue('fn')).toBe('Ada Lovelace');
    expect(vcard.getFirstPropertyValue('uid')).toBe(ada.id);
    expect(vcard.getAllProperties('tel').map((p) => [p.getParameter('type'), p.getFirstValue()])).toEqual([
      [['WORK', 'VOICE'], '+14155552671'],
    ]);

    const v4 = multistatus((await req('REPORT', '/carddav/directory/', { body: body('4.0') })).text);
    const v4card = card(String(v4.responses.find((r) => r.href.includes(ada.id))?.props['address-data']));
    expect(v4card.getFirstPropertyValue('version')).toBe('4.0');
  });

  it('GETs a card with its ETag and answers 304 to If-None-Match', async () => {
    const ada = await api.seed();
    const res = await req('GET', `/carddav/directory/${ada.id}.vcf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/vcard; charset=utf-8');
    expect(res.headers.get('etag')).toBe(`"${ada.version}"`);
    expect(card(res.text).getFirstPropertyValue('fn')).toBe('Ada Lovelace');
    const again = await req('GET', `/carddav/directory/${ada.id}.vcf`, {
      headers: { 'if-none-match': `"${ada.version}"` },
    });
    expect(again.status).toBe(304);
    expect((await req('GET', '/carddav/directory/nobody.vcf')).status).toBe(404);
  });

  it('answers addressbook-query text-matches on FN and on TEL (digits in any format)', async () => {
    const ada = await api.seed();
    const grace = await api.seed({
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@example.com',
      phones: [{ kind: 'mobile', raw: '+1 212 555 0199', e164: '+12125550199', extension: null }],
    });
    const query = (filter: string) =>
      req('REPORT', '/carddav/directory/', {
        headers: { depth: '1' },
        body:
          `<?xml version="1.0"?><C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">` +
          `<D:prop><D:getetag/></D:prop><C:filter>${filter}</C:filter></C:addressbook-query>`,
      });
    const hrefs = async (filter: string) => multistatus((await query(filter)).text).responses.map((r) => r.href);
    expect(
      await hrefs('<C:prop-filter name="FN"><C:text-match match-type="contains">hopp</C:text-match></C:prop-filter>'),
    ).toEqual([`/carddav/directory/${grace.id}.vcf`]);
    expect(await hrefs('<C:prop-filter name="TEL"><C:text-match>415-555-2671</C:text-match></C:prop-filter>')).toEqual([
      `/carddav/directory/${ada.id}.vcf`,
    ]);
    expect(
      await hrefs(
        '<C:prop-filter name="TEL"><C:text-match match-type="equals">+12125550199</C:text-match></C:prop-filter>',
      ),
    ).toEqual([`/carddav/directory/${grace.id}.vcf`]);
    const unsupported = await query('<C:prop-filter name="X-ICQ"><C:text-match>1</C:text-match></C:prop-filter>');
    expect(unsupported.status).toBe(403);
    expect(unsupported.text).toContain('supported-filter');
  });
});

describe('sync-collection (RFC 6578)', () => {
  const sync = (token: string) =>
    req('REPORT', '/carddav/directory/', {
      headers: { depth: '0' },
      body:
        `<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token>` +
        `<D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`,
    });

  it('lists every card first, then only what changed, a deleted card as a 404 entry', async () => {
    const ada = await api.seed();
    const grace = await api.seed({ firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phones: [] });
    const first = multistatus((await sync('')).text);
    expect(first.responses.map((r) => r.href).sort()).toEqual(
      [`/carddav/directory/${ada.id}.vcf`, `/carddav/directory/${grace.id}.vcf`].sort(),
    );
    expect(first.syncToken).toMatch(/^urn:switchboard:carddav-sync:directory:/);

    const patched = await fetch(`${api.plainUrl}/api/v1/contacts/${ada.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Countess' }),
    });
    expect(patched.status).toBe(200);
    const deleted = await fetch(`${api.plainUrl}/api/v1/contacts/${grace.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(deleted.status).toBe(200);

    const second = multistatus((await sync(String(first.syncToken))).text);
    const byHref = new Map(second.responses.map((r) => [r.href, r]));
    expect(byHref.get(`/carddav/directory/${ada.id}.vcf`)?.props.getetag).toBe(`"${ada.version + 1}"`);
    expect(byHref.get(`/carddav/directory/${grace.id}.vcf`)?.status).toBe('HTTP/1.1 404 Not Found');
    expect(second.syncToken).not.toBe(first.syncToken);

    const third = multistatus((await sync(String(second.syncToken))).text);
    expect(third.responses).toEqual([]);
  });

  it('carries each changed card’s vCard when the client asks for address-data', async () => {
    const ada = await api.seed();
    const body = (token: string) =>
      `<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">` +
      `<D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level>` +
      `<D:prop><D:getetag/><C:address-data/></D:prop></D:sync-collection>`;
    const first = multistatus((await req('REPORT', '/carddav/directory/', { body: body('') })).text);
    expect(card(String(first.responses[0]?.props['address-data'])).getFirstPropertyValue('fn')).toBe('Ada Lovelace');
    const patched = await fetch(`${api.plainUrl}/api/v1/contacts/${ada.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Augusta Ada' }),
    });
    expect(patched.status).toBe(200);
    const second = multistatus(
      (await req('REPORT', '/carddav/directory/', { body: body(String(first.syncToken)) })).text,
    );
    expect(second.responses).toHaveLength(1);
    expect(card(String(second.responses[0]?.props['address-data'])).getFirstPropertyValue('fn')).toBe(
      'Augusta Ada Lovelace',
    );
  });

  it('refuses a token it did not issue with the valid-sync-token precondition', async () => {
    for (const token of [
      'http://example.com/ns/sync/1234',
      'urn:switchboard:carddav-sync:directory:abc-1',
      'urn:switchboard:carddav-sync:other:1-1',
    ]) {
      const res = await sync(token);
      expect([token, res.status]).toEqual([token, 403]);
      const error = parseXmlText(res.text).error;
      expect(error).toHaveProperty('valid-sync-token');
    }
  });

  it('cuts an answer at the client’s limit with a 507 entry and a token to go on from', async () => {
    for (let i = 0; i < 5; i++) await api.seed({ lastName: `Person ${i}`, email: `p${i}@example.com`, phones: [] });
    const limited = (token: string) =>
      req('REPORT', '/carddav/directory/', {
        body:
          `<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token>` +
          `<D:sync-level>1</D:sync-level><D:limit><D:nresults>2</D:nresults></D:limit><D:prop><D:getetag/></D:prop></D:sync-collection>`,
      });
    const seen = new Set<string>();
    let token = '';
    for (let round = 0; round < 10; round++) {
      const page = multistatus((await limited(token)).text);
      const cards = page.responses.filter((r) => r.href.endsWith('.vcf'));
      cards.forEach((r) => seen.add(r.href));
      token = String(page.syncToken);
      const truncated = page.responses.some((r) => r.href === '/carddav/directory/' && r.status?.includes('507'));
      if (!truncated) break;
      expect(cards.length).toBeLessThanOrEqual(2);
    }
    expect(seen.size).toBe(5);
  });

  it('names a removed card by the name its client gave it', async () => {
    const path = '/carddav/directory/made-by-client.vcf';
    const vcard = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'UID:client-1',
      'FN:Nora Neumann',
      'N:Neumann;Nora;;;',
      'END:VCARD',
      '',
    ];
    const put = await req('PUT', path, {
      body: vcard.join('\r\n'),
      headers: { 'content-type': 'text/vcard', 'if-none-match': '*' },
    });
    expect(put.status).toBe(201);
    const first = multistatus((await sync('')).text);
    expect(first.responses.map((r) => r.href)).toEqual([path]);
    const { contacts } = (await (
      await fetch(`${api.plainUrl}/api/v1/contacts`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { contacts: Array<{ id: string }> };
    const removed = await fetch(`${api.plainUrl}/api/v1/contacts/${contacts[0]?.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(removed.status).toBe(200);
    const second = multistatus((await sync(String(first.syncToken))).text);
    expect(second.responses).toEqual([expect.objectContaining({ href: path, status: 'HTTP/1.1 404 Not Found' })]);
  });
});

describe('a book larger than one page', () => {
  it('lists and syncs every card across database pages', async () => {
    const count = 1_234; // more than two pages of 500
    await api.db.transaction(async (tx) => {
      for (let i = 0; i < count; i++) {
        await insertContact(tx, { firstName: 'Bulk', lastName: `Person ${i}`, phones: [] }, 'salesforce');
      }
    });
    const listing = multistatus(
      (await req('PROPFIND', '/carddav/directory/', { body: PROPFIND('<d:getetag/>'), headers: { depth: '1' } })).text,
    );
    const cards = listing.responses.filter((r) => r.href.endsWith('.vcf'));
    expect(cards).toHaveLength(count);
    expect(new Set(cards.map((r) => r.href)).size).toBe(count);

    const synced = multistatus(
      (
        await req('REPORT', '/carddav/directory/', {
          body:
            '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level>' +
            '<D:prop><D:getetag/></D:prop></D:sync-collection>',
        })
      ).text,
    );
    expect(new Set(synced.responses.map((r) => r.href))).toEqual(new Set(cards.map((r) => r.href)));
  }, 120_000);
});
