import type { PhoneKind } from '../../directory/model';
import type { PhoneBookEntry, PhoneBookFormat } from './format';
import { wholeListRequest } from './request';
import { attr, dialable, element, streamDocument, XML_CONTENT_TYPE, XML_DECLARATION } from './xml';

/**
 * Grandstream downloadable phone book (the phone fetches `<path>/phonebook.xml`, by default every 720 minutes):
 * `AddressBook/Contact{LastName, FirstName, Phone[type]{phonenumber, accountindex}}`, one Contact per contact with
 * every number in a Phone of its type. `accountindex` 0 is the phone's first SIP account (0-5 for accounts 1-6).
 * Groups are the phone user's, so none are written. Grandstream rejects anything but UTF-8 (ANSI exports break it).
 */
const PHONE_TYPE: Readonly<Record<PhoneKind, string>> = {
  work: 'Work',
  mobile: 'Mobile',
  home: 'Home',
  other: 'Other',
};

function contact(entry: PhoneBookEntry): string {
  if (entry.phones.length === 0) return ''; // a Contact needs a Phone
  const named = entry.firstName.trim() !== '' || entry.lastName.trim() !== '';
  const phones = entry.phones
    .map(
      (phone) =>
        `<Phone ${attr('type', PHONE_TYPE[phone.kind])}>${element('phonenumber', dialable(phone))}` +
        `<accountindex>0</accountindex></Phone>`,
    )
    .join('');
  return (
    `<Contact>${element('LastName', named ? entry.lastName : entry.displayName)}` +
    `${element('FirstName', named ? entry.firstName : '')}${phones}</Contact>\n`
  );
}

export const grandstream: PhoneBookFormat = {
  name: 'grandstream',
  contentType: XML_CONTENT_TYPE,
  needsTotal: false,
  parseRequest: wholeListRequest,
  render(entries) {
    return streamDocument(`${XML_DECLARATION}<AddressBook>\n`, entries, contact, () => '</AddressBook>\n');
  },
};
