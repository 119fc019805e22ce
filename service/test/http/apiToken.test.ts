import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveApiToken } from '../../src/apiToken';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-token-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('resolveApiToken', () => {
  it('uses the configured token and writes nothing', () => {
    expect(resolveApiToken('configured-token-of-enough-length', tmp)).toEqual({
      token: 'configured-token-of-enough-length',
    });
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('lets the configured token win over a stored one', () => {
    fs.writeFileSync(path.join(tmp, 'api-token'), `${'s'.repeat(32)}\n`);
    expect(resolveApiToken('configured-token-of-enough-length', tmp).token).toBe('configured-token-of-enough-length');
  });

  it('generates a token, stores it with mode 0600 (creating the directory) and reuses it', () => {
    const dataDir = path.join(tmp, 'nested', 'data');
    const first = resolveApiToken(undefined, dataDir);
    const file = path.join(dataDir, 'api-token');
    expect(first.file).toBe(file);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${first.token}\n`);
    if (process.platform !== 'win32') expect(modeOf(file)).toBe(0o600);
    expect(resolveApiToken(undefined, dataDir)).toEqual({ token: first.token, file });
    expect(resolveApiToken('', dataDir).token).toBe(first.token);
  });

  it('keeps a stored token of 24 characters or more, trimmed', () => {
    const stored = 't'.repeat(24);
    fs.writeFileSync(path.join(tmp, 'api-token'), `  ${stored}\n`);
    expect(resolveApiToken(undefined, tmp).token).toBe(stored);
  });

  it('replaces a stored token that is too short, and the new file is mode 0600', () => {
    const file = path.join(tmp, 'api-token');
    fs.writeFileSync(file, 'short\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const { token } = resolveApiToken(undefined, tmp);
    expect(token).not.toBe('short');
    expect(token.length).toBeGreaterThanOrEqual(24);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(token);
    if (process.platform !== 'win32') expect(modeOf(file)).toBe(0o600);
  });
});
