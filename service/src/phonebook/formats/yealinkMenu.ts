import type { PhoneKind } from '../../directory/model';
import type { PhoneBookEntry, PhoneBookFormat } from './format';
import { wholeListRequest } from './request';
import { slotted } from './slots';
import { attr, element, streamDocument, text, XML_CONTENT_TYPE, XML_DECLARATION } from './xml';

/**
 * Yealink's older phone-book form, the one DECT handsets (W-series) and old desk firmware read:
 * `YealinkIPPhoneBook/Title/Menu[Name]/Unit[Name, Phone1, Phone2, Phone3, default_photo]`. The handset labels
 * the three slots Office, Mobile and Other, so a number goes to the slot of its kind; a contact with two numbers
 * of one kind (or more than three) gets a further Unit under the same name, so no number is lost.
 */
const SLOT: Readonly<Record<PhoneKind, number>> = { work: 0, mobile: 1, home: 2, other: 2 };

function unitsOf(entry: PhoneBookEntry): string {
  return slotted(entry.phones, SLOT, 3)
    .map(
      ([office, mobile, other]) =>
        `<Unit ${attr('Name', entry.displayName)} ${attr('Phone1', office ?? '')} ${attr('Phone2', mobile ?? '')} ` +
        `${attr('Phone3', other ?? '')} default_photo="Resource:"/>\n`,
    )
    .join('');
}

export const yealinkMenu: PhoneBookFormat = {
  name: 'yealink-menu',
  contentType: XML_CONTENT_TYPE,
  needsTotal: false,
  parseRequest: wholeListRequest,
  render(entries, context) {
    return streamDocument(
      `${XML_DECLARATION}<YealinkIPPhoneBook>\n${element('Title', context.title)}\n<Menu Name="${text(context.title)}">\n`,
      entries,
      unitsOf,
      () => '</Menu>\n</YealinkIPPhoneBook>\n',
    );
  },
};
