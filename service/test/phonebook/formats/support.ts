import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { validateXML, memoryPages } from 'xmllint-wasm';
import type { PhoneBookEntry, PhoneBookFormat, RenderContext } from '../../../src/phonebook/formats/format';

/** Test helpers for the phone-book formats: sample contacts, rendering to one string, XSD validation, parsing. */

/** A contact whose every field needs escaping or care: umlauts, markup characters, quotes, several numbers. */
export const MUELLER: PhoneBookEntry = {
  id: '0b6f3e0c-1d2a-4c53-9a57-5d1f0e6a0001',
  firstName: 'Jürgen',
  lastName: 'Müller-Lüdenscheidt',
  displayName: 'Müller-Lüdenscheidt, Jürgen',
  company: 'Bäcker & Söhne <GmbH> "Süd"',
  title: "Chef d'équipe",
  email: 'jürgen@bäcker.example',
  phones: [
    { kind: 'work', number: '+4930123456', extension: null },
    { kind: 'mobile', number: '+491701234567', extension: null },
    { kind: 'home', number: '+4930999888', extension: null },
    { kind: 'other', number: '+4940555', extension: '12' },
  ],
  updatedAt: '2026-03-01T10:20:30.000Z',
};

/** Characters XML 1.0 forbids (a control character, a lone surrogate) and one outside the BMP. */
export const ODD: PhoneBookEntry = {
  id: '0b6f3e0c-1d2a-4c53-9a57-5d1f0e6a0002',
  firstName: 'Zoë\u0001',
  lastName: "O'Brien\uD800 & <Co>",
  displayName: "O'Brien\uD800 & <Co>, Zoë\u0001 😀",
  company: null,
  title: null,
  email: null,
  phones: [{ kind: 'mobile', number: '+447700900123', extension: null }],
  updatedAt: '2026-03-02T00:00:00.000Z',
};

/** Two numbers of one kind: formats with one slot per kind must still show both. */
export const TWO_WORK: PhoneBookEntry = {
  id: '0b6f3e0c-1d2a-4c53-9a57-5d1f0e6a0003',
  firstName: 'Ada',
  lastName: 'Lovelace',
  displayName: 'Lovelace, Ada',
  company: 'Analytical Engines',
  title: null,
  email: null,
  phones: [
    { kind: 'work', number: '+441234567890', extension: null },
    { kind: 'work', number: '+441234567891', extension: null },
  ],
  updatedAt: '2026-03-03T00:00:00.000Z',
};

/** What XML parsers see of ODD's names once the forbidden characters are gone. */
export const ODD_LAST_CLEAN = "O'Brien\uFFFD & <Co>";
export const ODD_DISPLAY_CLEAN = "O'Brien\uFFFD & <Co>, Zoë 😀";

/** n generated contacts, each with a work and a mobile number. */
export function person(n: number): PhoneBookEntry {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    firstName: `Anna ${n}`,
    lastName: `Schäfer ${n}`,
    displayName: `Schäfer ${n}, Anna ${n}`,
    company: 'Ümlaut AG',
    title: null,
    email: `anna${n}@example.com`,
    phones: [
      { kind: 'work', number: `+4930${String(n).padStart(7, '0')}`, extension: null },
      { kind: 'mobile', number: `+49170${String(n).padStart(7, '0')}`, extension: null },
    ],
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

export async function* fromArray(entries: readonly PhoneBookEntry[]): AsyncIterable<PhoneBookEntry> {
  for (const entry of entries) yield entry;
}

export function context(format: PhoneBookFormat, overrides: Partial<RenderContext> = {}): RenderContext {
  return {
    title: 'Kontakte & Kunden',
    request: format.parseRequest({}),
    total: null,
    baseUrl: 'http://127.0.0.1:8080/phonebook/test?key=k%26y',
    vcardVersion: '3.0',
    ...overrides,
  };
}

/** The whole body of one render (tests only: the service never joins a body). */
export async function renderAll(
  format: PhoneBookFormat,
  entries: readonly PhoneBookEntry[],
  overrides: Partial<RenderContext> = {},
): Promise<string> {
  let body = '';
  for await (const chunk of format.render(fromArray(entries), context(format, overrides))) body += chunk;
  return body;
}

const SCHEMAS = path.join(__dirname, '..', 'schemas');

/** The body validated against service/test/phonebook/schemas/<schema>; resolves to libxml2's errors (none: []). */
export async function schemaErrors(body: string, schema: string, maxMemoryPages = 256): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'body.xml', contents: body }],
    schema: [readFileSync(path.join(SCHEMAS, schema), 'utf8')],
    initialMemoryPages: 256,
    maxMemoryPages: Math.max(256, maxMemoryPages),
  });
  return result.errors.map((error) => error.message);
}

export { memoryPages };

/** fast-xml-parser set up to keep text as text (numbers stay strings), attributes under `@_`, lists as arrays. */
export function parseXml(body: string, arrays: readonly string[] = []): Record<string, unknown> {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    isArray: (name) => arrays.includes(name),
  });
  return parser.parse(body, true) as Record<string, unknown>;
}

/**
 * What the feed does for one request, over an in-memory list in the feed's order: parse the format's
 * parameters, take `count` entries from `first`, count the total when asked, render.
 */
export async function serve(
  format: PhoneBookFormat,
  all: readonly PhoneBookEntry[],
  query: Readonly<Record<string, string | undefined>>,
  overrides: Partial<RenderContext> = {},
): Promise<string> {
  const request = format.parseRequest(query);
  const selected = all.slice(request.first, request.count === null ? undefined : request.first + request.count);
  return renderAll(format, selected, {
    request,
    total: format.needsTotal ? all.length : null,
    ...overrides,
  });
}

/** The query of an absolute URL as the feed would hand it to `parseRequest`. */
export function queryOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams.entries());
}
