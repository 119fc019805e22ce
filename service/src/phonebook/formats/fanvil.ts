import type { PhoneKind } from '../../directory/model';
import type { PhoneBookEntry, PhoneBookFormat } from './format';
import { wholeListRequest } from './request';
import { slotted } from './slots';
import { element, streamDocument, XML_CONTENT_TYPE, XML_DECLARATION } from './xml';

/**
 * Fanvil remote phone book: `PhoneBook/DirectoryEntry{Name, Telephone, Mobile, Other, Ring, Group}`. Telephone is
 * the office number, Mobile the mobile, Other a home or other number; a contact with two numbers of one kind gets a
 * further entry under the same name. Ring and Group are the phone user's choices: written empty (the phone's
 * default ring tone, no group). Fanvil phones also read the Yealink form (`yealink`).
 */
const SLOT: Readonly<Record<PhoneKind, number>> = { work: 0, mobile: 1, home: 2, other: 2 };

function directoryEntries(entry: PhoneBookEntry): string {
  return slotted(entry.phones, SLOT, 3)
    .map(
      ([telephone, mobile, other]) =>
        `<DirectoryEntry>${element('Name', entry.displayName)}${element('Telephone', telephone)}` +
        `${element('Mobile', mobile)}${element('Other', other)}<Ring></Ring><Group></Group></DirectoryEntry>\n`,
    )
    .join('');
}

export const fanvil: PhoneBookFormat = {
  name: 'fanvil',
  contentType: XML_CONTENT_TYPE,
  needsTotal: false,
  parseRequest: wholeListRequest,
  render(entries) {
    return streamDocument(`${XML_DECLARATION}<PhoneBook>\n`, entries, directoryEntries, () => '</PhoneBook>\n');
  },
};
