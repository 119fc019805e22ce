import type { PhoneKind } from '../../directory/model';
import type { PhoneBookEntry, PhoneBookFormat } from './format';
import { wholeListRequest } from './request';
import { attr, dialable, element, XML_CONTENT_TYPE, XML_DECLARATION } from './xml';

/**
 * Snom desk phones' directory (`<tbook>`, a settings file the phone downloads; Gigaset PRO phones read it too):
 * `tbook[complete="true", e="2"]/item[context, type, index]{name, number, number_type}`. complete="true" makes
 * the phone drop entries that are no longer listed, so the book mirrors the directory. An item holds one number,
 * so each number of a contact is an item of its own under the contact's name with its kind in `number_type`.
 * `index` must be unique per item: it counts the items in the order they are written. `context="active"` dials
 * from the identity in use; `type="none"` is no contact category.
 */
const NUMBER_TYPE: Readonly<Record<PhoneKind, string>> = {
  work: 'business',
  mobile: 'mobile',
  home: 'home',
  other: 'fixed',
};

export const snom: PhoneBookFormat = {
  name: 'snom',
  contentType: XML_CONTENT_TYPE,
  needsTotal: false,
  parseRequest: wholeListRequest,
  async *render(entries: AsyncIterable<PhoneBookEntry>) {
    yield `${XML_DECLARATION}<tbook complete="true" e="2">\n`;
    let index = 0; // the streaming skeleton counts contacts; the index counts items (numbers)
    for await (const entry of entries) {
      let chunk = '';
      for (const phone of entry.phones) {
        chunk +=
          `<item context="active" type="none" ${attr('index', index)}>${element('name', entry.displayName)}` +
          `${element('number', dialable(phone))}${element('number_type', NUMBER_TYPE[phone.kind])}</item>\n`;
        index += 1;
      }
      if (chunk !== '') yield chunk;
    }
    yield '</tbook>\n';
  },
};
