import v8 from 'node:v8';
import vm from 'node:vm';
import { FORMATS } from '../../../src/phonebook/formats';
import type { PhoneBookEntry, PhoneBookFormat } from '../../../src/phonebook/formats/format';
import { yealink } from '../../../src/phonebook/formats/yealink';
import { context, memoryPages, person, schemaErrors } from './support';

/**
 * The formats stream: each entry's text is handed on before the next entry is read, so a renderer holds at most
 * one entry whatever the size of the book, and a 100,000-contact book renders with flat memory.
 */

/** A source of `count` generated contacts that calls `onPull(n)` as the renderer reads contact n. */
async function* source(count: number, onPull: (n: number) => void = () => {}): AsyncIterable<PhoneBookEntry> {
  for (let n = 0; n < count; n++) {
    onPull(n);
    yield person(n);
  }
}

function firstNumber(n: number): string {
  return person(n).phones[0]?.number ?? '';
}

describe.each(Object.values(FORMATS).map((format) => [format.name, format] as const))(
  'streaming: %s',
  (_name, format: PhoneBookFormat) => {
    it('hands on each entry before it reads the next one', async () => {
      const count = 200;
      let received = '';
      let chunksBeforeLastPull = -1;
      let chunks = 0;
      const late: number[] = [];
      const entries = source(count, (n) => {
        // when contact n is read, contact n-1's text must already have reached the consumer
        if (n > 0 && !received.includes(firstNumber(n - 1))) late.push(n - 1);
        if (n === count - 1) chunksBeforeLastPull = chunks;
      });
      const ctx = context(format, { total: format.needsTotal ? count : null });
      for await (const chunk of format.render(entries, ctx)) {
        received += chunk;
        chunks += 1;
      }
      expect(late).toEqual([]);
      if (format.name === 'cisco') {
        // one page: 32 numbers of 2-number contacts, then the renderer stops reading
        expect(chunksBeforeLastPull).toBe(-1);
        expect(chunks).toBeGreaterThan(16);
      } else {
        expect(chunksBeforeLastPull).toBeGreaterThanOrEqual(count - 1);
      }
    });
  },
);

describe('a 100,000-contact book', () => {
  const COUNT = 100_000;

  it('renders as Yealink XML that validates against the schema, entry by entry', async () => {
    let body = '';
    let chunks = 0;
    let pulled = 0;
    let firstChunkAtPull = -1;
    const entries = source(COUNT, (n) => {
      pulled = n + 1;
    });
    for await (const chunk of yealink.render(entries, context(yealink))) {
      if (chunks === 1) firstChunkAtPull = pulled; // the first entry's chunk
      body += chunk;
      chunks += 1;
    }
    expect(firstChunkAtPull).toBe(1);
    expect(chunks).toBe(COUNT + 2); // head, one per contact, tail
    expect(await schemaErrors(body, 'yealink.xsd', memoryPages.GiB)).toEqual([]);
    // the schema checked the structure; counting is enough here (parsing 17 MB into objects only costs time)
    expect(body.match(/<\/DirectoryEntry>/g)).toHaveLength(COUNT);
    expect(body).toContain(`<Telephone label="Mobile">${person(COUNT - 1).phones[1]?.number}</Telephone>`);
  }, 300_000);

  const growing = Object.values(FORMATS).filter((format) => format.name !== 'cisco'); // Cisco: 32 numbers a page
  it.each(growing.map((format) => [format.name, format] as const))(
    'renders %s with memory that does not grow with the number of contacts',
    async (_name, format: PhoneBookFormat) => {
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as () => void;
      let bytes = 0;
      let atTenThousand = 0;
      let atEnd = 0;
      const entries = source(COUNT, (n) => {
        if (n === 10_000) {
          gc();
          atTenThousand = process.memoryUsage().heapUsed;
        }
        if (n === COUNT - 1) {
          gc();
          atEnd = process.memoryUsage().heapUsed;
        }
      });
      const ctx = context(format, { total: format.needsTotal ? COUNT : null });
      for await (const chunk of format.render(entries, ctx)) bytes += Buffer.byteLength(chunk, 'utf8'); // discarded
      // the 90,000 contacts between the two measurements are at least 9 MB of text in every format: a renderer that
      // kept them (or the text) would hold that much more at the end
      expect(bytes).toBeGreaterThan(9_000_000);
      expect(atEnd - atTenThousand).toBeLessThan(3_000_000);
    },
    300_000,
  );
});
