import type { PhoneBookEntry, PhoneBookFormat } from './format';
import { wholeListRequest } from './request';
import { attr, dialable, element, KIND_LABEL, streamDocument, text, XML_CONTENT_TYPE, XML_DECLARATION } from './xml';

/**
 * Yealink remote phone book (`remote_phonebook.data.X.url`), the form desk phones read (Fanvil reads it too):
 * `YealinkIPPhoneDirectory/DirectoryEntry{Name, Telephone×n}`. Each number carries its kind in `label`, which
 * the phone shows beside the number (firmware that predates it ignores the attribute). The whole list in one
 * answer: Yealink does not page; a server-side search is `?q=#SEARCH` in the configured URL.
 */
function directoryEntry(entry: PhoneBookEntry): string {
  if (entry.phones.length === 0) return ''; // nothing to dial: a bare name would only clutter the book
  const numbers = entry.phones
    .map((phone) => `<Telephone ${attr('label', KIND_LABEL[phone.kind])}>${text(dialable(phone))}</Telephone>`)
    .join('');
  return `<DirectoryEntry>${element('Name', entry.displayName)}${numbers}</DirectoryEntry>\n`;
}

export const yealink: PhoneBookFormat = {
  name: 'yealink',
  contentType: XML_CONTENT_TYPE,
  needsTotal: false,
  parseRequest: wholeListRequest,
  render(entries) {
    return streamDocument(
      `${XML_DECLARATION}<YealinkIPPhoneDirectory>\n`,
      entries,
      directoryEntry,
      () => '</YealinkIPPhoneDirectory>\n',
    );
  },
};
