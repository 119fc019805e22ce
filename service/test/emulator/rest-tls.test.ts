import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { loadOrCreateCertificate } from '../../emulator/tls';

describe('emulator TLS certificate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'emulator-tls-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('creates a localhost certificate with the key readable by its owner only', async () => {
    const cert = await loadOrCreateCertificate(dir);
    expect(cert.certPath).toBe(path.join(dir, 'emulator-cert.pem'));
    expect(cert.keyPath).toBe(path.join(dir, 'emulator-key.pem'));
    expect(await fs.readFile(cert.certPath, 'utf8')).toBe(cert.certPem);
    expect((await fs.stat(cert.keyPath)).mode & 0o777).toBe(0o600);
    const x509 = new X509Certificate(cert.certPem);
    expect(x509.subject).toContain('CN=localhost');
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(x509.subjectAltName).toMatch(/IP Address:(::1|0:0:0:0:0:0:0:1)/);
    expect(Date.parse(x509.validTo) - Date.now()).toBeGreaterThan(300 * 24 * 3600 * 1000);
  });

  it('reuses a valid certificate and agrees with itself under concurrent first use', async () => {
    const [a, b] = await Promise.all([loadOrCreateCertificate(dir), loadOrCreateCertificate(dir)]);
    expect(b.certPem).toBe(a.certPem);
    const again = await loadOrCreateCertificate(dir);
    expect(again.certPem).toBe(a.certPem);
    expect(again.keyPem).toBe(a.keyPem);
  });

  it('replaces a certificate expiring within a day, and unreadable files', async () => {
    const soon = await generate([{ name: 'commonName', value: 'localhost' }], {
      notBeforeDate: new Date(Date.now() - 3600_000),
      notAfterDate: new Date(Date.now() + 3600_000),
      extensions: [
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    await fs.writeFile(path.join(dir, 'emulator-cert.pem'), soon.cert);
    await fs.writeFile(path.join(dir, 'emulator-key.pem'), soon.private);
    const renewed = await loadOrCreateCertificate(dir);
    expect(renewed.certPem).not.toBe(soon.cert);
    expect(Date.parse(new X509Certificate(renewed.certPem).validTo) - Date.now()).toBeGreaterThan(24 * 3600 * 1000);

    await fs.writeFile(path.join(dir, 'emulator-key.pem'), 'not a key');
    const repaired = await loadOrCreateCertificate(dir);
    expect(repaired.certPem).not.toBe(renewed.certPem);
    expect(repaired.keyPem).toContain('PRIVATE KEY');
  });
});
