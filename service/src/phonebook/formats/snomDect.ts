import type { PhoneKind } from '../../directory/model';
import type { PhoneBookEntry, PhoneBookFormat } from './format';
import { wholeListRequest } from './request';
import { slotted } from './slots';
import { element, streamDocument, XML_CONTENT_TYPE, XML_DECLARATION } from './xml';

/**
 * Snom DECT base stations (M300, M700, M900) import `IPPhoneDirectory/DirectoryEntry{Name, Telephone, Office,
 * Mobile}` only with the three numbers in exactly that order and every element written as `<X></X>` (an empty
 * `<X/>` makes the import fail), so all four are always written, empty or not (`element` never self-closes).
 * Telephone is the private line (home, else other), Office the work number, Mobile the mobile; a contact with
 * two numbers of one kind gets a further entry under the same name.
 */
const SLOT: Readonly<Record<PhoneKind, number>> = { home: 0, other: 0, work: 1, mobile: 2 };

function directoryEntries(entry: PhoneBookEntry): string {
  return slotted(entry.phones, SLOT, 3)
    .map(
      ([telephone, office, mobile]) =>
        `<DirectoryEntry>${element('Name', entry.displayName)}${element('Telephone', telephone)}` +
        `${element('Office', office)}${element('Mobile', mobile)}</DirectoryEntry>\n`,
    )
    .join('');
}

export const snomDect: PhoneBookFormat = {
  name: 'snom-dect',
  contentType: XML_CONTENT_TYPE,
  needsTotal: false,
  parseRequest: wholeListRequest,
  render(entries) {
    return streamDocument(
      `${XML_DECLARATION}<IPPhoneDirectory>\n`,
      entries,
      directoryEntries,
      () => '</IPPhoneDirectory>\n',
    );
  },
};
