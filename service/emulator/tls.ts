import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';

/**
 * The emulator's TLS identity: one self-signed certificate for localhost, shared by the HTTPS REST
 * server and the gRPC Pub/Sub server. Clients trust it by CA file (the certificate itself).
 */
export interface EmulatorCertificate {
  keyPem: string;
  certPem: string;
  certPath: string;
  keyPath: string;
}

const CERT_FILE = 'emulator-cert.pem';
const KEY_FILE = 'emulator-key.pem';
const LOCK_FILE = '.emulator-cert.lock';
const MIN_REMAINING_MS = 24 * 3600 * 1000;
/** A lock older than this was left by a crashed process. */
const STALE_LOCK_MS = 60_000;
const LOCK_WAIT_MS = 120_000;

/**
 * Returns the certificate in `dir`, creating it when missing, unreadable, for other names, or
 * expiring within a day. Safe when several processes (jest workers) ask for the same dir at once.
 */
export async function loadOrCreateCertificate(dir: string): Promise<EmulatorCertificate> {
  await fs.mkdir(dir, { recursive: true });
  const paths = { certPath: path.join(dir, CERT_FILE), keyPath: path.join(dir, KEY_FILE) };
  const existing = await readUsable(paths.certPath, paths.keyPath);
  if (existing) return existing;
  return withLock(path.join(dir, LOCK_FILE), async () => {
    // Another process may have written it while this one waited for the lock.
    const written = await readUsable(paths.certPath, paths.keyPath);
    if (written) return written;
    const { keyPem, certPem } = await createCertificate();
    await writeAtomically(paths.keyPath, keyPem, 0o600);
    await writeAtomically(paths.certPath, certPem, 0o644);
    return { keyPem, certPem, ...paths };
  });
}

async function createCertificate(): Promise<{ keyPem: string; certPem: string }> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 365 * 24 * 3600 * 1000);
  // A distinct subject per certificate: OpenSSL finds trusted certificates by subject name, so two
  // self-signed "CN=localhost" certificates trusted in one process would shadow each other.
  const subject = [
    { name: 'commonName', value: 'localhost' },
    { name: 'organizationName', value: `Switchboard org emulator ${randomBytes(6).toString('hex')}` },
  ];
  const pems = await generate(subject, {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { keyPem: pems.private, certPem: pems.cert };
}

async function readUsable(certPath: string, keyPath: string): Promise<EmulatorCertificate | undefined> {
  let certPem: string;
  let keyPem: string;
  try {
    [certPem, keyPem] = await Promise.all([fs.readFile(certPath, 'utf8'), fs.readFile(keyPath, 'utf8')]);
  } catch {
    return undefined;
  }
  try {
    const cert = new X509Certificate(certPem);
    const usable =
      Date.parse(cert.validTo) - Date.now() >= MIN_REMAINING_MS &&
      cert.checkHost('localhost') !== undefined &&
      cert.checkIP('127.0.0.1') !== undefined &&
      cert.checkPrivateKey(createPrivateKey(keyPem));
    return usable ? { keyPem, certPem, certPath, keyPath } : undefined;
  } catch {
    // Not PEM, or a key of another kind: replace it.
    return undefined;
  }
}

async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, content, { mode });
  await fs.chmod(temp, mode);
  await fs.rename(temp, file);
}

async function withLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const stat = await fs.stat(lockPath).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > STALE_LOCK_MS) await fs.rm(lockPath, { force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the certificate lock ${lockPath}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    return await work();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}
