import { snom } from '../../../src/phonebook/formats/snom';
import { MUELLER, ODD, ODD_DISPLAY_CLEAN, TWO_WORK, parseXml, renderAll, schemaErrors } from './support';

describe('snom: tbook', () => {
  it('writes complete="true" e="2", one item per number with its number_type and a unique index', async () => {
    const body = await renderAll(snom, [MUELLER, ODD, TWO_WORK]);
    expect(await schemaErrors(body, 'snom.xsd')).toEqual([]);
    expect(body).toContain('<tbook complete="true" e="2">');
    const doc = parseXml(body, ['item']) as { tbook: { item: Record<string, string>[] } };
    expect(doc.tbook.item.map((i) => [i['@_index'], i.name, i.number, i.number_type])).toEqual([
      ['0', 'Müller-Lüdenscheidt, Jürgen', '+4930123456', 'business'],
      ['1', 'Müller-Lüdenscheidt, Jürgen', '+491701234567', 'mobile'],
      ['2', 'Müller-Lüdenscheidt, Jürgen', '+4930999888', 'home'],
      ['3', 'Müller-Lüdenscheidt, Jürgen', '+4940555', 'fixed'],
      ['4', ODD_DISPLAY_CLEAN, '+447700900123', 'mobile'],
      ['5', 'Lovelace, Ada', '+441234567890', 'business'],
      ['6', 'Lovelace, Ada', '+441234567891', 'business'],
    ]);
    expect(doc.tbook.item.every((i) => i['@_context'] === 'active' && i['@_type'] === 'none')).toBe(true);
  });

  it('answers an empty list with a valid complete, empty tbook (it clears the phone)', async () => {
    const body = await renderAll(snom, []);
    expect(await schemaErrors(body, 'snom.xsd')).toEqual([]);
    expect(body).toContain('<tbook complete="true" e="2">\n</tbook>');
  });

  it('the schema catches a repeated index', async () => {
    const twice =
      '<tbook complete="true"><item context="active" type="none" index="1"><name>a</name><number>1</number></item>' +
      '<item context="active" type="none" index="1"><name>b</name><number>2</number></item></tbook>';
    expect((await schemaErrors(twice, 'snom.xsd')).join('\n')).toMatch(/[Dd]uplicate/);
  });
});
