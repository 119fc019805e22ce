/** What the service can be configured with: each variable's default, documentation and validation. */
import fs from 'node:fs';
import path from 'node:path';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const AUTH_FLOWS = ['client_credentials', 'jwt'] as const;
export type AuthFlow = (typeof AUTH_FLOWS)[number];

export interface ConfigVariableRow {
  name: string;
  /** null: no default (the variable is optional or required by another setting). */
  default: string | null;
  example: string;
  description: string;
}

type Shown = 'plain' | 'secret' | 'url-with-password';

export interface VariableSpec {
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
const existingFile = z
  .string()
  .transform((p) => path.resolve(p))
  .refine(isReadableFile);

function isReadableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The service's environment variables: the single source for parsing, error messages and the README table. */
export const VARIABLES = {
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
  DATABASE_PREPARED_STATEMENTS: {
    default: 'true',
    example: 'false',
    description:
      "Prepare each statement once per database connection (faster). Set false behind a pooler that hands a session's statements to other clients (PgBouncer in transaction mode before 1.21).",
    expects: 'true or false',
    schema: z.enum(['true', 'false']).transform((v) => v === 'true'),
  },
  DATABASE_CONNECT_TIMEOUT_MS: {
    default: '10000',
    example: '3000',
    description:
      'How long opening a PostgreSQL connection may take, in milliseconds, before it counts as the database being unavailable (a host that drops packets would otherwise hold requests for ever).',
    expects: 'an integer from 100 to 600000',
    schema: intBetween(100, 600_000),
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
  CALLS_TASKS: {
    default: 'on',
    example: 'off',
    description:
      'Log calls matched to a Salesforce record as Tasks, as each sync\'s call logging settings say (directions, missed calls, minimum duration; see "Calls"): `on`, or `off` to log no Task from this service whatever the syncs say.',
    expects: 'on or off',
    schema: z.enum(['on', 'off']),
  },
  CALLS_EXTENSION_DIGITS: {
    default: '6',
    example: '4',
    description:
      'Longest number that is one of the PBX\'s extensions (digits only): tells internal, inbound and outbound calls apart in PBX records that do not say (see "Calls").',
    expects: 'an integer from 1 to 15',
    schema: intBetween(1, 15),
  },
  CALLS_USER_EXTENSION_FIELD: {
    default: 'Extension',
    example: 'Desk_Extension__c',
    description:
      'The User field that holds each Salesforce user\'s extension, for calls owned by the user whose extension took them and for internal calls (see "Calls"): the standard `Extension`, or a field of your own.',
    expects: 'a User field API name',
    schema: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/),
  },
  LDAP_URL: {
    default: null,
    example: 'ldap://127.0.0.1:389',
    description:
      'OpenLDAP server the directory is mirrored into for phones that search LDAP (see "LDAP"). Unset: no mirror. Needs LDAP_BASE_DN.',
    expects: 'an ldap:// or ldaps:// URL (host and port only)',
    schema: z.url({ protocol: /^ldaps?$/ }).transform((u) => u.replace(/\/+$/, '')),
  },
  LDAP_BIND_DN: {
    default: null,
    example: 'cn=switchboard,dc=example,dc=com',
    description: 'DN the mirror binds as (it adds, modifies and deletes entries under LDAP_BASE_DN). Unset: anonymous.',
    expects: 'a DN like cn=switchboard,dc=example,dc=com',
    schema: z.string().regex(/^[A-Za-z][\w-]*=.+/),
  },
  LDAP_BIND_PASSWORD: {
    default: null,
    example: '(secret)',
    description: 'Password of LDAP_BIND_DN.',
    expects: "the bind DN's password",
    shown: 'secret',
    schema: z.string(),
  },
  LDAP_BASE_DN: {
    default: null,
    example: 'ou=phonebook,dc=example,dc=com',
    description:
      'Where the mirrored entries live (uid=<contact id>,LDAP_BASE_DN); created when missing. Point phones at it. Nothing else should be written below it.',
    expects: 'a DN like ou=phonebook,dc=example,dc=com',
    schema: z.string().regex(/^[A-Za-z][\w-]*=.+/),
  },
} satisfies Record<string, VariableSpec>;

export type VariableName = keyof typeof VARIABLES;

function isPemPrivateKey(text: string): boolean {
  return /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/.test(text);
}

/** The README row for the further orgs' variables (config/salesforce.ts reads them). */
const MORE_ORGS_ROW: ConfigVariableRow = {
  name: 'SF_ORG_<ID>_<SETTING>',
  default: null,
  example: 'SF_ORG_EMEA_CLIENT_ID=3MVG9...',
  description:
    'One more org per <ID> (letters and digits; the org is called by the id in lower case). <SETTING> is any SF_* name ' +
    'above without SF_ (LOGIN_URL, AUTH_FLOW, CLIENT_ID, CLIENT_SECRET, USERNAME, PRIVATE_KEY, PRIVATE_KEY_FILE, ' +
    'API_VERSION, PUBSUB_ENDPOINT, NAMESPACE, EXTRA_CA_FILE) or NAME, with the same defaults and checks. The SF_* ' +
    'variables themselves configure the org "primary".',
};

/** Rows for the README's configuration table. */
export function describeConfig(): ConfigVariableRow[] {
  const rows = Object.entries(VARIABLES).map(([name, spec]) => ({
    name,
    default: spec.default,
    example: spec.example,
    description: spec.description,
  }));
  const afterSalesforce = rows.findIndex((row) => row.name === 'SF_ORG_NAME') + 1;
  return [...rows.slice(0, afterSalesforce), MORE_ORGS_ROW, ...rows.slice(afterSalesforce)];
}
