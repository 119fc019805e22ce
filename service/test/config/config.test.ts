import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, describeConfig, loadConfig } from '../../src/config';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-config-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const target = path.join(tmp, name);
  fs.writeFileSync(target, content);
  return target;
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the defaults to an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:3000',
      preparedStatements: true,
      databaseConnectTimeoutMs: 10000,
      dataDir: path.resolve('.switchboard'),
      logLevel: 'info',
      defaultCountry: 'US',
      writeback: { batchSize: 200, intervalMs: 500 },
      calls: { extensionDigits: 6, tasks: 'on', userExtensionField: 'Extension' },
    });
  });

  it('reads every setting of a client-credentials org', () => {
    const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://sb:pw@db:5432/sb',
      DATABASE_PREPARED_STATEMENTS: 'false',
      DATABASE_CONNECT_TIMEOUT_MS: '3000',
      SWITCHBOARD_DATA_DIR: tmp,
      LOG_LEVEL: 'debug',
      SWITCHBOARD_API_TOKEN: 'x'.repeat(24),
      DEFAULT_PHONE_COUNTRY: 'de',
      SF_LOGIN_URL: 'https://acme.my.salesforce.com/',
      SF_CLIENT_ID: '3MVGclient',
      SF_CLIENT_SECRET: 'secret',
      SF_API_VERSION: '63.0',
      SF_PUBSUB_ENDPOINT: '127.0.0.1:7443',
      SF_NAMESPACE: 'swb',
      SF_EXTRA_CA_FILE: ca,
      SF_ORG_NAME: 'Acme',
      WRITEBACK_BATCH_SIZE: '50',
      WRITEBACK_INTERVAL_MS: '1000',
      CALLS_EXTENSION_DIGITS: '4',
      CALLS_TASKS: 'off',
      CALLS_USER_EXTENSION_FIELD: 'Desk_Extension__c',
    });
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:8080',
      databaseUrl: 'postgres://sb:pw@db:5432/sb',
      preparedStatements: false,
      databaseConnectTimeoutMs: 3000,
      dataDir: tmp,
      logLevel: 'debug',
      apiToken: 'x'.repeat(24),
      defaultCountry: 'DE',
      salesforce: {
        loginUrl: 'https://acme.my.salesforce.com',
        authFlow: 'client_credentials',
        clientId: '3MVGclient',
        clientSecret: 'secret',
        apiVersion: '63.0',
        pubSubEndpoint: '127.0.0.1:7443',
        namespace: 'swb',
        extraCaFile: ca,
        orgName: 'Acme',
      },
      writeback: { batchSize: 50, intervalMs: 1000 },
      calls: { extensionDigits: 4, tasks: 'off', userExtensionField: 'Desk_Extension__c' },
    });
  });

  it('takes PUBLIC_URL as given (without a trailing slash)', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://sb.example.com/' }).publicUrl).toBe('https://sb.example.com');
  });

  it('reads a JWT key from SF_PRIVATE_KEY with \\n escapes, or from SF_PRIVATE_KEY_FILE', () => {
    const base = { SF_AUTH_FLOW: 'jwt', SF_CLIENT_ID: 'id', SF_USERNAME: 'int@example.com' };
    const inline = loadConfig({ ...base, SF_PRIVATE_KEY: PEM.replace(/\n/g, '\\n') });
    expect(inline.salesforce).toMatchObject({ authFlow: 'jwt', username: 'int@example.com', privateKey: PEM });
    expect(inline.salesforce?.clientSecret).toBeUndefined();

    const fromFile = loadConfig({ ...base, SF_PRIVATE_KEY_FILE: file('key.pem', PEM) });
    expect(fromFile.salesforce?.privateKey).toBe(PEM);
  });

  it('treats empty and blank values as unset', () => {
    expect(loadConfig({ PORT: '', SF_CLIENT_SECRET: '   ', DATABASE_URL: '' })).toEqual(loadConfig({}));
  });

  const invalid: [string, string][] = [
    ['PORT', 'abc'],
    ['PORT', '0'],
    ['PORT', '65536'],
    ['HOST', 'my host'],
    ['PUBLIC_URL', 'ftp://example.com'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DATABASE_PREPARED_STATEMENTS', 'no'],
    ['DATABASE_CONNECT_TIMEOUT_MS', '0'],
    ['LOG_LEVEL', 'loud'],
    ['DEFAULT_PHONE_COUNTRY', 'XX'],
    ['DEFAULT_PHONE_COUNTRY', 'USA'],
    ['SF_LOGIN_URL', 'login.salesforce.com'],
    ['SF_AUTH_FLOW', 'password'],
    ['SF_API_VERSION', '62'],
    ['SF_PUBSUB_ENDPOINT', 'api.pubsub.salesforce.com'],
    ['SF_PUBSUB_ENDPOINT', 'host:99999'],
    ['SF_NAMESPACE', 'my-ns'],
    ['SF_EXTRA_CA_FILE', '/no/such/ca.pem'],
    ['SF_PRIVATE_KEY_FILE', '/no/such/key.pem'],
    ['WRITEBACK_BATCH_SIZE', '201'],
    ['WRITEBACK_INTERVAL_MS', '-5'],
    ['CALLS_USER_EXTENSION_FIELD', 'Extension FROM User'],
  ];
  it.each(invalid)('names %s and shows the bad value %p', (name, value) => {
    // A key file alone also leaves the org half-configured, a second problem.
    const problems = problemsOf({ [name]: value }).filter((p) => p.startsWith(`${name}:`));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(`^${name}: expects .+ \\(got "${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\)$`),
    );
  });

  it('lists every problem at once in the message', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y', WRITEBACK_BATCH_SIZE: '0' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { message, problems } = error as ConfigError;
      expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'LOG_LEVEL', 'WRITEBACK_BATCH_SIZE']);
      for (const problem of problems) expect(message).toContain(problem);
    }
  });

  it('never echoes secrets', () => {
    const token = 'short-secret-token';
    const key = 'not-a-pem-but-secret-material';
    const problems = problemsOf({
      SWITCHBOARD_API_TOKEN: token,
      SF_CLIENT_ID: 'id',
      SF_AUTH_FLOW: 'jwt',
      SF_USERNAME: 'u',
      SF_PRIVATE_KEY: key,
      DATABASE_URL: 'mysql://user:hunter2@db/x',
    });
    const text = problems.join('\n');
    expect(problems).toEqual(
      expect.arrayContaining([
        'SWITCHBOARD_API_TOKEN: expects at least 24 characters (set)',
        expect.stringMatching(/^SF_PRIVATE_KEY: expects a PEM private key .*\(set\)$/),
        expect.stringMatching(/^DATABASE_URL: expects .*\(got "mysql:\/\/user:\*\*\*@db\/x"\)$/),
      ]),
    );
    expect(text).not.toContain(token);
    expect(text).not.toContain(key);
    expect(text).not.toContain('hunter2');
  });

  describe('half-configured orgs', () => {
    it('wants SF_CLIENT_ID when a credential is set without it, without echoing the credential', () => {
      const problems = problemsOf({ SF_CLIENT_SECRET: 'topsecret' });
      expect(problems).toEqual([
        'SF_CLIENT_ID: required because SF_CLIENT_SECRET is set (half-configured org) (not set)',
      ]);
      expect(problems.join()).not.toContain('topsecret');
      expect(problemsOf({ SF_USERNAME: 'u', SF_PRIVATE_KEY: PEM })[0]).toMatch(
        /^SF_CLIENT_ID: required because SF_USERNAME, SF_PRIVATE_KEY are set/,
      );
    });

    it('wants the secret for client_credentials', () => {
      expect(problemsOf({ SF_CLIENT_ID: 'id' })).toEqual([
        'SF_CLIENT_SECRET: required when SF_CLIENT_ID is set and SF_AUTH_FLOW is client_credentials (not set)',
      ]);
    });

    it('wants a username and a key for jwt, and only one kind of key', () => {
      const problems = problemsOf({ SF_CLIENT_ID: 'id', SF_AUTH_FLOW: 'jwt' });
      expect(problems.map((p) => p.split(':')[0])).toEqual(['SF_USERNAME', 'SF_PRIVATE_KEY']);
      const both = problemsOf({
        SF_CLIENT_ID: 'id',
        SF_AUTH_FLOW: 'jwt',
        SF_USERNAME: 'u',
        SF_PRIVATE_KEY: PEM,
        SF_PRIVATE_KEY_FILE: file('k2.pem', PEM),
      });
      expect(both).toEqual([
        'SF_PRIVATE_KEY_FILE: set either SF_PRIVATE_KEY or SF_PRIVATE_KEY_FILE, not both (both set)',
      ]);
    });

    it('runs without Salesforce when nothing of an org is set', () => {
      expect(loadConfig({ SF_LOGIN_URL: 'https://test.salesforce.com', SF_ORG_NAME: 'x' }).salesforce).toBeUndefined();
    });
  });

  describe('.env files (only with process.env)', () => {
    const saved = { ...process.env };
    const cwd = process.cwd();
    afterEach(() => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      process.chdir(cwd);
    });

    it('loads SWITCHBOARD_ENV_FILE without overriding variables already set', () => {
      process.env.SWITCHBOARD_ENV_FILE = file('custom.env', 'PORT=4000\nSF_ORG_NAME="From file"\nLOG_LEVEL=trace\n');
      process.env.LOG_LEVEL = 'error';
      delete process.env.PORT;
      const config = loadConfig();
      expect(config.port).toBe(4000);
      expect(config.logLevel).toBe('error');
      expect(process.env.PORT).toBe('4000');
    });

    it('loads ./.env by default and is fine without one', () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'cwd-'));
      process.chdir(dir);
      delete process.env.SWITCHBOARD_ENV_FILE;
      delete process.env.PORT;
      expect(loadConfig().port).toBe(3000);
      fs.writeFileSync(path.join(dir, '.env'), 'PORT=4100\n');
      expect(loadConfig().port).toBe(4100);
    });

    it('complains about a missing SWITCHBOARD_ENV_FILE', () => {
      process.env.SWITCHBOARD_ENV_FILE = path.join(tmp, 'missing.env');
      expect(() => loadConfig()).toThrow(/SWITCHBOARD_ENV_FILE: a readable file \(got ".*missing\.env"\)/);
    });

    it('leaves a plain object alone: no .env is read', () => {
      const env = { SWITCHBOARD_ENV_FILE: file('ignored.env', 'PORT=4200\n') };
      expect(loadConfig(env).port).toBe(3000);
      expect(env).toEqual({ SWITCHBOARD_ENV_FILE: expect.any(String) });
    });
  });
});

describe('describeConfig', () => {
  it('documents every variable loadConfig reads', () => {
    const read = new Set<string>();
    const recording = new Proxy({} as NodeJS.ProcessEnv, {
      get(target, key) {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(target, key);
      },
    });
    loadConfig(recording);
    const documented = describeConfig().map((row) => row.name);
    expect(read.size).toBeGreaterThan(20);
    for (const name of read) expect(documented).toContain(name);
  });

  it('gives every row a description and an example', () => {
    for (const row of describeConfig()) {
      expect(row.description.length).toBeGreaterThan(10);
      expect(row.example).not.toBe('');
      expect(row.default === null || typeof row.default === 'string').toBe(true);
    }
  });
});
