import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The REST API's bearer token: SWITCHBOARD_API_TOKEN when set, otherwise one generated on first start and
 * kept in the data directory (mode 0600), so phone clients keep working across restarts.
 */
export function resolveApiToken(configured: string | undefined, dataDir: string): { token: string; file?: string } {
  if (configured) return { token: configured };
  const file = join(dataDir, 'api-token');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 24) return { token: stored, file };
  }
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  // The mode above applies only when the file is created; a replaced short token must not stay readable.
  chmodSync(file, 0o600);
  return { token, file };
}
