import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { text } from '../phonebook/formats/xml';

/**
 * WebDAV's XML, both ways. Requests are parsed with fast-xml-parser and their element names resolved to
 * `{namespace}local` (Clark notation) from the xmlns declarations in scope, so `<d:prop xmlns:d="DAV:">` and
 * `<prop xmlns="DAV:">` are the same element, as RFC 4918 requires. Responses are written as text (they are
 * streamed, one `<D:response>` at a time), with every value escaped by the phone books' `text()`.
 */

export const DAV = 'DAV:';
export const CARDDAV = 'urn:ietf:params:xml:ns:carddav';
/** getctag lives in Apple's CalendarServer namespace; clients that predate sync-collection still ask for it. */
export const CALSERVER = 'http://calendarserver.org/ns/';

const PREFIXES: Readonly<Record<string, string>> = { [DAV]: 'D', [CARDDAV]: 'C', [CALSERVER]: 'CS' };
export const NAMESPACE_DECLARATIONS = `xmlns:D="${DAV}" xmlns:C="${CARDDAV}" xmlns:CS="${CALSERVER}"`;

export interface XmlElement {
  /** `{namespace}local`, e.g. `{DAV:}prop`. */
  name: string;
  attrs: Readonly<Record<string, string>>;
  children: XmlElement[];
  /** The element's own text, concatenated. */
  text: string;
}

/** A request body that is no well-formed XML, or uses what a DAV request never needs (a DOCTYPE: entity bombs). */
export class XmlBodyError extends Error {}

export const clark = (namespace: string, local: string) => `{${namespace}}${local}`;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
});

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

/** The document element of `body`, names resolved. Throws XmlBodyError. */
export function parseXml(body: string): XmlElement {
  if (/<!DOCTYPE/i.test(body)) throw new XmlBodyError('a DOCTYPE is not accepted in a WebDAV request body');
  const valid = XMLValidator.validate(body);
  if (valid !== true)
    throw new XmlBodyError(`the body is no well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const nodes = parser.parse(body) as Node[];
  const roots = nodes.flatMap((node) => toElements(node, {}));
  if (roots.length !== 1) throw new XmlBodyError('the body must hold exactly one document element');
  return roots[0] as XmlElement;
}

function toElements(node: Node, scope: Readonly<Record<string, string>>): XmlElement[] {
  const tag = Object.keys(node).find((key) => key !== ':@');
  if (tag === undefined || tag === '#text' || tag.startsWith('?') || tag === '#comment') return [];
  const attrs = node[':@'] ?? {};
  const inner: Record<string, string> = { ...scope };
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'xmlns') inner[''] = value;
    else if (key.startsWith('xmlns:')) inner[key.slice(6)] = value;
  }
  const colon = tag.indexOf(':');
  const prefix = colon >= 0 ? tag.slice(0, colon) : '';
  const local = colon >= 0 ? tag.slice(colon + 1) : tag;
  const namespace = inner[prefix];
  if (namespace === undefined && prefix !== '') throw new XmlBodyError(`the prefix "${prefix}" is not declared`);
  const content = (node[tag] as Node[] | undefined) ?? [];
  const children: XmlElement[] = [];
  let ownText = '';
  for (const child of content) {
    if ('#text' in child) ownText += String(child['#text']);
    else children.push(...toElements(child, inner));
  }
  const plainAttrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (key !== 'xmlns' && !key.startsWith('xmlns:')) plainAttrs[key] = value;
  }
  return [{ name: clark(namespace ?? '', local), attrs: plainAttrs, children, text: ownText }];
}

/** The first child named `name` (Clark notation). */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}

/** `namespace` and local part of a Clark name. */
export function splitClark(name: string): { namespace: string; local: string } {
  const end = name.indexOf('}');
  return name.startsWith('{') && end > 0
    ? { namespace: name.slice(1, end), local: name.slice(end + 1) }
    : { namespace: '', local: name };
}

/**
 * An element in our prefixes (D:, C:, CS:), or with its own xmlns declaration for a namespace we do not know
 * (a property a client asked for that we answer 404). `inner` is already-escaped XML; empty writes `<x/>`.
 */
export function el(name: string, inner = '', attributes = ''): string {
  const { namespace, local } = splitClark(name);
  const safeLocal = /^[A-Za-z_][\w.-]*$/.test(local) ? local : 'invalid-name';
  const prefix = PREFIXES[namespace];
  const tag = prefix ? `${prefix}:${safeLocal}` : namespace === '' ? safeLocal : `X:${safeLocal}`;
  // XML 1.0 namespaces cannot bind a prefix to "" (no namespace): such an element takes none.
  const declaration = prefix || namespace === '' ? '' : ` xmlns:X="${text(namespace)}"`;
  const attrs = attributes ? ` ${attributes}` : '';
  return inner === '' ? `<${tag}${declaration}${attrs}/>` : `<${tag}${declaration}${attrs}>${inner}</${tag}>`;
}

/** Element text, escaped. */
export const escapeXml = (value: string): string => text(value);

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';
export const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';

/**
 * `<D:error>` with one precondition (RFC 4918 §16; `content` is its inner XML, already escaped, e.g. the href of a
 * conflicting card) and a sentence for people.
 */
export function errorDocument(precondition: string, message: string, content = ''): string {
  return (
    `${XML_DECLARATION}<D:error ${NAMESPACE_DECLARATIONS} xmlns:SB="urn:switchboard:carddav">` +
    `${el(precondition, content)}<SB:message>${escapeXml(message)}</SB:message></D:error>\n`
  );
}
