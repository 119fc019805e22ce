import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { Connection } from 'jsforce';
import { CONNECTION_INFO_KEYS, type EmulatorConnectionInfo } from '../../emulator/index';
import { loadPubSubPackage } from '../../emulator/pubsub/proto';

/**
 * The contract of `npm run emulator`: what it prints, that an unmodified jsforce can sign in with it
 * (trusting only the printed certificate), that it stops on SIGTERM, and that bad flags are refused
 * by name. The emulator runs as a real child process, started the way `npm run emulator` starts it.
 */
const REPO = path.resolve(__dirname, '../../..');
const TSX_CLI = path.join(REPO, 'node_modules/tsx/dist/cli.mjs');
const KEYS = [...CONNECTION_INFO_KEYS].sort();

type Child = ChildProcessByStdio<null, Readable, Readable>;

interface Emulator {
  child: Child;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  stderr(): string;
  /** The first `count` stdout lines; rejects if the process exits before printing them. */
  lines(count: number): Promise<string[]>;
}

describe('emulator command line', () => {
  let certDir: string;
  const running = new Set<Child>();

  beforeAll(() => {
    certDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-cli-emulator-'));
  });

  afterAll(async () => {
    // A failed test must not leave an emulator behind.
    await Promise.all(
      [...running].map(async (child) => {
        child.kill('SIGTERM');
        if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
      }),
    );
    rmSync(certDir, { recursive: true, force: true });
  });

  function startEmulator(args: string[]): Emulator {
    const child = spawn(process.execPath, [TSX_CLI, 'service/emulator/main.ts', ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const exited = new Promise<number | string>((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        resolve(code ?? signal ?? 'unknown');
      });
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => (stderr += text));
    const received: string[] = [];
    const waiting: Array<() => void> = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      received.push(line);
      waiting.splice(0).forEach((wake) => wake());
    });
    const lines = (count: number): Promise<string[]> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (received.length >= count) resolve(received.slice(0, count));
          else waiting.push(check);
        };
        void exited.then((code) =>
          reject(new Error(`emulator exited (${code}) after ${received.length} line(s): ${stderr}`)),
        );
        check();
      });
    return { child, exited, stderr: () => stderr, lines };
  }

  /** Signs in with the unmodified jsforce, trusting the printed certificate only while `use` runs. */
  async function withConnection<T>(info: EmulatorConnectionInfo, use: (conn: Connection) => Promise<T>): Promise<T> {
    const pem = readFileSync(path.resolve(REPO, info.certPath), 'utf8');
    const previousCa = https.globalAgent.options.ca;
    https.globalAgent.options.ca = [...tls.rootCertificates, pem];
    try {
      const conn = new Connection({
        oauth2: { clientId: info.clientId, clientSecret: info.clientSecret, loginUrl: info.loginUrl },
        version: '62.0',
      });
      await conn.authorize({ grant_type: 'client_credentials' });
      return await use(conn);
    } finally {
      https.globalAgent.options.ca = previousCa;
    }
  }

  async function stop(emulator: Emulator): Promise<void> {
    emulator.child.kill('SIGTERM');
    expect(await emulator.exited).toBe(0);
  }

  it('prints the connection line, serves an unmodified jsforce client and stops on SIGTERM', async () => {
    const emulator = startEmulator(['--contacts', '5', '--leads', '2', '--cert-dir', certDir]);
    const [line] = await emulator.lines(1);
    const info = JSON.parse(line) as EmulatorConnectionInfo;
    expect(Object.keys(info).sort()).toEqual(KEYS);
    expect(info.pubSubEndpoint).toMatch(/^[A-Za-z0-9.-]+:\d{1,5}$/);
    expect(info.organizationId).toMatch(/^00D[A-Za-z0-9]{15}$/);
    expect(new URL(info.loginUrl).protocol).toBe('https:');
    expect(path.resolve(REPO, info.certPath).startsWith(certDir)).toBe(true);

    const previousCa = https.globalAgent.options.ca;
    await withConnection(info, async (conn) => {
      expect(conn.instanceUrl).toBe(info.instanceUrl);
      const count = await conn.query('SELECT COUNT() FROM Contact');
      expect(count.totalSize).toBe(5);
      expect((await conn.query('SELECT COUNT() FROM Lead')).totalSize).toBe(2);
    });
    expect(https.globalAgent.options.ca).toBe(previousCa);
    await stop(emulator);
  });

  it('passes --idle-timeout-ms to the Pub/Sub server', async () => {
    const emulator = startEmulator([
      '--contacts',
      '0',
      '--leads',
      '0',
      '--idle-timeout-ms',
      '300',
      '--cert-dir',
      certDir,
    ]);
    const info = JSON.parse((await emulator.lines(1))[0]) as EmulatorConnectionInfo;
    const accessToken = await withConnection(info, async (conn) => conn.accessToken as string);
    const { Client } = loadPubSubPackage();
    const pem = readFileSync(path.resolve(REPO, info.certPath));
    const client = new Client(info.pubSubEndpoint, grpc.credentials.createSsl(pem));
    try {
      const metadata = new grpc.Metadata();
      metadata.set('accesstoken', accessToken);
      metadata.set('instanceurl', info.instanceUrl);
      metadata.set('tenantid', info.organizationId);
      // A Subscribe call that never asks for anything ends with OK after the idle timeout; with the
      // default (60 s) this would outlast the test.
      const call = client.Subscribe(metadata);
      call.on('error', () => undefined);
      const [status] = (await once(call, 'status')) as [grpc.StatusObject];
      expect(status.code).toBe(grpc.status.OK);
    } finally {
      client.close();
    }
    await stop(emulator);
  });

  it('starts one org per --orgs, each with its own organization id and ports', async () => {
    const emulator = startEmulator(['--orgs', '2', '--contacts', '1', '--leads', '0', '--cert-dir', certDir]);
    const infos = (await emulator.lines(2)).map((line) => JSON.parse(line) as EmulatorConnectionInfo);
    expect(infos.map((info) => Object.keys(info).sort())).toEqual([KEYS, KEYS]);
    expect(infos[0].organizationId).not.toBe(infos[1].organizationId);
    expect(infos[0].loginUrl).not.toBe(infos[1].loginUrl);
    expect(infos[0].pubSubEndpoint).not.toBe(infos[1].pubSubEndpoint);
    expect(infos[0].clientId).not.toBe(infos[1].clientId);
    await stop(emulator);
  });

  it.each([
    [['--contacts', '-3'], '--contacts'],
    [['--leads', 'many'], '--leads'],
    [['--idle-timeout-ms', '0'], '--idle-timeout-ms'],
    [['--no-such-flag'], '--no-such-flag'],
  ])('refuses %j with a message naming %s', async (args, flag) => {
    const emulator = startEmulator([...args, '--cert-dir', certDir]);
    const code = await emulator.exited;
    expect(code).not.toBe(0);
    expect(emulator.stderr()).toContain(flag);
    expect(emulator.stderr()).toContain('Usage:');
  });
});
