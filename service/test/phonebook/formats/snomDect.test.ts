import { snomDect } from '../../../src/phonebook/formats/snomDect';
import { MUELLER, ODD, TWO_WORK, parseXml, renderAll, schemaErrors } from './support';

describe('snom-dect: IPPhoneDirectory for M300/M700/M900', () => {
  it('writes Name, Telephone, Office, Mobile in that order, every element with an end tag, never <X/>', async () => {
    const body = await renderAll(snomDect, [MUELLER, ODD, TWO_WORK, { ...MUELLER, phones: [] }]);
    expect(await schemaErrors(body, 'snom-dect.xsd')).toEqual([]);
    expect(body).not.toMatch(/<[A-Za-z]+\s*\/>/);
    const entries = [...body.matchAll(/<DirectoryEntry>(.*?)<\/DirectoryEntry>/g)].map((m) => m[1] ?? '');
    for (const entry of entries) {
      expect([...entry.matchAll(/<([A-Za-z]+)>/g)].map((m) => m[1])).toEqual(['Name', 'Telephone', 'Office', 'Mobile']);
    }
    expect(body).toContain(
      '<DirectoryEntry><Name>Müller-Lüdenscheidt, Jürgen</Name><Telephone>+4930999888</Telephone>' +
        '<Office>+4930123456</Office><Mobile>+491701234567</Mobile></DirectoryEntry>',
    );
    // home and other both go to Telephone: the second one gets an entry of its own
    expect(body).toContain(
      '<DirectoryEntry><Name>Müller-Lüdenscheidt, Jürgen</Name><Telephone>+4940555</Telephone>' +
        '<Office></Office><Mobile></Mobile></DirectoryEntry>',
    );
    expect(body).toContain('<Name>O&apos;Brien\uFFFD &amp; &lt;Co&gt;, Zoë 😀</Name><Telephone></Telephone>');
    const doc = parseXml(body, ['DirectoryEntry']) as {
      IPPhoneDirectory: { DirectoryEntry: Record<string, string>[] };
    };
    expect(doc.IPPhoneDirectory.DirectoryEntry.filter((e) => e.Name === 'Lovelace, Ada').map((e) => e.Office)).toEqual([
      '+441234567890',
      '+441234567891',
    ]);
    // a contact without numbers has nothing to dial: left out
    expect(entries).toHaveLength(5);
  });

  it('answers an empty list with a valid empty directory', async () => {
    const body = await renderAll(snomDect, []);
    expect(await schemaErrors(body, 'snom-dect.xsd')).toEqual([]);
    expect(body).not.toMatch(/\/>/);
  });
});
