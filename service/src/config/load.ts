/**
 * Loading the configuration: the optional .env file, the variables checked against their specs
 * (every problem reported at once, naming the variable), and the typed Config built from them.
 */
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { redactUrlPassword } from '../log';
import { VARIABLES, type AuthFlow, type LogLevel, type VariableName, type VariableSpec } from './variables';

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
