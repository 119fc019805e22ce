/**
 * The Salesforce org connections: the primary org from the SF_* variables (id "primary") and any number
 * of further orgs from SF_ORG_<ID>_<SETTING> variables, which take the same settings, defaults and checks
 * (SF_ORG_EMEA_CLIENT_ID is to org "emea" what SF_CLIENT_ID is to the primary org). Environment
 * variables, not a file, so secrets come the way the primary org's do (container secrets, a vault agent).
 */
import fs from 'node:fs';
import { fieldSchema, invalidValueProblems, withDefaults, type GivenVariables, type ParsedVariables } from './parse';
import type { AuthFlow, VariableName } from './variables';

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

/** One org connection with the service's own id for it (stored with every link, checkpoint and audit row). */
export interface OrgConnectionConfig extends SalesforceConfig {
  id: string;
}

/** The id of the org the SF_* variables configure. */
export const PRIMARY_ORG_ID = 'primary';

/** Per-org setting suffix → the SF_* variable whose spec it shares. */
const ORG_SETTINGS = {
  LOGIN_URL: 'SF_LOGIN_URL',
  AUTH_FLOW: 'SF_AUTH_FLOW',
  CLIENT_ID: 'SF_CLIENT_ID',
  CLIENT_SECRET: 'SF_CLIENT_SECRET',
  USERNAME: 'SF_USERNAME',
  PRIVATE_KEY: 'SF_PRIVATE_KEY',
  PRIVATE_KEY_FILE: 'SF_PRIVATE_KEY_FILE',
  API_VERSION: 'SF_API_VERSION',
  PUBSUB_ENDPOINT: 'SF_PUBSUB_ENDPOINT',
  NAMESPACE: 'SF_NAMESPACE',
  EXTRA_CA_FILE: 'SF_EXTRA_CA_FILE',
  NAME: 'SF_ORG_NAME',
} as const satisfies Record<string, VariableName>;
type OrgSetting = keyof typeof ORG_SETTINGS;
type SfVariable = (typeof ORG_SETTINGS)[OrgSetting];
const SF_VARIABLES = Object.values(ORG_SETTINGS);
const SETTING_OF = new Map<string, OrgSetting>(
  Object.entries(ORG_SETTINGS).map(([setting, name]) => [name, setting as OrgSetting]),
);

/** SF_ORG_<ID>_<SETTING>; the id is letters and digits, so the split is never ambiguous. */
const ORG_VARIABLE = /^SF_ORG_([A-Z0-9]+)_([A-Z_]+)$/;
export const ORG_VARIABLE_PATTERN = 'SF_ORG_<ID>_<SETTING>';

const sfSchema = fieldSchema.pick(
  Object.fromEntries(SF_VARIABLES.map((name) => [name, true])) as { [K in SfVariable]: true },
);
type SfParsed = Pick<ParsedVariables, SfVariable>;

/** Names of Salesforce credentials that mean "an org is meant to be configured". */
const SF_CREDENTIALS = ['SF_CLIENT_SECRET', 'SF_USERNAME', 'SF_PRIVATE_KEY', 'SF_PRIVATE_KEY_FILE'] as const;

/** Settings that only make sense together; `rename` spells each variable as the admin sets it. */
export function salesforceCrossFieldProblems(
  given: GivenVariables,
  authFlow: string | undefined,
  rename: (name: VariableName) => string,
): string[] {
  const problems: string[] = [];
  const need = (name: VariableName, why: string) => {
    if (given[name] === undefined) problems.push(`${rename(name)}: required ${why} (not set)`);
  };
  const n = rename;
  if (given.SF_CLIENT_ID === undefined) {
    const strays = SF_CREDENTIALS.filter((name) => given[name] !== undefined).map(n);
    if (strays.length > 0)
      need(
        'SF_CLIENT_ID',
        `because ${strays.join(', ')} ${strays.length > 1 ? 'are' : 'is'} set (half-configured org)`,
      );
    return problems;
  }
  if (authFlow === 'client_credentials') {
    need('SF_CLIENT_SECRET', `when ${n('SF_CLIENT_ID')} is set and ${n('SF_AUTH_FLOW')} is client_credentials`);
  } else if (authFlow === 'jwt') {
    need('SF_USERNAME', `when ${n('SF_AUTH_FLOW')} is jwt`);
    if (given.SF_PRIVATE_KEY === undefined && given.SF_PRIVATE_KEY_FILE === undefined) {
      problems.push(
        `${n('SF_PRIVATE_KEY')}: required (or ${n('SF_PRIVATE_KEY_FILE')}) when ${n('SF_AUTH_FLOW')} is jwt (not set)`,
      );
    }
  }
  if (given.SF_PRIVATE_KEY !== undefined && given.SF_PRIVATE_KEY_FILE !== undefined) {
    problems.push(
      `${n('SF_PRIVATE_KEY_FILE')}: set either ${n('SF_PRIVATE_KEY')} or ${n('SF_PRIVATE_KEY_FILE')}, not both (both set)`,
    );
  }
  return problems;
}

/** The org connection the parsed SF_* values describe, or undefined when they configure none (no client id). */
export function toSalesforceConfig(v: SfParsed): SalesforceConfig | undefined {
  if (v.SF_CLIENT_ID === undefined) return undefined;
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
  const privateKey =
    v.SF_PRIVATE_KEY ?? (v.SF_PRIVATE_KEY_FILE ? fs.readFileSync(v.SF_PRIVATE_KEY_FILE, 'utf8') : undefined);
  if (privateKey !== undefined) sf.privateKey = privateKey;
  if (v.SF_EXTRA_CA_FILE !== undefined) sf.extraCaFile = v.SF_EXTRA_CA_FILE;
  return sf;
}

/** The SF_ORG_<ID>_* variables, grouped by org id (upper case as written), and the names that fit no setting. */
function groupOrgVariables(env: NodeJS.ProcessEnv): { groups: Map<string, GivenVariables>; unknown: string[] } {
  const groups = new Map<string, GivenVariables>();
  const unknown: string[] = [];
  for (const key of Object.keys(env).sort()) {
    if (!key.startsWith('SF_ORG_') || key === 'SF_ORG_NAME') continue;
    const value = env[key]?.trim();
    if (!value) continue;
    const match = ORG_VARIABLE.exec(key);
    const setting = match && (match[2] in ORG_SETTINGS ? (match[2] as OrgSetting) : undefined);
    if (!match || !setting) {
      unknown.push(key);
      continue;
    }
    const group = groups.get(match[1]) ?? {};
    group[ORG_SETTINGS[setting]] = value;
    groups.set(match[1], group);
  }
  return { groups, unknown };
}

/** Every SF_ORG_<ID>_* org, in id order, with every problem found (each names the variable and the org). */
export function readMoreOrgs(env: NodeJS.ProcessEnv): { orgs: OrgConnectionConfig[]; problems: string[] } {
  const { groups, unknown } = groupOrgVariables(env);
  const problems = unknown.map(
    (key) =>
      `${key}: not a setting of an org; expects ${ORG_VARIABLE_PATTERN} with an id of letters and digits and a setting among ${Object.keys(ORG_SETTINGS).join(', ')}`,
  );
  const orgs: OrgConnectionConfig[] = [];
  for (const [upperId, given] of groups) {
    const id = upperId.toLowerCase();
    const rename = (name: VariableName) => `SF_ORG_${upperId}_${SETTING_OF.get(name) ?? name}`;
    const forOrg = (problem: string) => problem.replace(/^(\S+):/, `$1 (org "${id}"):`);
    if (id === PRIMARY_ORG_ID) {
      problems.push(
        forOrg(
          `${rename('SF_CLIENT_ID')}: the id ${upperId} belongs to the org of the SF_* variables; choose another id`,
        ),
      );
      continue;
    }
    if (given.SF_CLIENT_ID === undefined) {
      const set = Object.keys(given).map((name) => `SF_ORG_${upperId}_${SETTING_OF.get(name)}`);
      problems.push(
        forOrg(
          `${rename('SF_CLIENT_ID')}: required because ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set (half-configured org) (not set)`,
        ),
      );
      continue;
    }
    const values = withDefaults({ SF_ORG_NAME: `Salesforce org ${id}`, ...given }, SF_VARIABLES);
    const parsed = sfSchema.safeParse(values);
    const orgProblems = parsed.success ? [] : invalidValueProblems(parsed.error, values, rename);
    orgProblems.push(
      ...salesforceCrossFieldProblems(given, parsed.success ? parsed.data.SF_AUTH_FLOW : values.SF_AUTH_FLOW, rename),
    );
    problems.push(...orgProblems.map(forOrg));
    const sf = parsed.success && orgProblems.length === 0 ? toSalesforceConfig(parsed.data) : undefined;
    if (sf) orgs.push({ id, ...sf });
  }
  return { orgs, problems };
}
