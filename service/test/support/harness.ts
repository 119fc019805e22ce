import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Config, SalesforceConfig } from '../../src/config';
import { startService, type RunningService, type StartOptions } from '../../src/service';
import type { OrgRuntime } from '../../src/runtime/orgRuntime';
import { openDatabase } from '../../src/store/db';
import { findLinkByRecord } from '../../src/store/state/links';
import { getContact } from '../../src/directory/contacts';
import type { DirectoryContact } from '../../src/directory/model';
import type { Database } from '../../src/store/types';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../emulator/index';
import type { SeedCounts } from '../../emulator/org/seed';

export const SMALL_SEED: SeedCounts = { contacts: 12, leads: 4, businessAccounts: 3, personAccounts: 3, users: 3 };

/** Polls until `check` returns a value other than undefined/false, or fails with the last reason. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
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

/** One connected org of a stack: its emulator and the service's id for it. */
export interface StackOrg {
  /** The service's org id: 'primary' for the first org, 'org2', 'org3'… for the others. */
  id: string;
  emulator: EmulatorHandle;
}

export interface Stack {
  /** The first org's emulator (emulators[0]). */
  emulator: EmulatorHandle;
  emulators: EmulatorHandle[];
  orgs: StackOrg[];
  db: Database;
  /** The scratch Postgres database's URL; undefined on PGlite. */
  databaseUrl?: string;
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
  /** The PostgreSQL server to make the scratch database on instead of DATABASE_URL's (a test's private cluster). */
  postgresUrl?: string;
  /** Run the initial sync at start (off by default: most tests watch single changes). */
  initialSync?: boolean;
  initialSyncPageSize?: number;
  /** Runs once the emulator is up, before the service first starts (e.g. to set emulator controls). */
  beforeService?(emulator: EmulatorHandle): void;
  /** How many emulated orgs the service connects to (default 1); the first is "primary". */
  orgs?: number;
  /** More startService options (e.g. electionRetryMs). */
  service?: Partial<StartOptions>;
  /** The calls settings (CALLS_*); the service's defaults when absent. */
  calls?: Config['calls'];
}

const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** An emulated org, a database, and the service connected to both, all on loopback. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-it-'));
  const emulators: EmulatorHandle[] = [];
  for (let orgNumber = 1; orgNumber <= (options.orgs ?? 1); orgNumber++) {
    emulators.push(
      await startEmulator({
        certDir: join(dir, 'certs'),
        seed: SMALL_SEED,
        personAccounts: true,
        keepaliveMs: 500,
        orgNumber,
        ...options.emulator,
      }),
    );
  }
  const [emulator] = emulators;
  const orgs: StackOrg[] = emulators.map((e, i) => ({ id: i === 0 ? 'primary' : `org${i + 1}`, emulator: e }));
  const postgresUrl = options.postgresUrl ?? (options.backend !== 'pglite' ? process.env.DATABASE_URL : undefined);
  const scratch = postgresUrl ? await freshDatabase(postgresUrl) : undefined;
  const db = scratch
    ? await openDatabase({ databaseUrl: scratch.url })
    : await openDatabase({ dataDir: join(dir, 'data') });
  const jwt = options.authFlow === 'jwt';
  const orgConfig = (e: EmulatorHandle, orgName: string): SalesforceConfig => ({
    loginUrl: e.loginUrl,
    authFlow: jwt ? 'jwt' : 'client_credentials',
    clientId: e.clientId,
    clientSecret: jwt ? undefined : e.clientSecret,
    username: jwt ? 'switchboard.integration@example.com' : undefined,
    privateKey: jwt ? e.org.jwtKeys.privateKeyPem : undefined,
    apiVersion: '62.0',
    pubSubEndpoint: e.pubSubEndpoint,
    namespace: '',
    extraCaFile: e.certPath,
    orgName,
  });
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    publicUrl: 'http://127.0.0.1',
    dataDir: join(dir, 'data'),
    logLevel: 'silent',
    apiToken: 'test-token-0123456789abcdefghij',
    defaultCountry: 'US',
    writeback: { batchSize: 200, intervalMs: 200 },
    salesforce: orgConfig(emulator, 'Test org'),
    calls: options.calls,
  };
  if (orgs.length > 1)
    config.orgs = orgs.slice(1).map((o, i) => ({ id: o.id, ...orgConfig(o.emulator, `Test org ${i + 2}`) }));
  options.beforeService?.(emulator);
  const launch = () =>
    startService(config, {
      logger: silent,
      db,
      initialSync: options.initialSync ?? false,
      initialSyncPageSize: options.initialSyncPageSize,
      subscriber: { backoff: { initialMs: 50, maxMs: 400 } },
      // Periodic status flushes would take API requests (and injected faults) meant for the code under
      // test; tests that check reporting call reporter.flush() themselves.
      status: { intervalMs: 3_600_000 },
      ...options.service,
    });
  const stack: Stack = {
    emulator,
    emulators,
    orgs,
    db,
    databaseUrl: scratch?.url,
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
      for (const e of emulators) await e.close();
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
  await eventually(
    () => stack.service.orgs.every((o) => o.subscriber.live && o.commands.subscriber.live),
    'the subscribers to be live',
  );
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

/** The service's runtime for the stack's org number `org` (0 = the first, "primary"). */
export function runtimeOf(stack: Stack, org = 0): OrgRuntime {
  const runtime = stack.service.orgs.find((o) => o.settings.orgId === stack.orgs[org].id);
  if (!runtime) throw new Error(`the service runs no org ${stack.orgs[org].id}`);
  return runtime;
}

/** Edits as "a person in the Salesforce UI" of org `org`: the admin user, so the emulated trigger publishes. */
export function uiUpdate(
  stack: Stack,
  sobject: 'Contact' | 'Lead' | 'Account',
  id: string,
  fields: Record<string, unknown>,
  org = 0,
): void {
  const { store, adminUser } = stack.emulators[org].org;
  const [result] = store.update(sobject, [{ Id: id, ...fields }], adminUser);
  if (!result.success) throw new Error(`update failed: ${JSON.stringify(result.errors)}`);
}

export function uiCreate(
  stack: Stack,
  sobject: 'Contact' | 'Lead' | 'Account',
  fields: Record<string, unknown>,
  org = 0,
): string {
  const { store, adminUser } = stack.emulators[org].org;
  const [result] = store.insert(sobject, [fields], adminUser);
  if (!result.success || !result.id) throw new Error(`create failed: ${JSON.stringify(result.errors)}`);
  return result.id;
}

type SyncedSObject = 'Contact' | 'Lead' | 'Account';
const checked = (
  what: string,
  results: Array<{ success: boolean; id?: string | null; errors?: unknown }>,
): string[] => {
  const bad = results.find((r) => !r.success);
  if (bad) throw new Error(`${what} failed: ${JSON.stringify(bad.errors)}`);
  return results.map((r) => String(r.id));
};

/**
 * DML as the service's integration user: the emulated trigger publishes nothing for its writes, so such
 * a change reaches the service only through a reconcile — as a change whose event was lost would.
 */
export function quietCreate(stack: Stack, sobject: SyncedSObject, rows: Array<Record<string, unknown>>): string[] {
  return checked('create', stack.emulator.org.store.insert(sobject, rows, stack.emulator.org.integrationUser));
}

/**
 * `count` Contacts made without events (`${firstName}`, `${lastName} i`, phones +1 415 555 from `firstPhone` on),
 * then linked by a reconcile of the first org: a known set of linked records for a test. Returns their ids.
 */
export async function linkedQuietContacts(
  stack: Stack,
  options: { count: number; firstName: string; lastName: string; firstPhone: number },
): Promise<string[]> {
  const { count, firstName, lastName, firstPhone } = options;
  const ids = quietCreate(
    stack,
    'Contact',
    Array.from({ length: count }, (_, i) => ({
      FirstName: firstName,
      LastName: `${lastName} ${i}`,
      Phone: `+1 415 555 ${String(firstPhone + i)}`,
    })),
  );
  await stack.service.orgs[0].runReconcileNow();
  return ids;
}

export function quietUpdate(stack: Stack, sobject: SyncedSObject, id: string, fields: Record<string, unknown>): void {
  checked(
    'update',
    stack.emulator.org.store.update(sobject, [{ Id: id, ...fields }], stack.emulator.org.integrationUser),
  );
}

export function quietDelete(stack: Stack, sobject: SyncedSObject, ids: string[]): void {
  checked('delete', stack.emulator.org.store.delete(sobject, ids, stack.emulator.org.integrationUser));
}

/** Changes the org's seeded sync record (as the admin in the setup wizard) and reloads the service's settings. */
export async function updateSyncRecord(stack: Stack, fields: Record<string, unknown>): Promise<void> {
  const org = stack.emulator.org;
  checked(
    'sync record update',
    org.store.update(
      'Switchboard_Sync__c',
      [{ Id: org.store.idFor('Switchboard_Sync__c', 0), ...fields }],
      org.adminUser,
    ),
  );
  await stack.service.orgs[0].reloadSettings();
}

/** The directory contact linked to a record of the stack's org `org`, or undefined while there is none. */
export async function linkedContact(stack: Stack, recordId: string, org = 0): Promise<DirectoryContact | undefined> {
  const link = await findLinkByRecord(stack.db, stack.orgs[org].id, recordId);
  return link ? ((await getContact(stack.db, link.contactId)) ?? undefined) : undefined;
}

/** Waits for the record's directory contact to exist and returns its id. */
export async function linkedContactId(stack: Stack, recordId: string, org = 0): Promise<string> {
  return (await eventually(() => linkedContact(stack, recordId, org), `the directory contact of ${recordId}`)).id;
}

let markers = 0;

/**
 * Proves "nothing else arrived" without sleeping: creates a marker Contact (a number of its own, so it
 * joins nothing) and waits for it. Events apply in order, so everything published before it has been
 * applied by then. Needs a sync that sends Salesforce changes to telephony.
 */
export async function flushEvents(stack: Stack): Promise<void> {
  const n = markers++;
  const marker = uiCreate(stack, 'Contact', {
    LastName: `Marker ${n}`,
    Phone: `+1 206 555 ${String(1000 + (n % 9000)).padStart(4, '0')}`,
  });
  await eventually(() => linkedContact(stack, marker), 'the marker record');
}
