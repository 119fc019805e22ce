/**
 * Salesforce record ids: 3-char key prefix, 12 chars of base62, and the 3-char case-safe suffix that
 * turns a 15-char id into the 18-char form every API returns.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_CHARS[bits];
  }
  return suffix;
}

function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  if (rest > 0) throw new Error(`id index ${n} does not fit in ${width} base62 digits`);
  return out;
}

function unbase62(s: string): number {
  let n = 0;
  for (const ch of s) {
    const v = BASE62.indexOf(ch);
    if (v < 0) return NaN;
    n = n * 62 + v;
  }
  return n;
}

/** An org's ids carry its number in two chars (as the pod/instance chars do), so orgs never share ids. */
export function makeId(keyPrefix: string, orgNumber: number, index: number): string {
  const id15 = keyPrefix + base62(orgNumber, 2) + base62(index, 10);
  return id15 + caseSafeSuffix(id15);
}

export interface ParsedId {
  keyPrefix: string;
  orgNumber: number;
  index: number;
  id18: string;
}

/** Accepts 15- and 18-char ids; returns undefined for anything that is not a well-formed id. */
export function parseId(id: string): ParsedId | undefined {
  if (!/^[a-zA-Z0-9]{15}([A-Z0-5]{3})?$/.test(id)) return undefined;
  const id15 = id.slice(0, 15);
  const suffix = caseSafeSuffix(id15);
  if (id.length === 18 && id.slice(15).toUpperCase() !== suffix) return undefined;
  const orgNumber = unbase62(id15.slice(3, 5));
  const index = unbase62(id15.slice(5));
  if (Number.isNaN(orgNumber) || Number.isNaN(index)) return undefined;
  return { keyPrefix: id15.slice(0, 3), orgNumber, index, id18: id15 + suffix };
}
