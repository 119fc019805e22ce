/** The HTTP API test suites' app, database and fixtures; each suite gets its own through useApiHarness. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp, type AppOptions } from '../../src/http/app';
import { openDatabase } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import type { Database } from '../../src/store/types';
import { insertContact } from '../../src/directory/contacts';
import type { ContactFields, DirectoryContact } from '../../src/directory/model';
import { upsertOrg } from '../../src/store/state/orgs';
import { DEFAULT_MAPPINGS } from '../../src/sync/rules/fieldMap';
import { DEFAULT_POLICY, type OrgSyncSettings } from '../../src/sync/rules/context';
import type { OrgStatus } from '../../src/runtime/orgStatus';
import type { ApiCommand } from '../../src/runtime/commands/commandDesk';
import { resetDatabase } from './backends';

export const TOKEN = 'api-test-token-0123456789abcdef';
export const AUTH = { Authorization: `Bearer ${TOKEN}` };
export const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
export const ORG_ID = 'org-1';
export const RECORD_ID = '003000000000001AAA';
const SYNC_ID = 'a0A000000000001AAA';

/**
 * Two apps (demo and not) over one in-memory database, and what the app is handed from outside: the
 * org settings and states a test sets, and the write-back announcements it reads back.
 */
export class ApiHarness {
  /** Opened by start(), which the suite's beforeAll runs before any test. */
  db!: Database;
  demoUrl = '';
  plainUrl = '';
  settings: OrgSyncSettings | undefined;
  orgStatuses: OrgStatus[] = [];
  writeBacks: string[][] = [];
  /** Every line the apps logged since the last reset (pino JSON), so a test can say what must never be logged. */
  logLines: string[] = [];
  /** The commands the stub command desk of ORG_ID was handed since the last reset. */
  commands: ApiCommand[] = [];
  private readonly servers: http.Server[] = [];

  constructor(private readonly appOptions: Pick<AppOptions, 'calls'> = {}) {}

  async start(): Promise<void> {
    this.db = await openDatabase({});
    await migrate(this.db);
    this.demoUrl = await this.serve(true);
    this.plainUrl = await this.serve(false);
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await this.db?.close();
  }

  async reset(): Promise<void> {
    await resetDatabase(this.db);
    this.settings = undefined;
    this.orgStatuses = [];
    this.writeBacks = [];
    this.logLines = [];
    this.commands = [];
  }

  /** A directory contact from Salesforce, Ada Lovelace with a work phone unless overridden. */
  seed(overrides: ContactFields = {}): Promise<DirectoryContact> {
    return insertContact(
      this.db,
      {
        firstName: 'Ada',
        lastName: 'Lovelace',
        company: 'Analytical Engines',
        title: 'Analyst',
        email: 'ada@example.com',
        phones: [{ kind: 'work', raw: '(415) 555-2671', e164: '+14155552671', extension: null }],
        ...overrides,
      },
      'salesforce',
    );
  }

  /** Connects ORG_ID ("Acme") with a configured sync of the default policy; `overrides` change its settings. */
  async connectOrg(overrides: Partial<OrgSyncSettings> = {}): Promise<void> {
    this.settings = {
      orgId: ORG_ID,
      syncId: SYNC_ID,
      policy: DEFAULT_POLICY,
      mappings: DEFAULT_MAPPINGS,
      defaultCountry: 'US',
      objects: ['Contact', 'Lead', 'Account'],
      ...overrides,
    };
    await upsertOrg(this.db, { id: ORG_ID, name: 'Acme', loginUrl: 'https://login.example.com' });
  }

  /** The app on a loopback ephemeral port; supertest gets its URL. */
  private async serve(demo: boolean): Promise<string> {
    const app = createApp({
      db: this.db,
      logger: pino({ level: 'info' }, { write: (line: string) => void this.logLines.push(line) }),
      apiToken: TOKEN,
      demo,
      publicUrl: 'http://switchboard.test',
      defaultCountry: 'US',
      settingsOf: (orgId) => (this.settings?.orgId === orgId ? this.settings : undefined),
      orgs: () => this.orgStatuses,
      onWriteBackQueued: (orgIds) => this.writeBacks.push(orgIds),
      commandDesk: (orgId) =>
        orgId === ORG_ID
          ? {
              fromApi: async (command) => {
                this.commands.push(command);
                return { command: command.command, summary: 'done (stub)' };
              },
            }
          : undefined,
      ...this.appOptions,
    });
    const server = http.createServer(app);
    this.servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
}

/** Registers the suite's hooks: the apps start once, and every test begins with an empty database. */
export function useApiHarness(appOptions: Pick<AppOptions, 'calls'> = {}): ApiHarness {
  const api = new ApiHarness(appOptions);
  beforeAll(() => api.start(), 60_000);
  afterAll(() => api.stop());
  beforeEach(() => api.reset());
  return api;
}

export function orgStatus(name: string): OrgStatus {
  return {
    id: ORG_ID,
    name,
    role: 'leader',
    organizationId: '00D000000000001AAA',
    instanceUrl: 'https://acme.my.salesforce.com',
    subscriber: 'subscribed',
    lastError: null,
    lastEventAt: null,
    eventsApplied: 0,
    needsReconcile: false,
    sync: { id: SYNC_ID, name: 'Main sync', status: 'Active' },
    settingsProblems: [],
    settingsError: null,
    paused: false,
    lastCommand: null,
    initialSync: {
      state: 'done',
      records: 0,
      done: 0,
      total: 0,
      ratePerSecond: null,
      etaSeconds: 0,
      objects: [],
      startedAt: null,
      finishedAt: null,
      error: null,
    },
    reconcile: { lastRunAt: null, lastResult: null, nextRunAt: null, running: false },
    held: null,
    apiBudget: null,
    health: { inSync: 0, excluded: 0, failing: 0, ignored: 0 },
  };
}
