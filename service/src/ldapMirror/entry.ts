/**
 * A directory contact as an LDAP entry (pure: no I/O). The entries are inetOrgPerson, named by a stable `uid`
 * (the directory contact's id) under the configured base DN, so renames never move an entry, and carry what
 * phones search and show: cn, sn, givenName, displayName, o, title, mail and the numbers.
 *
 * Numbers: work and other numbers go to telephoneNumber (inetOrgPerson has no attribute for "other"; phones'
 * number filters look at telephoneNumber, mobile and homePhone, so an "other" number is found too), mobile to
 * mobile, home to homePhone. Each is the E.164 form when the number is valid (what a PBX presents as caller
 * ID, and dialable from anywhere), else the number as typed; an extension follows as " x123".
 */
import { domainToASCII } from 'node:url';
import type { DirectoryContact, DirectoryPhone } from '../directory/model';

export const OBJECT_CLASSES = ['top', 'person', 'organizationalPerson', 'inetOrgPerson'] as const;

/** The attributes the mirror owns on each entry (all replaced together; uid names the entry and never changes). */
export const MIRRORED_ATTRIBUTES = [
  'cn',
  'sn',
  'givenName',
  'displayName',
  'o',
  'title',
  'mail',
  'telephoneNumber',
  'mobile',
  'homePhone',
] as const;
export type MirroredAttribute = (typeof MIRRORED_ATTRIBUTES)[number];

export interface LdapEntry {
  dn: string;
  uid: string;
  /** Every mirrored attribute; an empty list means "absent". */
  attributes: Record<MirroredAttribute, string[]>;
}

/** RFC 4514 escaping of an attribute value inside a DN. */
export function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ')
    .replace(/\0/g, '\\00');
}

export function entryDn(contactId: string, baseDn: string): string {
  return `uid=${escapeDnValue(contactId)},${baseDn}`;
}

/** Trimmed, inner whitespace runs made one space; null when nothing is left (LDAP refuses empty values). */
function clean(value: string | null | undefined): string | null {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? text : null;
}

/** telephoneNumber, mobile and homePhone are PrintableString: other characters are refused by the server. */
const NOT_PRINTABLE = /[^A-Za-z0-9 '()+,\-./:=?]/g;

function phoneValue(phone: DirectoryPhone): string | null {
  const number = phone.e164 ?? clean(phone.raw.replace(NOT_PRINTABLE, ' '));
  if (!number) return null;
  const extension = phone.extension?.replace(/\D/g, '');
  return extension ? `${number} x${extension}` : number;
}

/**
 * telephoneNumberMatch ignores spaces and hyphens and case: two values equal under it are one value to the
 * server, which refuses an entry that lists both.
 */
function numberKey(value: string): string {
  return value.replace(/[\s-]/g, '').toLowerCase();
}

function distinctNumbers(values: (string | null)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    if (value === null || seen.has(numberKey(value))) continue;
    seen.add(numberKey(value));
    out.push(value);
  }
  return out;
}

/** mail is IA5String (ASCII): an international domain goes as punycode; a non-ASCII local part cannot go. */
function mailValue(email: string | null): string | null {
  const text = clean(email);
  if (!text) return null;
  const at = text.lastIndexOf('@');
  if (at <= 0) return /^[\x20-\x7e]+$/.test(text) ? text : null;
  const local = text.slice(0, at);
  const domain = domainToASCII(text.slice(at + 1));
  if (!domain || !/^[\x20-\x7e]+$/.test(local)) return null;
  return `${local}@${domain}`;
}

/**
 * The name a phone lists: "First Last"; without either, the company, then the email, then the first number,
 * then the id — cn and sn are required by the person class, and an entry nobody can name is still findable
 * by number.
 */
export function commonName(contact: DirectoryContact): string {
  const person = clean([contact.firstName, contact.lastName].filter(Boolean).join(' '));
  return (
    person ??
    clean(contact.company) ??
    clean(contact.email) ??
    contact.phones.map(phoneValue).find((v) => v !== null) ??
    contact.id
  );
}

export function toLdapEntry(contact: DirectoryContact, baseDn: string): LdapEntry {
  const cn = commonName(contact);
  const given = clean(contact.firstName);
  const byKind = (kinds: DirectoryPhone['kind'][]) =>
    distinctNumbers(contact.phones.filter((p) => kinds.includes(p.kind)).map(phoneValue));
  const list = (value: string | null) => (value === null ? [] : [value]);
  return {
    dn: entryDn(contact.id, baseDn),
    uid: contact.id,
    attributes: {
      cn: [cn],
      // Surname, else the first name alone (a phone sorting by sn still files the person by name), else cn.
      sn: [clean(contact.lastName) ?? given ?? cn],
      givenName: list(given),
      displayName: [cn],
      o: list(clean(contact.company)),
      title: list(clean(contact.title)),
      mail: list(mailValue(contact.email)),
      telephoneNumber: byKind(['work', 'other']),
      mobile: byKind(['mobile']),
      homePhone: byKind(['home']),
    },
  };
}

/**
 * The attributes whose values differ between what the server holds (`current`, attribute names in any case)
 * and `wanted`: only those are replaced. Differences the server's matching rules ignore still count when the
 * exact text differs (a phone shows what is stored), so values are compared exactly, ignoring order.
 */
export function changedAttributes(
  current: Record<string, string[]>,
  wanted: LdapEntry['attributes'],
): MirroredAttribute[] {
  const byLowerName = new Map(Object.entries(current).map(([name, values]) => [name.toLowerCase(), values]));
  return MIRRORED_ATTRIBUTES.filter((attribute) => {
    const have = [...(byLowerName.get(attribute.toLowerCase()) ?? [])].sort();
    const want = [...wanted[attribute]].sort();
    return have.length !== want.length || have.some((v, i) => v !== want[i]);
  });
}
