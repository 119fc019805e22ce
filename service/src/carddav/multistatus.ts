import { once } from 'node:events';
import type { Response } from 'express';
import { NAMESPACE_DECLARATIONS, XML_CONTENT_TYPE, XML_DECLARATION } from './xml';

/**
 * A 207 Multi-Status body written as it is produced: the head at once, then each `<D:response>` as the caller
 * yields it (waiting for the socket to drain, so a 100,000-card listing holds one page in memory, not the book),
 * then `trailer` (sync-collection's `<D:sync-token>`) and the end tag. A failure once bytes are out cannot become
 * an error status any more: the connection is cut, so the client sees a broken response, never a short one.
 */
export interface MultistatusWriter {
  write(chunk: string): Promise<void>;
}

export async function streamMultistatus(
  res: Response,
  produce: (out: MultistatusWriter) => Promise<string | void>,
): Promise<void> {
  res.status(207).type(XML_CONTENT_TYPE);
  res.set('Cache-Control', 'no-store');
  const write = async (chunk: string) => {
    if (!res.write(chunk)) await once(res, 'drain');
  };
  let started = false;
  const out: MultistatusWriter = {
    async write(chunk) {
      if (!started) {
        started = true;
        await write(`${XML_DECLARATION}<D:multistatus ${NAMESPACE_DECLARATIONS}>\n`);
      }
      await write(`${chunk}\n`);
    },
  };
  try {
    const trailer = await produce(out);
    if (!started) await out.write('');
    res.end(`${trailer ?? ''}</D:multistatus>\n`);
  } catch (err) {
    if (!started && !res.headersSent) throw err;
    res.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}
