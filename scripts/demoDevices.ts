import type { CountryCode } from 'libphonenumber-js/max';
import type { EmulatedOrg } from '../service/emulator';
import type { Database } from '../service/src/store/types';
import { rotateDemoDeviceKey } from '../service/src/deviceAccess/accessKeys';
import { normalizePhone } from '../service/src/sync/rules/phones';

/**
 * The demo banner's device lines (issue 14, item 5): a phone-book URL and a caller-ID URL that work as
 * printed, key included.
 *
 * Keys are stored hashed, so a key cannot be shown again after a restart: every demo start rotates the key
 * named "demo devices" (rotateDemoDeviceKey; created on the first start) and prints the new one. The URLs of
 * the latest start work; those printed before stop working. Keys an admin makes are never touched.
 *
 * The caller-ID number is the first seeded Contact's phone written with a +country code (so it means the
 * same number whatever the sync's default country) and without an extension: the directory holds that
 * contact once the demo's initial sync has run, seconds after the start.
 */
export interface DemoDeviceUrls {
  phoneBook: string;
  callerId: string;
  /** The E.164 number in the caller-ID URL, and the seeded Contact it belongs to. */
  number: string;
  contactId: string;
}

export async function demoDeviceUrls(
  db: Database,
  publicUrl: string,
  org: EmulatedOrg,
  defaultCountry: CountryCode,
): Promise<DemoDeviceUrls> {
  const demo = demoCallerIdNumber(org, defaultCountry);
  if (!demo) throw new Error('the demo org has no Contact with an international phone number');
  const { key } = await rotateDemoDeviceKey(db);
  const base = publicUrl.replace(/\/+$/, '');
  const query = `?key=${encodeURIComponent(key)}`;
  return {
    phoneBook: `${base}/phonebook/yealink${query}`,
    callerId: `${base}/callerid/${demo.number}${query}`,
    number: demo.number,
    contactId: demo.contactId,
  };
}

/** The banner lines: they start exactly `Phone book:` and `Caller ID:` (other tools look for them). */
export function demoDeviceLines(urls: DemoDeviceUrls): string[] {
  return [`Phone book: ${urls.phoneBook}`, `Caller ID:  ${urls.callerId}`];
}

function demoCallerIdNumber(
  org: EmulatedOrg,
  defaultCountry: CountryCode,
): { number: string; contactId: string } | undefined {
  for (const contact of org.store.scan('Contact')) {
    const phone = contact.Phone;
    if (typeof phone !== 'string' || !phone.trim().startsWith('+')) continue;
    const { e164, extension } = normalizePhone(phone.trim(), defaultCountry);
    if (e164 && !extension) return { number: e164, contactId: String(contact.Id) };
  }
  return undefined;
}
