import type { FeedRequest, PhoneBookEntry, PhoneBookFormat, RenderContext } from './format';
import { searchTerm, wholeNumber, type Query } from './request';
import { dialable, element, KIND_LABEL, XML_CONTENT_TYPE, XML_DECLARATION } from './xml';

/**
 * Cisco IP phone services XML (the phone's directory URL): `CiscoIPPhoneDirectory{Title, Prompt, DirectoryEntry
 * {Name, Telephone}, SoftKeyItem}` and `CiscoIPPhoneInput` for the search screen.
 *
 * A `DirectoryEntry` holds one `Telephone`, so each number of a contact is an entry of its own, its kind in the
 * name ("Müller, Jürgen (Mobile)"); the phone takes at most 32 entries per object. A page is therefore 32 numbers,
 * not 32 contacts, and where it ends depends on how many numbers the contacts have: the position is carried in the
 * URL as `start` (the contact, 0-based, in the feed's order) and `skip` (numbers of that contact already shown).
 * Next continues exactly where the page stopped. Previous goes back 32 contacts (at least 32 numbers, so it never
 * skips anything before this page); the phone's Exit key returns to the exact page it came from.
 * The search screen is `?search=form`; it sends the term back to the list as `q`.
 */
export const PAGE_SIZE = 32;
/** Title, Prompt, Name, Telephone and SoftKeyItem Name are at most 32 characters in Cisco's schema. */
const FIELD_MAX = 32;

function cut(value: string, max = FIELD_MAX): string {
  const chars = Array.from(value);
  return chars.length <= max ? value : chars.slice(0, max).join('');
}

/** The display name and the number's kind within 32 characters: the name is shortened, never the kind. */
function entryName(displayName: string, kind: keyof typeof KIND_LABEL): string {
  const suffix = ` (${KIND_LABEL[kind]})`;
  return `${cut(displayName, FIELD_MAX - suffix.length)}${suffix}`;
}

/** `baseUrl` with the list position and search; `baseUrl` keeps its own parameters (the device key). */
function listUrl(context: RenderContext, start: number, skip: number): string {
  const url = new URL(context.baseUrl);
  url.searchParams.set('start', String(start));
  if (skip > 0) url.searchParams.set('skip', String(skip));
  if (context.request.search !== null) url.searchParams.set('q', context.request.search);
  return url.toString();
}

function searchFormUrl(context: RenderContext): string {
  const url = new URL(context.baseUrl);
  url.searchParams.set('search', 'form');
  return url.toString();
}

function softKey(name: string, url: string, position: number): string {
  return `<SoftKeyItem>${element('Name', name)}${element('URL', url)}${element('Position', String(position))}</SoftKeyItem>\n`;
}

function prompt(request: FeedRequest, total: number | null): string {
  if (total === 0) return request.search === null ? 'No entries' : 'No matches';
  const from = request.first + 1;
  if (total === null) return `From ${from}`;
  return `${Math.min(from, total)}-${Math.min(request.first + PAGE_SIZE, total)} of ${total}`;
}

async function* directory(entries: AsyncIterable<PhoneBookEntry>, context: RenderContext): AsyncIterable<string> {
  const { request, total } = context;
  const start = request.first;
  const skip = Number(request.formatParameters?.skip ?? '0');
  yield (
    `${XML_DECLARATION}<CiscoIPPhoneDirectory>\n${element('Title', cut(context.title))}\n` +
    `${element('Prompt', prompt(request, total))}\n`
  );
  let written = 0;
  let contact = 0; // contacts of this page read so far
  let next: { start: number; skip: number } | null = null;
  for await (const entry of entries) {
    const first = contact === 0 ? skip : 0;
    const numbers = entry.phones.slice(first);
    const room = PAGE_SIZE - written;
    const shown = numbers.slice(0, room);
    if (shown.length > 0) {
      yield shown
        .map(
          (phone) =>
            `<DirectoryEntry>${element('Name', entryName(entry.displayName, phone.kind))}` +
            `${element('Telephone', cut(dialable(phone)))}</DirectoryEntry>\n`,
        )
        .join('');
    }
    written += shown.length;
    if (numbers.length > room) {
      next = { start: start + contact, skip: first + shown.length }; // the page ends inside this contact
      break;
    }
    contact += 1;
    if (written === PAGE_SIZE) break; // full at a contact's end: what follows is the next page
  }
  if (next === null && total !== null && start + contact < total) next = { start: start + contact, skip: 0 };
  let position = 1;
  let keys = softKey('Dial', 'SoftKey:Dial', position++);
  if (next !== null) keys += softKey('Next', listUrl(context, next.start, next.skip), position++);
  if (start > 0 || skip > 0)
    keys += softKey('Previous', listUrl(context, Math.max(0, start - PAGE_SIZE), 0), position++);
  keys += softKey('Search', searchFormUrl(context), position++);
  keys += softKey('Exit', 'SoftKey:Exit', position);
  yield `${keys}</CiscoIPPhoneDirectory>\n`;
}

function searchForm(context: RenderContext): string {
  const list = new URL(context.baseUrl).toString();
  return (
    `${XML_DECLARATION}<CiscoIPPhoneInput>\n${element('Title', cut(context.title))}\n` +
    `${element('Prompt', 'Name, company or number')}\n${element('URL', list)}\n` +
    `<InputItem>${element('DisplayName', 'Search')}${element('QueryStringParam', 'q')}` +
    `${element('DefaultValue', context.request.search ?? '')}${element('InputFlags', 'A')}</InputItem>\n` +
    `</CiscoIPPhoneInput>\n`
  );
}

export const cisco: PhoneBookFormat = {
  name: 'cisco',
  contentType: XML_CONTENT_TYPE,
  needsTotal: true,
  parseRequest(query: Query): FeedRequest {
    const view = query.search?.trim() === 'form' ? 'search-form' : 'list';
    return {
      search: searchTerm(query),
      number: null,
      first: wholeNumber(query, 'start', 0, 0),
      count: view === 'search-form' ? 0 : PAGE_SIZE,
      view,
      formatParameters: { skip: String(wholeNumber(query, 'skip', 0, 0)) },
    };
  },
  render(entries, context) {
    if (context.request.view === 'search-form') {
      return (async function* form() {
        yield searchForm(context); // reads no entries: the form lists nothing
      })();
    }
    return directory(entries, context);
  },
};
