import { attr, element, text, xmlSafe } from '../../../src/phonebook/formats/xml';
import { FORMAT_NAMES } from '../../../src/phonebook/formats/format';
import { FORMATS, formatNamed } from '../../../src/phonebook/formats';
import { schemaErrors } from './support';

describe('XML escaping shared by the formats', () => {
  it('escapes markup and quotes in text and attributes', () => {
    expect(text(`a & b <c> "d" 'e'`)).toBe('a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;');
    expect(attr('Name', 'Ä&"')).toBe('Name="Ä&amp;&quot;"');
    expect(element('Name', null)).toBe('<Name></Name>');
  });

  it('drops control characters and replaces lone surrogates and U+FFFE, keeping tab, newlines and astral characters', () => {
    expect(xmlSafe('a\u0000b\u0008c\u001Fd')).toBe('abcd');
    expect(xmlSafe('x\uD800y\uDFFFz\uFFFE')).toBe('x\uFFFDy\uFFFDz\uFFFD');
    expect(xmlSafe('tab\tlf\ncr\r😀ü')).toBe('tab\tlf\ncr\r😀ü');
  });
});

describe('the format registry', () => {
  it('finds each registered format by its public name and nothing else', () => {
    for (const [name, format] of Object.entries(FORMATS)) {
      expect(formatNamed(name)).toBe(format);
      expect(format?.name).toBe(name);
      expect(FORMAT_NAMES).toContain(name);
    }
    expect(FORMAT_NAMES.filter((name) => formatNamed(name)?.name !== name)).toEqual([]);
    for (const format of Object.values(FORMATS)) {
      expect(format.contentType).toMatch(/^text\/(xml|vcard); charset=utf-8$/);
    }
    expect(formatNamed('YEALINK')).toBeUndefined();
    expect(formatNamed('toString')).toBeUndefined();
    expect(formatNamed('')).toBeUndefined();
  });
});

describe('schema validation in these tests', () => {
  it('rejects what the schema forbids (so a pass means something)', async () => {
    const errors = await schemaErrors(
      '<?xml version="1.0"?><YealinkIPPhoneDirectory><DirectoryEntry><Name>x</Name></DirectoryEntry></YealinkIPPhoneDirectory>',
      'yealink.xsd',
    );
    expect(errors.join('\n')).toMatch(/Telephone/);
  });
});
