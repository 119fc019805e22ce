import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import type { EmulatorProcess } from './emulatorProcess';

export interface UiEdit {
  id: string;
  fields: Record<string, unknown>;
}

/**
 * Saves Contacts as people in the UI would (the package trigger publishes): each edit its own save, several
 * sent in one request to the emulator's control API so that the benchmark's client is not what it measures;
 * with `oneSave`, all of them as one mass edit (one DML statement).
 * Resolves once every save committed; a refused one fails it.
 */
export function uiEditor(
  emulator: EmulatorProcess,
): ((edits: UiEdit[], options?: { oneSave?: boolean }) => Promise<void>) & { close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: readFileSync(emulator.certPath) });
  const base = new URL(emulator.instanceUrl);
  const edit = (edits: UiEdit[], options: { oneSave?: boolean } = {}) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({ edits, ...options });
      const req = request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method: 'POST',
          path: '/__emulator/ui-edits/Contact',
          headers: {
            authorization: `Bearer ${emulator.clientSecret}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            if (res.statusCode !== 200) return reject(new Error(`emulator UI edits: HTTP ${res.statusCode}`));
            const { results } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
              results: Array<{ id: string; success: boolean }>;
            };
            const refused = results.filter((r) => !r.success).map((r) => r.id);
            if (refused.length > 0) reject(new Error(`emulator UI edits refused: ${refused.join(', ')}`));
            else resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return Object.assign(edit, { close: () => agent.destroy() });
}
