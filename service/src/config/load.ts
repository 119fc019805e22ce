/**
 * Loading the configuration: the optional .env file, the variables checked against their specs
 * (every problem reported at once, naming the variable), and the typed Config built from them.
 */
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import type { CountryCode } from 'libphonenumber-js';
import {
  fieldSchema,
  invalidValueProblems,
  show,
  withDefaults,
  type GivenVariables,
  type ParsedVariables,
} from './parse';
import {
  PRIMARY_ORG_ID,
  readMoreOrgs,
  salesforceCrossFieldProblems,
  toSalesforceConfig,
  type OrgConnectionConfig,
  type SalesforceConfig,
} from './salesforce';
import { VARIABLES, type LogLevel, type VariableName } from './variables';
import { ldapCrossFieldProblems, toLdapConfig, type LdapConfig } from './ldap';

export type { OrgConnectionConfig, SalesforceConfig } from './salesforce';
export type { LdapConfig } from './ldap';

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl?: string;
  /** Statements with parameters are prepared once per connection (store/db.ts); default true, off behind some poolers. */
  preparedStatements?: boolean;
  /** How long opening a PostgreSQL connection may take (store/db.ts), in ms. */
  databaseConnectTimeoutMs?: number;
  /** Absolute; PGlite lives in `<dataDir>/pglite`. */
  dataDir: string;
  logLevel: LogLevel;
  apiToken?: string;
  defaultCountry: CountryCode;
  /** The primary org (SF_* variables, id "primary"); absent when SF_CLIENT_ID is unset. */
  salesforce?: SalesforceConfig;
  /** Further orgs (SF_ORG_<ID>_* variables). With neither, the service runs the directory alone. */
  orgs?: OrgConnectionConfig[];
  writeback: { batchSize: number; intervalMs: number };
  /** Call intake (CALLS_* variables): unknown callers, and how long an extension is. */
  calls?: { extensionDigits: number; tasks: 'on' | 'off'; userExtensionField: string };
  /** The LDAP mirror (LDAP_* variables); absent when LDAP_URL is unset. */
  ldap?: LdapConfig;
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

/** Unset, empty and blank all mean "not given": `KEY=` lines in a .env file are common. */
function readVariables(env: NodeJS.ProcessEnv): GivenVariables {
  const given: GivenVariables = {};
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
    if (explicit)
      throw new ConfigError([
        `SWITCHBOARD_ENV_FILE: ${VARIABLES.SWITCHBOARD_ENV_FILE.expects} ${show('SWITCHBOARD_ENV_FILE', explicit)}`,
      ]);
    return;
  }
  const result = dotenv.config({ path: file, override: false, quiet: true, processEnv: env });
  if (result.error) {
    throw new ConfigError([
      `SWITCHBOARD_ENV_FILE: ${VARIABLES.SWITCHBOARD_ENV_FILE.expects} (${file}: ${result.error.message})`,
    ]);
  }
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
  const values = withDefaults(given, Object.keys(VARIABLES) as VariableName[]);
  const parsed = fieldSchema.safeParse(values);
  const same = (name: VariableName) => name;
  const problems = parsed.success ? [] : invalidValueProblems(parsed.error, values, same);
  problems.push(
    ...salesforceCrossFieldProblems(given, parsed.success ? parsed.data.SF_AUTH_FLOW : values.SF_AUTH_FLOW, same),
  );
  problems.push(...ldapCrossFieldProblems(given, same));
  const more = readMoreOrgs(env);
  problems.push(...more.problems);
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const config = toConfig(parsed.data);
  if (more.orgs.length > 0) config.orgs = more.orgs;
  return config;
}

function toConfig(v: ParsedVariables): Config {
  const config: Config = {
    port: v.PORT,
    host: v.HOST,
    publicUrl: v.PUBLIC_URL ?? defaultPublicUrl(v.HOST, v.PORT),
    preparedStatements: v.DATABASE_PREPARED_STATEMENTS,
    databaseConnectTimeoutMs: v.DATABASE_CONNECT_TIMEOUT_MS,
    dataDir: v.SWITCHBOARD_DATA_DIR,
    logLevel: v.LOG_LEVEL,
    defaultCountry: v.DEFAULT_PHONE_COUNTRY,
    writeback: { batchSize: v.WRITEBACK_BATCH_SIZE, intervalMs: v.WRITEBACK_INTERVAL_MS },
    calls: {
      extensionDigits: v.CALLS_EXTENSION_DIGITS,
      tasks: v.CALLS_TASKS,
      userExtensionField: v.CALLS_USER_EXTENSION_FIELD,
    },
  };
  if (v.DATABASE_URL !== undefined) config.databaseUrl = v.DATABASE_URL;
  if (v.SWITCHBOARD_API_TOKEN !== undefined) config.apiToken = v.SWITCHBOARD_API_TOKEN;
  const ldap = toLdapConfig(v);
  if (ldap) config.ldap = ldap;
  const sf = toSalesforceConfig(v);
  if (sf) config.salesforce = sf;
  return config;
}

/** Every org connection the configuration names: the primary one first, then the SF_ORG_<ID>_* ones. */
export function orgConnectionsOf(config: Config): OrgConnectionConfig[] {
  return [...(config.salesforce ? [{ id: PRIMARY_ORG_ID, ...config.salesforce }] : []), ...(config.orgs ?? [])];
}
