import type { PhoneBookEntry, PhoneBookFormat } from './format';
import { wholeListRequest } from './request';
import { dialable, element, KIND_LABEL, streamDocument, XML_CONTENT_TYPE, XML_DECLARATION, xmlSafe } from './xml';

/**
 * Polycom (Poly) contact directory, `000000000000-directory.xml` / `<MAC>-directory.xml`:
 * `directory/item_list/item{ln, fn, ct}`. `ct` is what the phone dials and matches incoming calls against, and the
 * phone keeps one number per item, so each number of a contact is an item of its own with the number's kind after
 * the first name ("Jürgen (Mobile)"). `fn` and `ln` hold at most 40 bytes of UTF-8: they are cut on a character
 * boundary, the kind kept. Speed dial (`sd`) and ring type (`rt`) are the phone user's, so they are not written.
 */
export const NAME_BYTES = 40;

/** The longest prefix of `value` within `max` UTF-8 bytes, cut between code points. */
export function cutBytes(value: string, max: number): string {
  if (Buffer.byteLength(value, 'utf8') <= max) return value;
  let out = '';
  let bytes = 0;
  for (const char of value) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > max) break;
    out += char;
    bytes += size;
  }
  return out;
}

function items(entry: PhoneBookEntry): string {
  // A contact with no first and last name (a company) shows its display name as the last name.
  const named = entry.firstName.trim() !== '' || entry.lastName.trim() !== '';
  const ln = cutBytes(xmlSafe(named ? entry.lastName : entry.displayName), NAME_BYTES);
  const first = xmlSafe(named ? entry.firstName.trim() : '');
  return entry.phones
    .map((phone) => {
      const suffix = first === '' ? KIND_LABEL[phone.kind] : ` (${KIND_LABEL[phone.kind]})`;
      const fn = cutBytes(first, NAME_BYTES - Buffer.byteLength(suffix, 'utf8')) + suffix;
      return `<item>${element('ln', ln)}${element('fn', fn)}${element('ct', dialable(phone))}</item>\n`;
    })
    .join('');
}

export const polycom: PhoneBookFormat = {
  name: 'polycom',
  contentType: XML_CONTENT_TYPE,
  needsTotal: false,
  parseRequest: wholeListRequest,
  render(entries) {
    return streamDocument(
      `${XML_DECLARATION}<directory>\n<item_list>\n`,
      entries,
      items,
      () => '</item_list>\n</directory>\n',
    );
  },
};
