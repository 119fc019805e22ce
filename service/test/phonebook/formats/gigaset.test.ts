import { gigaset } from '../../../src/phonebook/formats/gigaset';
import { FeedRequestError } from '../../../src/phonebook/formats/format';
import { MUELLER, ODD, ODD_LAST_CLEAN, TWO_WORK, parseXml, person, renderAll, schemaErrors, serve } from './support';

interface Entry {
  '@_id': string;
  ln?: string;
  fn?: string;
  hm?: string;
  mb?: string;
}
interface List {
  '@_response': string;
  '@_type': string;
  '@_total': string;
  '@_first'?: string;
  '@_last'?: string;
  '@_notfound'?: string;
  '@_reqid'?: string;
  entry?: Entry[];
}

function listOf(body: string): List {
  return (parseXml(body, ['entry']) as { list: List }).list;
}

describe('gigaset: get_list answer', () => {
  it('lists entries with last and first name, landline and mobile, escaped, and validates', async () => {
    const request = gigaset.parseRequest({ command: 'get_list', type: 'pr', first: '1', count: '10' });
    const body = await renderAll(gigaset, [MUELLER, ODD], { request, total: 2 });
    expect(await schemaErrors(body, 'gigaset.xsd')).toEqual([]);
    const list = listOf(body);
    expect([list['@_response'], list['@_type'], list['@_total'], list['@_first'], list['@_last']]).toEqual([
      'get_list',
      'pr',
      '2',
      '1',
      '2',
    ]);
    expect(list.entry).toEqual([
      { '@_id': MUELLER.id, ln: 'Müller-Lüdenscheidt', fn: 'Jürgen', hm: '+4930123456', mb: '+491701234567' },
      { '@_id': `${MUELLER.id}~2`, ln: 'Müller-Lüdenscheidt', fn: 'Jürgen', hm: '+4930999888' },
      { '@_id': `${MUELLER.id}~3`, ln: 'Müller-Lüdenscheidt', fn: 'Jürgen', hm: '+4940555' },
      { '@_id': ODD.id, ln: ODD_LAST_CLEAN, fn: 'Zoë', mb: '+447700900123' },
    ]);
  });

  it('pages with 1-based first and count: total, first and last on every page', async () => {
    const all = Array.from({ length: 25 }, (_, n) => person(n));
    const pages = [];
    for (const first of ['1', '11', '21']) {
      const body = await serve(gigaset, all, { command: 'get_list', type: 'pr', first, count: '10', reqid: 'A1' });
      expect(await schemaErrors(body, 'gigaset.xsd')).toEqual([]);
      pages.push(listOf(body));
    }
    expect(pages.map((p) => [p['@_total'], p['@_first'], p['@_last'], p.entry?.length, p['@_reqid']])).toEqual([
      ['25', '1', '10', 10, 'A1'],
      ['25', '11', '20', 10, 'A1'],
      ['25', '21', '25', 5, 'A1'],
    ]);
    expect(pages[1]?.entry?.[0]?.ln).toBe('Schäfer 10');
  });

  it('answers an empty list as <list … total="0"/>, a lookup of an unknown number with notfound="hm"', async () => {
    const empty = await serve(gigaset, [], { command: 'get_list', type: 'pr', first: '1', count: '10' });
    expect(await schemaErrors(empty, 'gigaset.xsd')).toEqual([]);
    expect(empty).toContain('<list response="get_list" type="pr" total="0"/>');

    const lookup = gigaset.parseRequest({
      command: 'get_list',
      type: 'pb',
      fn: '*',
      ln: '*',
      hm: '+4930999',
      first: '1',
      count: '1',
    });
    const unknown = await renderAll(gigaset, [], { request: lookup, total: 0 });
    expect(await schemaErrors(unknown, 'gigaset.xsd')).toEqual([]);
    expect(unknown).toContain('<list response="get_list" type="pb" notfound="hm" total="0"/>');
  });

  it('answers a page past the end with the total and no entries', async () => {
    const body = await serve(gigaset, [TWO_WORK], { first: '5', count: '10' });
    expect(await schemaErrors(body, 'gigaset.xsd')).toEqual([]);
    expect(listOf(body)['@_total']).toBe('1');
    expect(listOf(body).entry).toBeUndefined();
  });
});

describe('gigaset: parameters', () => {
  it('reads set_first as the search, hm as the reverse lookup, * as any, and ignores the rest', () => {
    expect(
      gigaset.parseRequest({ command: 'get_list', type: 'pr', set_first: 'Mü', first: '3', count: '8', mac: 'x' }),
    ).toEqual({
      search: 'Mü',
      number: null,
      first: 2,
      count: 8,
      view: 'list',
      formatParameters: { type: 'pr' },
    });
    // the reverse lookup Gigaset bases send for an incoming call
    const lookup = gigaset.parseRequest({
      command: 'get_list',
      type: 'pb',
      fn: '*',
      ln: '*',
      ct: '*',
      st: '*',
      hm: '0301234567',
      nr: '*',
      mb: '*',
      first: '1',
      count: '1',
      lang: '9',
      reqsrc: 'auto',
    });
    expect(lookup).toMatchObject({ search: null, number: '0301234567', first: 0, count: 1 });
    expect(lookup.formatParameters?.type).toBe('pb');
    expect(gigaset.parseRequest({ ln: 'Mül*', fn: '*' }).search).toBe('Mül');
    expect(gigaset.parseRequest({ type: 'bogus' }).formatParameters?.type).toBe('pr');
    expect(gigaset.needsTotal).toBe(true);
  });

  it('names a first that is not a 1-based position', () => {
    expect(() => gigaset.parseRequest({ first: '0' })).toThrow(FeedRequestError);
    expect(() => gigaset.parseRequest({ count: 'ten' })).toThrow(/count/);
  });
});
