import type ICALModule from 'ical.js';
import type { ContactFields, PhoneKind } from '../directory/model';

// ical.js is an ES module whose package also exports a CommonJS build under `require`; the service compiles to
// CommonJS (and jest loads CommonJS), so it is required. The type comes from the package's own declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: the package's CommonJS export
const ICAL = require('ical.js') as typeof ICALModule;

/**
 * A PUT body (one vCard 3.0 or 4.0, RFC 2426 / RFC 6350) turned into the fields the REST API takes for a contact,
 * before the API's own checks (lengths, email, phone numbers; see http/carddavMount.ts). What the directory keeps:
 * N (family → last name, given → first name), ORG (its first part → company), TITLE, the preferred EMAIL, every TEL
 * with its kind, and UID. FN must be there (both RFCs require it) but is derived again when served. Other properties
 * (ADR, NOTE, PHOTO, …) have no place in the directory and are not kept.
 *
 * TEL types become the directory's kinds: CELL (or "mobile"/"iphone") → mobile; FAX or PAGER → other (the directory
 * has no fax kind); WORK → work; HOME → home; anything else (VOICE alone, no type) → other. The directory holds one
 * number per kind: a second number of a kind goes to "other" when that is free; more is refused.
 */

export interface ContactInput {
  firstName: string | null;
  /** Absent: the vCard has no family name (the caller decides whether that may clear one). */
  lastName?: string;
  company: string | null;
  title: string | null;
  email: string | null;
  phones: Array<{ kind: PhoneKind; number: string }>;
}

/**
 * The REST API's checks of a contact (http/contactInput.ts: lengths, storable text, email, phone numbers valid for
 * the default country, normalised to E.164), handed in by http/ (which carddav/ may not import), so a PUT and a
 * PATCH accept and store the same things. `field` is the API's name for what is wrong (`lastName`, `phones[1].number`).
 */
export type ContactInputCheck = (
  input: ContactInput,
  mode: 'create' | 'update',
) => { fields: ContactFields } | { problem: { field: string; message: string } };

export interface ParsedCard {
  /** The vCard's UID, or null when it has none. */
  uid: string | null;
  input: ContactInput;
  /** Which TEL (1-based, in the vCard's order) each phone came from, so an error can name it. */
  phoneSources: number[];
}

/** A vCard the directory cannot take; `property` names the vCard property at fault. */
export class VcardInputError extends Error {
  constructor(
    readonly property: string,
    message: string,
  ) {
    super(`${property}: ${message}`);
    this.name = 'VcardInputError';
  }
}

type Component = InstanceType<typeof ICAL.Component>;
type Property = InstanceType<typeof ICAL.Property>;

export function parseVcard(body: string): ParsedCard {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(body);
  } catch (err) {
    // ical.js's messages quote the offending line: fine for the client that sent it (it is never logged).
    throw new VcardInputError('BEGIN', `the body is no vCard (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || Array.isArray(parsed[0]) || parsed[0] !== 'vcard') {
    throw new VcardInputError('BEGIN', 'the body must hold exactly one vCard (BEGIN:VCARD … END:VCARD)');
  }
  const card = new ICAL.Component(parsed as [string, unknown[], unknown[]]);
  const version = textOf(card.getFirstProperty('version'));
  if (version !== '3.0' && version !== '4.0') throw new VcardInputError('VERSION', 'must be 3.0 or 4.0');
  if (!textOf(card.getFirstProperty('fn'))) throw new VcardInputError('FN', 'is required (the formatted name)');

  const [family, given] = structured(card.getFirstProperty('n'));
  const [company] = structured(card.getFirstProperty('org'));
  const { phones, sources } = phonesOf(card);
  const input: ContactInput = {
    firstName: given || null,
    company: company || null,
    title: textOf(card.getFirstProperty('title')) || null,
    email: preferred(card.getAllProperties('email')) || null,
    phones,
  };
  if (family) input.lastName = family;
  const uid = textOf(card.getFirstProperty('uid'));
  return { uid: uid || null, input, phoneSources: sources };
}

function textOf(property: Property | null): string {
  if (!property) return '';
  const value = property.getFirstValue();
  return typeof value === 'string' ? value.trim() : value === null || value === undefined ? '' : String(value).trim();
}

/** A structured value's components (N, ORG), each trimmed; a multi-valued component is joined with spaces. */
function structured(property: Property | null): string[] {
  if (!property) return [];
  const value = property.getFirstValue() as unknown;
  const parts = Array.isArray(value) ? value : [value];
  return parts.map((part) =>
    (Array.isArray(part) ? part.join(' ') : part === null || part === undefined ? '' : String(part)).trim(),
  );
}

function typesOf(property: Property): Set<string> {
  const raw = property.getParameter('type') as unknown;
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  // vCard 3 writes TYPE=WORK,VOICE; some clients send one parameter "work,voice": split both ways.
  return new Set(list.flatMap((t) => String(t).toLowerCase().split(',')).map((t) => t.trim()));
}

/** The EMAIL marked preferred (TYPE=PREF in 3.0, PREF=1 in 4.0), else the first. */
function preferred(properties: Property[]): string {
  const pref = properties.find((p) => typesOf(p).has('pref') || p.getParameter('pref') === '1');
  return textOf(pref ?? properties[0] ?? null);
}

function kindOf(types: Set<string>): PhoneKind {
  if (types.has('cell') || types.has('mobile') || types.has('iphone')) return 'mobile';
  if (types.has('fax') || types.has('pager')) return 'other';
  if (types.has('work')) return 'work';
  if (types.has('home')) return 'home';
  return 'other';
}

/** `tel:+49-30-123;ext=12` (vCard 4 URI form) → `+49-30-123 x12`; text values as they are. */
function numberText(property: Property): string {
  const value = textOf(property);
  if (!/^tel:/i.test(value)) return value;
  const [number = '', ...params] = value.slice(4).split(';');
  const ext = params.find((p) => /^ext=/i.test(p));
  const decoded = safeDecode(number);
  return ext ? `${decoded} x${safeDecode(ext.slice(4))}` : decoded;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function phonesOf(card: Component): { phones: ContactInput['phones']; sources: number[] } {
  const phones: ContactInput['phones'] = [];
  const sources: number[] = [];
  const taken = new Set<PhoneKind>();
  card.getAllProperties('tel').forEach((property, index) => {
    const number = numberText(property);
    if (number === '') return; // an empty TEL line says nothing
    let kind = kindOf(typesOf(property));
    if (taken.has(kind)) {
      if (taken.has('other')) {
        throw new VcardInputError(
          'TEL',
          `the directory holds one number per kind (work, mobile, home, other); TEL number ${index + 1} has none left`,
        );
      }
      kind = 'other';
    }
    taken.add(kind);
    phones.push({ kind, number });
    sources.push(index + 1);
  });
  return { phones, sources };
}
