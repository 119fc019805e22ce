import type { CardResource } from '../directory/carddavResources';
import type { BookName, Hrefs } from './paths';
import { CALSERVER, CARDDAV, child, clark, DAV, el, escapeXml, type XmlElement } from './xml';

/**
 * The WebDAV properties each kind of resource answers (RFC 4918 §15, RFC 5397, RFC 3744 §5.4, RFC 6352 §6–7,
 * RFC 6578 §4) and the `<D:response>` that carries them. A property asked for and not answered is listed under
 * 404 Not Found, as RFC 4918 §9.1 says.
 */

export const CARD_CONTENT_TYPE = 'text/vcard; charset=utf-8';
/** What a PUT may be (C:max-resource-size): a vCard with a photo is larger, and the directory keeps no photo. */
export const MAX_CARD_BYTES = 100_000;

export type VcardVersion = '3.0' | '4.0';

export type PropRequest =
  | { mode: 'prop'; names: string[]; vcardVersion: VcardVersion }
  | { mode: 'allprop'; names: string[]; vcardVersion: VcardVersion }
  | { mode: 'propname' };

const ADDRESS_DATA = clark(CARDDAV, 'address-data');
const GETCONTENTLENGTH = clark(DAV, 'getcontentlength');

/** What the request's `<D:prop>` / `<D:allprop/>` / `<D:propname/>` asks for (no element: allprop). */
export function propRequestOf(parent: XmlElement | undefined): PropRequest {
  if (child(parent, clark(DAV, 'propname'))) return { mode: 'propname' };
  const prop = child(parent, clark(DAV, 'prop'));
  if (!prop) {
    // allprop, with <D:include> naming extras (RFC 4918 §14.8)
    const include = child(parent, clark(DAV, 'include'));
    return { mode: 'allprop', names: include?.children.map((c) => c.name) ?? [], vcardVersion: '3.0' };
  }
  const addressData = child(prop, ADDRESS_DATA);
  return {
    mode: 'prop',
    names: [...new Set(prop.children.map((c) => c.name))],
    vcardVersion: addressData?.attrs.version === '4.0' ? '4.0' : '3.0',
  };
}

/** The vCard version a request's address-data asks for (3.0 unless it says 4.0). */
export function versionOf(request: PropRequest): VcardVersion {
  return request.mode === 'propname' ? '3.0' : request.vcardVersion;
}

/** Whether answering needs each card's vCard text (not only its name and version). */
export function needsCardText(request: PropRequest): boolean {
  return request.mode !== 'propname' && request.names.some((n) => n === ADDRESS_DATA || n === GETCONTENTLENGTH);
}

const status = (code: number) =>
  `<D:status>HTTP/1.1 ${code} ${code === 200 ? 'OK' : code === 404 ? 'Not Found' : 'Forbidden'}</D:status>`;

/** One `<D:response>` with its propstats. `found` holds inner XML per property. */
export function propResponse(href: string, found: Array<[string, string]>, missing: string[]): string {
  let out = `<D:response><D:href>${escapeXml(href)}</D:href>`;
  if (found.length > 0 || missing.length === 0) {
    out += `<D:propstat><D:prop>${found.map(([name, inner]) => el(name, inner)).join('')}</D:prop>${status(200)}</D:propstat>`;
  }
  if (missing.length > 0) {
    out += `<D:propstat><D:prop>${missing.map((name) => el(name)).join('')}</D:prop>${status(404)}</D:propstat>`;
  }
  return `${out}</D:response>`;
}

/** A `<D:response>` with a status only (sync-collection's removed members, multiget's unknown hrefs). */
export function statusResponse(href: string, code: number): string {
  const reason = code === 404 ? 'Not Found' : code === 507 ? 'Insufficient Storage' : 'OK';
  return `<D:response><D:href>${escapeXml(href)}</D:href><D:status>HTTP/1.1 ${code} ${reason}</D:status></D:response>`;
}

type Getter = () => string | Promise<string>;

/** Answers a property request from getters: allprop takes the getters marked for it, propname names them all. */
export async function answer(
  href: string,
  request: PropRequest,
  getters: ReadonlyMap<string, Getter>,
  allprop: ReadonlySet<string>,
): Promise<string> {
  if (request.mode === 'propname')
    return propResponse(
      href,
      [...getters.keys()].map((n) => [n, '']),
      [],
    );
  const names = request.mode === 'allprop' ? [...allprop, ...request.names] : request.names;
  const found: Array<[string, string]> = [];
  const missing: string[] = [];
  for (const name of new Set(names)) {
    const getter = getters.get(name);
    if (getter) found.push([name, await getter()]);
    else missing.push(name);
  }
  return propResponse(href, found, missing);
}

const hrefXml = (href: string) => `<D:href>${escapeXml(href)}</D:href>`;

const READ_ONLY_PRIVILEGES = ['read', 'read-current-user-privilege-set'];
const BOOK_PRIVILEGES = [...READ_ONLY_PRIVILEGES, 'write', 'write-content', 'bind', 'unbind'];
const privileges = (names: string[]) => names.map((n) => `<D:privilege>${el(clark(DAV, n))}</D:privilege>`).join('');

export interface BookState {
  /** directoryVersion(): changes with every committed change to the directory. */
  version(): Promise<string>;
  /** The sync-token URI of this moment. */
  syncToken(): Promise<string>;
}

/** Properties of the home (`/carddav/`), the principal and a book, by name. */
export function collectionGetters(
  target:
    { kind: 'home' } | { kind: 'principal'; displayName: string } | { kind: 'book'; book: BookName; state: BookState },
  hrefs: Hrefs,
): { getters: Map<string, Getter>; allprop: Set<string> } {
  const d = (local: string) => clark(DAV, local);
  const c = (local: string) => clark(CARDDAV, local);
  const getters = new Map<string, Getter>([
    [d('current-user-principal'), () => hrefXml(hrefs.principal)],
    [c('addressbook-home-set'), () => hrefXml(hrefs.home)],
    [d('principal-collection-set'), () => hrefXml(hrefs.home)],
    [d('owner'), () => hrefXml(hrefs.principal)],
    [d('supported-report-set'), () => ''],
  ]);
  if (target.kind === 'home') {
    getters.set(d('resourcetype'), () => el(d('collection')));
    getters.set(d('displayname'), () => 'Switchboard');
    getters.set(d('current-user-privilege-set'), () => privileges(READ_ONLY_PRIVILEGES));
  } else if (target.kind === 'principal') {
    getters.set(d('resourcetype'), () => el(d('collection')) + el(d('principal')));
    getters.set(d('displayname'), () => escapeXml(target.displayName));
    getters.set(d('principal-URL'), () => hrefXml(hrefs.principal));
    getters.set(d('current-user-privilege-set'), () => privileges(READ_ONLY_PRIVILEGES));
  } else {
    const { state } = target;
    getters.set(d('resourcetype'), () => el(d('collection')) + el(c('addressbook')));
    getters.set(d('displayname'), () => 'Directory');
    getters.set(c('addressbook-description'), () => 'Every contact of the Switchboard directory');
    getters.set(d('current-user-privilege-set'), () => privileges(BOOK_PRIVILEGES));
    getters.set(d('getetag'), async () => escapeXml(`"${await state.version()}"`));
    getters.set(clark(CALSERVER, 'getctag'), async () => escapeXml(await state.version()));
    getters.set(d('sync-token'), async () => escapeXml(await state.syncToken()));
    getters.set(d('supported-report-set'), () =>
      [c('addressbook-multiget'), c('addressbook-query'), d('sync-collection')]
        .map((r) => `<D:supported-report><D:report>${el(r)}</D:report></D:supported-report>`)
        .join(''),
    );
    getters.set(c('supported-address-data'), () =>
      ['3.0', '4.0'].map((v) => `<C:address-data-type content-type="text/vcard" version="${v}"/>`).join(''),
    );
    getters.set(c('max-resource-size'), () => String(MAX_CARD_BYTES));
  }
  const allprop = new Set([d('resourcetype'), d('displayname'), d('getetag')].filter((n) => getters.has(n)));
  return { getters, allprop };
}

/** A card's ETag: the contact's version, which goes up on every write (RFC 7232 strong validator). */
export const etagOf = (resource: Pick<CardResource, 'version'>) => `"${resource.version}"`;

/** Properties of a card; `vcard` is its text when the request needs it (needsCardText). */
export function cardGetters(
  resource: CardResource,
  vcard: string | undefined,
): { getters: Map<string, Getter>; allprop: Set<string> } {
  const d = (local: string) => clark(DAV, local);
  const getters = new Map<string, Getter>([
    [d('getetag'), () => escapeXml(etagOf(resource))],
    [d('getcontenttype'), () => escapeXml(CARD_CONTENT_TYPE)],
    [d('resourcetype'), () => ''],
  ]);
  if (resource.updatedAt) {
    const modified = new Date(resource.updatedAt).toUTCString();
    getters.set(d('getlastmodified'), () => escapeXml(modified));
  }
  if (vcard !== undefined) {
    getters.set(d('getcontentlength'), () => String(Buffer.byteLength(vcard, 'utf8')));
    getters.set(ADDRESS_DATA, () => escapeXml(vcard));
  }
  return { getters, allprop: new Set([d('getetag'), d('getcontenttype'), d('resourcetype'), d('getlastmodified')]) };
}
