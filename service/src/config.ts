import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { redactUrlPassword } from './log';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const AUTH_FLOWS = ['client_credentials', 'jwt'] as const;
export type AuthFlow = (typeof AUTH_FLOWS)[number];

export interface SalesforceConfig {
  loginUrl: string;
  authFlow: AuthFlow;
  clientId: string;
  clientSecret?: string;
  username?: string;
  /** PEM text (already read from SF_PRIVATE_KEY_FILE when that was given). */
  privateKey?: string;
  apiVersion: string;
  /** host:port of the Pub/Sub API gRPC endpoint. */
  pubSubEndpoint: string;
  /** Managed package namespace without the `__`; '' when unpackaged. */
  namespace: string;
  /** Absolute path of a PEM CA trusted in addition to the system store. */
  extraCaFile?: string;
  orgName: string;
}

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl?: string;
  /** Absolute; PGlite lives in `<dataDir>/pglite`. */
  dataDir: string;
  logLevel: LogLevel;
  apiToken?: string;
  defaultCountry: CountryCode;
  /** Absent when no org is configured (SF_CLIENT_ID unset): the service then runs the directory alone. */
  salesforce?: SalesforceConfig;
  writeback: { batchSize: number; intervalMs: number };
}

/** Thrown by loadConfig with every problem found, one per line in the message. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface ConfigVariableRow {
  name: string;
  /** null: no default (the variable is optional or required by another setting). */
  default: string | null;
  example: string;
  description: string;
}

type Shown = 'plain' | 'secret' | 'url-with-password';

interface VariableSpec {
  default: string | null;
  /** The default is computed from other variables (shown in `default` as a template). */
  derivedDefault?: true;
  example: string;
  description: string;
  /** Completes "NAME: …" in an error message. */
  expects: string;
  shown?: Shown;
  /** Validates and converts the (trimmed, non-empty) string; absent for variables read outside the schema. */
  schema?: z.ZodType<unknown, string>;
}

const digits = z.string().regex(/^\d+$/).transform(Number);
const intBetween = (min: number, max: number) => digits.refine((n) => n >= min && n <= max);
const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
const existingFile = z.string().transform((p) => path.resolve(p)).refine(isReadableFile);

function isReadableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The service's environment variables: the single source for parsing, error messages and the README table. */
const VARIABLES = {
  SWITCHBOARD_ENV_FILE: {
    default: './.env',
    example: '/etc/switchboard/env',
    description: 'Optional dotenv file read at startup; real environment variables win over it.',
    expects: 'a readable file',
  },
  PORT: {
    default: '3000',
    example: '8080',
    description: 'HTTP port of the REST API, dashboard, caller-ID lookup and phone books.',
    expects: 'an integer from 1 to 65535',
    schema: intBetween(1, 65535),
  },
  HOST: {
    default: '127.0.0.1',
    example: '0.0.0.0',
    description: 'Interface the HTTP server listens on.',
    expects: 'a host name or IP address without spaces',
    schema: z.string().regex(/^[^\s/]+$/),
  },
  PUBLIC_URL: {
    default: 'http://HOST:PORT',
    derivedDefault: true,
    example: 'https://switchboard.example.com',
    description: 'Address people and phones use to reach the service (links, phone-book URLs).',
    expects: 'an http(s) URL',
    schema: httpUrl,
  },
  DATABASE_URL: {
    default: null,
    example: 'postgres://switchboard:secret@db:5432/switchboard',
    description: 'PostgreSQL connection URL. Unset: an embedded PGlite database in SWITCHBOARD_DATA_DIR.',
    expects: 'a postgres:// or postgresql:// URL',
    shown: 'url-with-password',
    schema: z.url({ protocol: /^postgres(ql)?$/ }),
  },
  SWITCHBOARD_DATA_DIR: {
    default: '.switchboard',
    example: '/var/lib/switchboard',
    description: 'Directory for local state; the embedded database lives in <dir>/pglite.',
    expects: 'a directory path',
    schema: z.string().transform((p) => path.resolve(p)),
  },
  LOG_LEVEL: {
    default: 'info',
    example: 'debug',
    description: `Log level: ${LOG_LEVELS.join(', ')}.`,
    expects: `one of ${LOG_LEVELS.join(', ')}`,
    schema: z.enum(LOG_LEVELS),
  },
  SWITCHBOARD_API_TOKEN: {
    default: null,
    example: 'a-long-random-string-of-24+-chars',
    description: 'Bearer token for the REST API and the dashboard login (at least 24 characters).',
    expects: 'at least 24 characters',
    shown: 'secret',
    schema: z.string().min(24),
  },
  DEFAULT_PHONE_COUNTRY: {
    default: 'US',
    example: 'DE',
    description: 'ISO 3166 alpha-2 country for phone numbers written without a +country prefix.',
    expects: 'an ISO 3166 alpha-2 country code known to libphonenumber (e.g. US, GB, DE)',
    schema: z
      .string()
      .transform((c) => c.toUpperCase())
      .refine((c) => isSupportedCountry(c))
      .transform((c) => c as CountryCode),
  },
  SF_LOGIN_URL: {
    default: 'https://login.salesforce.com',
    example: 'https://test.salesforce.com',
    description: 'Salesforce login URL (My Domain, sandbox, or the emulator).',
    expects: 'an http(s) URL',
    schema: httpUrl,
  },
  SF_AUTH_FLOW: {
    default: 'client_credentials',
    example: 'jwt',
    description: 'OAuth flow of the connected app: client_credentials or jwt (JWT bearer).',
    expects: `one of ${AUTH_FLOWS.join(', ')}`,
    schema: z.enum(AUTH_FLOWS),
  },
  SF_CLIENT_ID: {
    default: null,
    example: '3MVG9...',
    description: 'Connected app consumer key. Setting it connects an org; unset, the service runs without Salesforce.',
    expects: 'the connected app consumer key',
    schema: z.string(),
  },
  SF_CLIENT_SECRET: {
    default: null,
    example: '(secret)',
    description: 'Connected app consumer secret (client_credentials).',
    expects: 'the connected app consumer secret',
    shown: 'secret',
    schema: z.string(),
  },
  SF_USERNAME: {
    default: null,
    example: 'integration@example.com',
    description: 'Integration user the JWT is issued for (jwt).',
    expects: 'a Salesforce username',
    schema: z.string(),
  },
  SF_PRIVATE_KEY: {
    default: null,
    example: '-----BEGIN PRIVATE KEY-----\\n...',
    description: 'PEM private key signing the JWT (jwt); `\\n` escapes allowed. Or use SF_PRIVATE_KEY_FILE.',
    expects: 'a PEM private key (-----BEGIN ... PRIVATE KEY-----)',
    shown: 'secret',
    schema: z
      .string()
      .transform((k) => k.replace(/\\n/g, '\n'))
      .refine(isPemPrivateKey),
  },
  SF_PRIVATE_KEY_FILE: {
    default: null,
    example: '/run/secrets/sf-jwt.key',
    description: 'File holding the PEM private key (jwt), instead of SF_PRIVATE_KEY.',
    expects: 'a readable file holding a PEM private key',
    schema: z
      .string()
      .transform((p) => path.resolve(p))
      .refine((file) => isReadableFile(file) && isPemPrivateKey(fs.readFileSync(file, 'utf8'))),
  },
  SF_API_VERSION: {
    default: '62.0',
    example: '63.0',
    description: 'Salesforce REST API version.',
    expects: 'a version like 62.0',
    schema: z.string().regex(/^\d{2}\.0$/),
  },
  SF_PUBSUB_ENDPOINT: {
    default: 'api.pubsub.salesforce.com:7443',
    example: '127.0.0.1:7443',
    description: 'Pub/Sub API gRPC endpoint.',
    expects: 'host:port',
    schema: z.string().refine((v) => {
      const match = /^([^\s:]+|\[[0-9a-fA-F:]+\]):(\d+)$/.exec(v);
      return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65535;
    }),
  },
  SF_NAMESPACE: {
    default: '',
    example: 'swb',
    description: 'Namespace of the installed Switchboard package, without `__` (empty when unpackaged).',
    expects: 'letters, digits and _ only',
    schema: z.string().regex(/^[A-Za-z0-9_]*$/),
  },
  SF_EXTRA_CA_FILE: {
    default: null,
    example: './.switchboard/emulator-ca.pem',
    description: "PEM CA trusted in addition to the system store (e.g. the emulator's certificate).",
    expects: 'a readable file',
    schema: existingFile,
  },
  SF_ORG_NAME: {
    default: 'Salesforce org',
    example: 'Acme production',
    description: 'Display name of the org connection.',
    expects: 'a name',
    schema: z.string(),
  },
  WRITEBACK_BATCH_SIZE: {
    default: '200',
    example: '100',
    description: 'Records per write-back call to Salesforce (sObject Collections allow at most 200).',
    expects: 'an integer from 1 to 200',
    schema: intBetween(1, 200),
  },
  WRITEBACK_INTERVAL_MS: {
    default: '500',
    example: '2000',
    description: 'Pause between write-back outbox polls, in milliseconds.',
    expects: 'an integer from 1 to 3600000',
    schema: intBetween(1, 3_600_000),
  },
} satisfies Record<string, VariableSpec>;

type VariableName = keyof typeof VARIABLES;

function isPemPrivateKey(text: string): boolean {
  return /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/.test(text);
}

/** Rows for the README's configuration table. */
export function describeConfig(): ConfigVariableRow[] {
  return Object.entries(VARIABLES).map(([name, spec]) => ({
    name,
    default: spec.default,
    example: spec.example,
    description: spec.description,
  }));
}

function spec(name: VariableName): VariableSpec {
  return VARIABLES[name];
}

function show(name: VariableName, value: string | undefined): string {
  if (value === undefined) return '(not set)';
  switch (spec(name).shown ?? 'plain') {
    case 'secret':
      return '(set)';
    case 'url-with-password':
      return `(got "${redactUrlPassword(value)}")`;
    default:
      return `(got "${value.length > 200 ? `${value.slice(0, 200)}…` : value}")`;
  }
}

/** Unset, empty and blank all mean "not given": `KEY=` lines in a .env file are common. */
function readVariables(env: NodeJS.ProcessEnv): Partial<Record<VariableName, string>> {
  const given: Partial<Record<VariableName, string>> = {};
  for (const name of Object.keys(VARIABLES) as VariableName[]) {
    const value = env[name]?.trim();
    if (value) given[name] = value;
  }
  return given;
}

function loadEnvFile(env: NodeJS.ProcessEnv): void {
  const explicit = env.SWITCHBOARD_ENV_FILE?.trim();
  const file = path.resolve(explicit || '.env');
  if (!fs.existsSync(file)) {
    if (explicit) throw new ConfigError([`SWITCHBOARD_ENV_FILE: ${spec('SWITCHBOARD_ENV_FILE').expects} ${show('SWITCHBOARD_ENV_FILE', explicit)}`]);
    return;
  }
  const result = dotenv.config({ path: file, override: false, quiet: true, processEnv: env });
  if (result.error) {
    throw new ConfigError([`SWITCHBOARD_ENV_FILE: ${spec('SWITCHBOARD_ENV_FILE').expects} (${file}: ${result.error.message})`]);
  }
}

type Variables = typeof VARIABLES;
type Optional<V> = V extends { default: null } | { derivedDefault: true } ? true : false;
/** The zod shape built below, spelled out so the parsed result is typed from the schemas themselves. */
type FieldShape = {
  [K in keyof Variables as Variables[K] extends { schema: z.ZodType } ? K : never]: Variables[K] extends {
    schema: infer S extends z.ZodType;
  }
    ? Optional<Variables[K]> extends true
      ? z.ZodOptional<S>
      : S
    : never;
};
type ParsedVariables = z.output<z.ZodObject<FieldShape>>;

function isOptional(s: VariableSpec): boolean {
  return s.default === null || s.derivedDefault === true;
}

// Object.entries loses the per-key types; FieldShape restates them with the same optional rule.
const fieldSchema = z.object(
  Object.fromEntries(
    Object.entries(VARIABLES).flatMap(([name, s]: [string, VariableSpec]) =>
      s.schema ? [[name, isOptional(s) ? s.schema.optional() : s.schema]] : [],
    ),
  ) as unknown as FieldShape,
);

/** Names of Salesforce credentials that mean "an org is meant to be configured". */
const SF_CREDENTIALS = ['SF_CLIENT_SECRET', 'SF_USERNAME', 'SF_PRIVATE_KEY', 'SF_PRIVATE_KEY_FILE'] as const;

function crossFieldProblems(given: Partial<Record<VariableName, string>>, authFlow: string | undefined): string[] {
  const problems: string[] = [];
  const need = (name: VariableName, why: string) => {
    if (given[name] === undefined) problems.push(`${name}: required ${why} (not set)`);
  };
  if (given.SF_CLIENT_ID === undefined) {
    const strays = SF_CREDENTIALS.filter((name) => given[name] !== undefined);
    if (strays.length > 0) need('SF_CLIENT_ID', `because ${strays.join(', ')} ${strays.length > 1 ? 'are' : 'is'} set (half-configured org)`);
    return problems;
  }
  if (authFlow === 'client_credentials') {
    need('SF_CLIENT_SECRET', 'when SF_CLIENT_ID is set and SF_AUTH_FLOW is client_credentials');
  } else if (authFlow === 'jwt') {
    need('SF_USERNAME', 'when SF_AUTH_FLOW is jwt');
    if (given.SF_PRIVATE_KEY === undefined && given.SF_PRIVATE_KEY_FILE === undefined) {
      problems.push('SF_PRIVATE_KEY: required (or SF_PRIVATE_KEY_FILE) when SF_AUTH_FLOW is jwt (not set)');
    }
  }
  if (given.SF_PRIVATE_KEY !== undefined && given.SF_PRIVATE_KEY_FILE !== undefined) {
    problems.push('SF_PRIVATE_KEY_FILE: set either SF_PRIVATE_KEY or SF_PRIVATE_KEY_FILE, not both (both set)');
  }
  return problems;
}

function defaultPublicUrl(host: string, port: number): string {
  // A wildcard bind address is no address a browser can use.
  const reachable = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${reachable.includes(':') && !reachable.startsWith('[') ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * Reads and validates the service's configuration. With process.env (the default) it first loads a .env
 * file (SWITCHBOARD_ENV_FILE, else ./.env) without overriding variables already set; other objects are
 * taken as they are, so tests stay hermetic.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (env === process.env) loadEnvFile(env);
  const given = readVariables(env);
  const withDefaults: Record<string, string> = {};
  for (const [name, s] of Object.entries(VARIABLES) as [VariableName, VariableSpec][]) {
    const value = given[name] ?? (s.derivedDefault ? undefined : (s.default ?? undefined));
    if (value !== undefined && s.schema) withDefaults[name] = value;
  }

  const parsed = fieldSchema.safeParse(withDefaults);
  const problems: string[] = [];
  if (!parsed.success) {
    const names = new Set(parsed.error.issues.map((issue) => String(issue.path[0]) as VariableName));
    for (const name of Object.keys(VARIABLES) as VariableName[]) {
      if (names.has(name)) problems.push(`${name}: expects ${spec(name).expects} ${show(name, withDefaults[name])}`);
    }
  }
  problems.push(...crossFieldProblems(given, parsed.success ? parsed.data.SF_AUTH_FLOW : withDefaults.SF_AUTH_FLOW));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return toConfig(parsed.data);
}

function toConfig(v: ParsedVariables): Config {
  const config: Config = {
    port: v.PORT,
    host: v.HOST,
    publicUrl: v.PUBLIC_URL ?? defaultPublicUrl(v.HOST, v.PORT),
    dataDir: v.SWITCHBOARD_DATA_DIR,
    logLevel: v.LOG_LEVEL,
    defaultCountry: v.DEFAULT_PHONE_COUNTRY,
    writeback: { batchSize: v.WRITEBACK_BATCH_SIZE, intervalMs: v.WRITEBACK_INTERVAL_MS },
  };
  if (v.DATABASE_URL !== undefined) config.databaseUrl = v.DATABASE_URL;
  if (v.SWITCHBOARD_API_TOKEN !== undefined) config.apiToken = v.SWITCHBOARD_API_TOKEN;
  if (v.SF_CLIENT_ID !== undefined) {
    const sf: SalesforceConfig = {
      loginUrl: v.SF_LOGIN_URL,
      authFlow: v.SF_AUTH_FLOW,
      clientId: v.SF_CLIENT_ID,
      apiVersion: v.SF_API_VERSION,
      pubSubEndpoint: v.SF_PUBSUB_ENDPOINT,
      namespace: v.SF_NAMESPACE,
      orgName: v.SF_ORG_NAME,
    };
    if (v.SF_CLIENT_SECRET !== undefined) sf.clientSecret = v.SF_CLIENT_SECRET;
    if (v.SF_USERNAME !== undefined) sf.username = v.SF_USERNAME;
    const privateKey = v.SF_PRIVATE_KEY ?? (v.SF_PRIVATE_KEY_FILE ? fs.readFileSync(v.SF_PRIVATE_KEY_FILE, 'utf8') : undefined);
    if (privateKey !== undefined) sf.privateKey = privateKey;
    if (v.SF_EXTRA_CA_FILE !== undefined) sf.extraCaFile = v.SF_EXTRA_CA_FILE;
    config.salesforce = sf;
  }
  return config;
}
