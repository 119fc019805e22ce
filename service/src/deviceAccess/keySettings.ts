import { isIP, BlockList } from 'node:net';
import { z } from 'zod';

/**
 * What a key may do and from where: its scopes, its address allow-list, its rate limit and its options.
 * The schemas here are the one definition the REST API validates against and the middleware trusts.
 */

/** The device doors a key can open: phone books, caller-ID look-ups, CardDAV, call events. */
export const ACCESS_SCOPES = ['phonebook', 'callerid', 'carddav', 'calls'] as const;
export type AccessScope = (typeof ACCESS_SCOPES)[number];

/**
 * Requests a key may make per minute when its creator set no limit: 20 a second on average, which a PBX
 * looking up every call or a few hundred phones refreshing their book never reach, while a leaked key
 * cannot drain the directory quickly. A key for heavier traffic (a load test, a large PBX cluster) sets its own.
 */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;
export const MAX_RATE_LIMIT_PER_MINUTE = 10_000_000;
export const MAX_ALLOWED_CIDRS = 100;

/**
 * Per-key options a device room reads from `res.locals.accessKey.options`. The caller-ID ones are known and
 * checked; other rooms may add their own (an open object), which are kept when they are plain JSON under
 * simple names, so a typo is still a value nobody reads rather than an injection into anything.
 */
export const accessKeyOptionsSchema = z
  .object({
    /** How a caller's name is written: "Ada Lovelace" (first-last) or "Lovelace Ada" (last-first). */
    nameOrder: z.enum(['first-last', 'last-first']).optional(),
    /** Longest name a device is sent (characters); longer names are cut. */
    maxLength: z.number().int().min(1).max(1000).optional(),
    /** Names in ASCII ("Müller" → "Mueller") for devices that cannot show other characters. */
    transliterate: z.boolean().optional(),
  })
  .catchall(z.json())
  .superRefine((options, ctx) => {
    const names = Object.keys(options);
    if (names.length > 32) ctx.addIssue({ code: 'custom', message: 'must have at most 32 options' });
    for (const name of names) {
      if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'option names are letters, digits and _ (at most 64)' });
      }
    }
    if (JSON.stringify(options).length > 4096) {
      ctx.addIssue({ code: 'custom', message: 'must be at most 4096 characters as JSON' });
    }
  });

export type AccessKeyOptions = z.infer<typeof accessKeyOptionsSchema>;

/** One allow-list entry: an IPv4 or IPv6 network in CIDR notation, or one address (a /32 or /128). */
export interface ParsedCidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Parses `10.0.0.0/8`, `2001:db8::/32` or a single address; undefined when it is none of these. */
export function parseCidr(text: string): ParsedCidr | undefined {
  const match = /^([^/\s]+)(?:\/(\d{1,3}))?$/.exec(text.trim());
  if (!match) return undefined;
  const version = isIP(match[1]);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = match[2] === undefined ? max : Number(match[2]);
  if (prefix > max || (match[2] !== undefined && match[2].length > 1 && match[2].startsWith('0'))) return undefined;
  return { address: match[1].toLowerCase(), prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export const cidrSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((text) => parseCidr(text) !== undefined, {
    message: 'must be an IPv4 or IPv6 network in CIDR notation (10.0.0.0/8, 2001:db8::/32) or one address',
  });

/**
 * Whether a client address may use a key with this allow-list (empty: any address). IPv4 clients that reach
 * a dual-stack socket as `::ffff:a.b.c.d` match IPv4 networks (node:net BlockList maps them).
 */
export function addressAllowed(allowedCidrs: readonly string[], address: string): boolean {
  if (allowedCidrs.length === 0) return true;
  const version = isIP(address);
  if (version === 0) return false;
  const list = new BlockList();
  for (const text of allowedCidrs) {
    const cidr = parseCidr(text);
    if (cidr) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}
