import ICAL from 'ical.js';
import { foldLine, unfold, unescapeText, vcard, vcardOf } from '../../../src/phonebook/formats/vcard';
import { MUELLER, ODD, TWO_WORK, renderAll } from './support';

/** Each card of a body, parsed by ical.js (a maintained vCard 3.0/4.0 parser). */
function cardsOf(body: string): ICAL.Component[] {
  const parsed: unknown = ICAL.parse(body);
  // one card parses to a jCard, several to a list of them
  const list = (Array.isArray(parsed) && parsed[0] === 'vcard' ? [parsed] : parsed) as unknown[];
  return list.map((jcard) => new ICAL.Component(jcard as unknown[] as never));
}

function tels(card: ICAL.Component): [string, unknown][] {
  return card.getAllProperties('tel').map((p) => [String(p.getFirstValue()), p.getParameter('type')]);
}

describe('vcard 3.0 (default)', () => {
  it('writes N, FN, ORG, TITLE, EMAIL, UID, REV and every number with its type, read back by a real parser', async () => {
    const body = await renderAll(vcard, [MUELLER, TWO_WORK]);
    const [mueller, lovelace] = cardsOf(body);
    expect(mueller?.getFirstPropertyValue('version')).toBe('3.0');
    expect(mueller?.getFirstPropertyValue('fn')).toBe('Müller-Lüdenscheidt, Jürgen');
    expect(mueller?.getFirstPropertyValue('n')).toEqual(['Müller-Lüdenscheidt', 'Jürgen', '', '', '']);
    expect(mueller?.getFirstPropertyValue('org')).toBe('Bäcker & Söhne <GmbH> "Süd"');
    expect(mueller?.getFirstPropertyValue('title')).toBe("Chef d'équipe");
    expect(mueller?.getFirstPropertyValue('email')).toBe('jürgen@bäcker.example');
    expect(mueller?.getFirstPropertyValue('uid')).toBe(MUELLER.id);
    expect(body).toContain('REV:2026-03-01T10:20:30Z\r\n');
    expect(tels(mueller as ICAL.Component)).toEqual([
      ['+4930123456', ['WORK', 'VOICE']],
      ['+491701234567', 'CELL'],
      ['+4930999888', ['HOME', 'VOICE']],
      ['+4940555 x12', 'VOICE'],
    ]);
    expect(body).toContain('TEL;TYPE=WORK,VOICE:+4930123456\r\n');
    expect(body).toContain('TEL;TYPE=CELL:+491701234567\r\n');
    expect(tels(lovelace as ICAL.Component).map(([n]) => n)).toEqual(['+441234567890', '+441234567891']);
    expect(vcard.contentType).toBe('text/vcard; charset=utf-8');
  });

  it('ends every line in CRLF and escapes commas, semicolons, backslashes and line breaks', async () => {
    const tricky = { ...TWO_WORK, company: 'A, B; C\\D\nE', title: 'x\u0007y' };
    const body = await renderAll(vcard, [tricky]);
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(body).toContain('ORG:A\\, B\\; C\\\\D\\nE\r\n');
    const [card] = cardsOf(body);
    expect(card?.getFirstPropertyValue('title')).toBe('xy');
    expect(unescapeText('A\\, B\\; C\\\\D\\nE')).toBe('A, B; C\\D\nE');
  });

  it('drops characters no text format may carry', async () => {
    const [card] = cardsOf(await renderAll(vcard, [ODD]));
    expect(card?.getFirstPropertyValue('fn')).toBe("O'Brien\uFFFD & <Co>, Zoë 😀");
  });

  it('answers an empty list with an empty body', async () => {
    expect(await renderAll(vcard, [])).toBe('');
  });
});

describe('vcard 4.0 (on request)', () => {
  it('writes numbers as tel: URIs with quoted type lists, read back by a real parser', async () => {
    const body = await renderAll(vcard, [MUELLER], { vcardVersion: '4.0' });
    expect(body).toContain('TEL;VALUE=uri;TYPE="voice,work":tel:+4930123456\r\n');
    expect(body).toContain('TEL;VALUE=uri;TYPE=cell:tel:+491701234567\r\n');
    expect(body).toContain('TEL;VALUE=uri;TYPE=voice:tel:+4940555;ext=12\r\n');
    expect(body).toContain('REV:20260301T102030Z\r\n');
    const [card] = cardsOf(body);
    expect(card?.getFirstPropertyValue('version')).toBe('4.0');
    expect(card?.getFirstPropertyValue('uid')).toBe(`urn:uuid:${MUELLER.id}`);
    expect(tels(card as ICAL.Component)).toEqual([
      ['tel:+4930123456', ['voice', 'work']],
      ['tel:+491701234567', 'cell'],
      ['tel:+4930999888', ['voice', 'home']],
      ['tel:+4940555;ext=12', 'voice'],
    ]);
  });

  it('keeps a number that is no E.164 as text', () => {
    const card = vcardOf({ ...TWO_WORK, phones: [{ kind: 'home', number: '(415) 555-2671', extension: null }] }, '4.0');
    expect(card).toContain('TEL;VALUE=text;TYPE="voice,home":(415) 555-2671\r\n');
    const [parsed] = cardsOf(card);
    expect(tels(parsed as ICAL.Component)).toEqual([['(415) 555-2671', ['voice', 'home']]]);
  });
});

describe('vcard line folding', () => {
  it('folds at 75 octets without splitting a UTF-8 character, and unfolds to the original', async () => {
    const title = 'Geschäftsführerin für Überseehandel 😀 und Äußeres, '.repeat(6);
    const body = await renderAll(vcard, [{ ...MUELLER, title }]);
    const physical = body.split('\r\n').filter((line) => line !== '');
    expect(physical.length).toBeGreaterThan(12);
    for (const line of physical) {
      const bytes = Buffer.from(line, 'utf8');
      expect(bytes.length).toBeLessThanOrEqual(75);
      expect(bytes.toString('utf8')).toBe(line); // no replacement characters: every line is whole UTF-8
    }
    expect(physical.filter((line) => line.startsWith(' ')).length).toBeGreaterThan(4);
    const [card] = cardsOf(body);
    expect(card?.getFirstPropertyValue('title')).toBe(title);
    expect(unfold(body).find((line) => line.startsWith('TITLE:'))).toBe(`TITLE:${title.replace(/,/g, '\\,')}`);
  });

  it('leaves a line of exactly 75 octets alone and puts 74 octets after the space of a continuation', () => {
    expect(foldLine('x'.repeat(75))).toBe(`${'x'.repeat(75)}\r\n`);
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x\r\n`);
    expect(foldLine(`${'x'.repeat(74)}ü`)).toBe(`${'x'.repeat(74)}\r\n ü\r\n`);
    expect(foldLine('x'.repeat(75 + 74 + 1))).toBe(`${'x'.repeat(75)}\r\n ${'x'.repeat(74)}\r\n x\r\n`);
  });
});
