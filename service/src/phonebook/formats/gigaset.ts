import type { PhoneKind } from '../../directory/model';
import type { FeedRequest, PhoneBookEntry, PhoneBookFormat, RenderContext } from './format';
import { wholeNumber, type Query } from './request';
import { slotted } from './slots';
import { attr, element, XML_CONTENT_TYPE, XML_DECLARATION } from './xml';

/**
 * Gigaset online directory (Gigaset "Phonebook Search Protocol", `get_list`), configured on the base station as an
 * additional provider; the same request does the reverse lookup of incoming calls.
 *
 * Request: `command=get_list&type=pr|pb|yp&…&first=<1-based>&count=<n>`; a search in `set_first` (typed letters),
 * or in `ln`/`fn` (`*` means any); the reverse lookup sends the caller's number in `hm` with every other field `*`.
 * Answer: `<list response="get_list" type total first last><entry id><ln/><fn/><hm/><mb/></entry>…</list>`, and
 * `<list response="get_list" type total="0"/>` when nothing matches (with `notfound="hm"` for a reverse lookup).
 * `type` and `reqid` are echoed. `total`, `first` and `last` count contacts, so the feed counts first
 * (`needsTotal`). An entry has one landline (`hm`: work, else home or other) and one mobile (`mb`): further
 * numbers of a contact follow as entries of the same name with ids `<id>~2`, `<id>~3`.
 */
const TYPES = new Set(['pr', 'pb', 'yp']);
const SLOT: Readonly<Record<PhoneKind, number>> = { work: 0, home: 0, other: 0, mobile: 1 };

/** A field's value unless it is empty or the protocol's "any" (`*`, `%2a`); wildcards inside are dropped. */
function field(query: Query, name: string): string | null {
  const value = query[name]?.replace(/\*/g, '').trim();
  return value === undefined || value === '' ? null : value;
}

function parseRequest(query: Query): FeedRequest {
  const type = TYPES.has(query.type ?? '') ? (query.type as string) : 'pr';
  const number = field(query, 'hm');
  const search = number === null ? (field(query, 'set_first') ?? field(query, 'ln') ?? field(query, 'fn')) : null;
  const first = wholeNumber(query, 'first', 1, 1);
  const count = query.count === undefined || query.count.trim() === '' ? null : wholeNumber(query, 'count', 0, 0);
  const reqid = query.reqid?.trim();
  return {
    search,
    number,
    first: first - 1,
    count,
    view: 'list',
    formatParameters: { type, ...(reqid ? { reqid: reqid.slice(0, 64) } : {}) },
  };
}

function listAttributes(context: RenderContext): string {
  const { request } = context;
  const reqid = request.formatParameters?.reqid;
  return `response="get_list" ${attr('type', request.formatParameters?.type ?? 'pr')}${reqid ? ` ${attr('reqid', reqid)}` : ''}`;
}

function entries(entry: PhoneBookEntry): string {
  const rows = slotted(entry.phones, SLOT, 2);
  if (rows.length === 0) rows.push(['', '']);
  const named = entry.firstName.trim() !== '' || entry.lastName.trim() !== '';
  const ln = element('ln', named ? entry.lastName : entry.displayName);
  const fn = element('fn', named ? entry.firstName : '');
  return rows
    .map(([landline, mobile], n) => {
      const numbers = (landline ? element('hm', landline) : '') + (mobile ? element('mb', mobile) : '');
      return `<entry ${attr('id', n === 0 ? entry.id : `${entry.id}~${n + 1}`)}>${ln}${fn}${numbers}</entry>\n`;
    })
    .join('');
}

async function* render(list: AsyncIterable<PhoneBookEntry>, context: RenderContext): AsyncIterable<string> {
  const { request, total } = context;
  if (total === null) throw new Error('gigaset renders with context.total (needsTotal)');
  const first = request.first + 1;
  if (total === 0 || first > total || request.count === 0) {
    const notFound = total === 0 && request.number !== null ? ' notfound="hm"' : '';
    yield `${XML_DECLARATION}<list ${listAttributes(context)}${notFound} ${attr('total', total)}/>\n`;
    return; // nothing to list: the entries are not read
  }
  const last = request.count === null ? total : Math.min(total, first + request.count - 1);
  yield `${XML_DECLARATION}<list ${listAttributes(context)} ${attr('total', total)} ${attr('first', first)} ${attr('last', last)}>\n`;
  for await (const entry of list) yield entries(entry);
  yield '</list>\n';
}

export const gigaset: PhoneBookFormat = {
  name: 'gigaset',
  contentType: XML_CONTENT_TYPE,
  needsTotal: true,
  parseRequest,
  render,
};
