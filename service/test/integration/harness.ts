import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Config } from '../../src/config';
import { startService, type RunningService } from '../../src/service';
import { openDatabase } from '../../src/store/db';
import { findLinkByRecord } from '../../src/sync/links';
import { getContact } from '../../src/directory/contacts';
import type { DirectoryContact } from '../../src/directory/model';
import type { Database } from '../../src/store/types';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../emulator';
import type { SeedCounts } from '../../emulator/org/seed';

export const SMALL_SEED: SeedCounts = { contacts: 12, leads: 4, businessAccounts: 3, personAccounts: 3, users: 3 };

/** Polls until `check` returns a value other than undefined/false, or fails with the last reason. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Stack {
  emulator: EmulatorHandle;
  db: Database;
  service: RunningService;
  config: Config;
  dir: string;
  /** Stops the service only (the emulator and database stay), then starts it again on the same DB. */
  restart(): Promise<void>;
  stopService(): Promise<void>;
  startServiceAgain(): Promise<void>;
  close(): Promise<void>;
  api(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses are checked field by field
}

export interface StackOptions {
  emulator?: Partial<EmulatorOptions>;
  authFlow?: 'client_credentials' | 'jwt';
  /** Use real Postgres from DATABASE_URL when set (default) or force the embedded PGlite. */
  backend?: 'auto' | 'pglite';
  /** Run the initial sync at start (off by default: most tests watch single changes). */
  initialSync?: boolean;
}

const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** An emulated org, a database, and the service connected to both, all on loopback. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-it-'));
  const emulator = await startEmulator({
    certDir: join(dir, 'certs'),
    seed: SMALL_SEED,
    personAccounts: true,
    keepaliveMs: 500,
    ...options.emulator,
  });
  const usePostgres = options.backend !== 'pglite' && process.env.DATABASE_URL;
  const scratch = usePostgres ? await freshDatabase(process.env.DATABASE_URL as string) : undefined;
  const db = scratch ? await openDatabase({ databaseUrl: scratch.url }) : await openDatabase({ dataDir: join(dir, 'data') });
  const jwt = options.authFlow === 'jwt';
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    publicUrl: 'http://127.0.0.1',
    dataDir: join(dir, 'data'),
    logLevel: 'silent',
    apiToken: 'test-token-0123456789abcdefghij',
    defaultCountry: 'US',
    writeback: { batchSize: 200, intervalMs: 200 },
    salesforce: {
      loginUrl: emulator.loginUrl,
      authFlow: jwt ? 'jwt' : 'client_credentials',
      clientId: emulator.clientId,
      clientSecret: jwt ? undefined : emulator.clientSecret,
      username: jwt ? 'switchboard.integration@example.com' : undefined,
      privateKey: jwt ? emulator.org.jwtKeys.privateKeyPem : undefined,
      apiVersion: '62.0',
      pubSubEndpoint: emulator.pubSubEndpoint,
      namespace: '',
      extraCaFile: emulator.certPath,
      orgName: 'Test org',
    },
  };
  const launch = () =>
    startService(config, {
      logger: silent,
      db,
      initialSync: options.initialSync ?? false,
      subscriber: { backoff: { initialMs: 50, maxMs: 400 } },
    });
  const stack: Stack = {
    emulator,
    db,
    config,
    dir,
    service: await launch(),
    async stopService() {
      await stack.service.close();
    },
    async startServiceAgain() {
      stack.service = await launch();
      await waitSubscribed(stack);
    },
    async restart() {
      await stack.stopService();
      await stack.startServiceAgain();
    },
    async close() {
      await stack.service.close().catch(() => undefined);
      await emulator.close();
      await db.close();
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
    async api(method, path, body, token = config.apiToken) {
      const res = await fetch(`${stack.service.url}/api/v1${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  };
  try {
    await waitSubscribed(stack);
  } catch (err) {
    await stack.close();
    throw err;
  }
  return stack;
}

export async function waitSubscribed(stack: Stack): Promise<void> {
  await eventually(() => stack.service.orgs.every((o) => o.subscriber.live && o.commands.subscriber.live), 'the subscribers to be live');
}

/** A database of its own for one test file, on the real server DATABASE_URL points at. */
async function freshDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const { Client } = await import('pg');
  const name = `sb_it_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const next = new URL(url);
  next.pathname = `/${name}`;
  return { url: next.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Edits as "a person in the Salesforce UI": the admin user, so the emulated trigger publishes. */
export function uiUpdate(stack: Stack, sobject: 'Contact' | 'Lead' | 'Account', id: string, fields: Record<string, unknown>): void {
  const [result] = stack.emulator.org.store.update(sobject, [{ Id: id, ...fields }], stack.emulator.org.adminUser);
  if (!result.success) throw new Error(`update failed: ${JSON.stringify(result.errors)}`);
}

export function uiCreate(stack: Stack, sobject: 'Contact' | 'Lead' | 'Account', fields: Record<string, unknown>): string {
  const [result] = stack.emulator.org.store.insert(sobject, [fields], stack.emulator.org.adminUser);
  if (!result.success || !result.id) throw new Error(`create failed: ${JSON.stringify(result.errors)}`);
  return result.id;
}

/** The directory contact linked to a Salesforce record of the stack's org, or undefined while there is none. */
export async function linkedContact(stack: Stack, recordId: string): Promise<DirectoryContact | undefined> {
  const link = await findLinkByRecord(stack.db, stack.service.orgs[0].settings.orgId, recordId);
  return link ? ((await getContact(stack.db, link.contactId)) ?? undefined) : undefined;
}

/** Waits for the record's directory contact to exist and returns its id. */
export async function linkedContactId(stack: Stack, recordId: string): Promise<string> {
  return (await eventually(() => linkedContact(stack, recordId), `the directory contact of ${recordId}`)).id;
}
