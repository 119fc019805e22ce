/** Raw WebDAV requests for the CardDAV tests, and their multistatus answers parsed with fast-xml-parser. */
import { XMLParser } from 'fast-xml-parser';

export interface DavAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export async function dav(
  baseUrl: string,
  method: string,
  path: string,
  options: {
    key?: string | null;
    body?: string;
    headers?: Record<string, string>;
    redirect?: 'manual' | 'follow';
  } = {},
): Promise<DavAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Basic ${Buffer.from(`phone:${options.key}`).toString('base64')}`;
  if (options.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/xml; charset=utf-8';
  }
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body,
    redirect: options.redirect ?? 'manual',
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name) =>
    ['response', 'propstat', 'supported-report', 'href', 'privilege', 'address-data-type'].includes(name),
});

/** One `<response>` of a multistatus: its href, status (for status-only entries) and properties by status. */
export interface DavResponse {
  href: string;
  status?: string;
  /** Properties found (200), by local name. */
  props: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed XML, checked field by field
  missing: string[];
}

export function multistatus(text: string): { responses: DavResponse[]; syncToken?: string } {
  const doc = parser.parse(text) as { multistatus?: { response?: any[]; 'sync-token'?: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed XML
  if (!doc.multistatus) throw new Error(`no multistatus in: ${text.slice(0, 300)}`);
  const responses = (doc.multistatus.response ?? []).map((r) => {
    const props: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const propstat of r.propstat ?? []) {
      const ok = String(propstat.status).includes(' 200 ');
      for (const [name, value] of Object.entries(propstat.prop ?? {})) {
        if (ok) props[name] = value;
        else missing.push(name);
      }
    }
    return { href: String(r.href[0]), status: r.status as string | undefined, props, missing };
  });
  return { responses, syncToken: doc.multistatus['sync-token'] };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed XML, checked field by field
export function parseXmlText(text: string): any {
  return parser.parse(text);
}

export const PROPFIND = (props: string, extraNs = '') =>
  `<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/"${extraNs}><d:prop>${props}</d:prop></d:propfind>`;
