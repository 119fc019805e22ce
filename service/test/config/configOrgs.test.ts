import { ConfigError, loadConfig, orgConnectionsOf } from '../../src/config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const PRIMARY = { SF_CLIENT_ID: 'primary-id', SF_CLIENT_SECRET: 'primary-secret' };

describe('several orgs (SF_ORG_<ID>_<SETTING>)', () => {
  it('keeps the SF_* org as "primary" and adds one org per id, with the same defaults', () => {
    const config = loadConfig({
      ...PRIMARY,
      SF_ORG_EMEA_CLIENT_ID: 'emea-id',
      SF_ORG_EMEA_CLIENT_SECRET: 'emea-secret',
      SF_ORG_EMEA_LOGIN_URL: 'https://emea.my.salesforce.com/',
      SF_ORG_EMEA_NAME: 'EMEA',
      SF_ORG_APAC2_CLIENT_ID: 'apac-id',
      SF_ORG_APAC2_CLIENT_SECRET: 'apac-secret',
      SF_ORG_APAC2_NAMESPACE: 'swb',
    });
    expect(orgConnectionsOf(config).map((o) => [o.id, o.orgName, o.clientId])).toEqual([
      ['primary', 'Salesforce org', 'primary-id'],
      ['apac2', 'Salesforce org apac2', 'apac-id'],
      ['emea', 'EMEA', 'emea-id'],
    ]);
    expect(config.orgs?.find((o) => o.id === 'emea')).toEqual({
      id: 'emea',
      loginUrl: 'https://emea.my.salesforce.com',
      authFlow: 'client_credentials',
      clientId: 'emea-id',
      clientSecret: 'emea-secret',
      apiVersion: '62.0',
      pubSubEndpoint: 'api.pubsub.salesforce.com:7443',
      namespace: '',
      orgName: 'EMEA',
    });
  });

  it('runs further orgs without a primary one', () => {
    const config = loadConfig({ SF_ORG_B_CLIENT_ID: 'b', SF_ORG_B_CLIENT_SECRET: 's' });
    expect(config.salesforce).toBeUndefined();
    expect(orgConnectionsOf(config).map((o) => o.id)).toEqual(['b']);
  });

  it('names the variable and the org in every problem, without echoing secrets', () => {
    const problems = problemsOf({
      SF_ORG_EMEA_CLIENT_ID: 'emea-id',
      SF_ORG_EMEA_LOGIN_URL: 'not a url',
      SF_ORG_EMEA_AUTH_FLOW: 'jwt',
      SF_ORG_EMEA_PRIVATE_KEY: 'secret-material',
      SF_ORG_APAC_CLIENT_SECRET: 'apac-secret',
    });
    expect(problems).toEqual([
      'SF_ORG_APAC_CLIENT_ID (org "apac"): required because SF_ORG_APAC_CLIENT_SECRET is set (half-configured org) (not set)',
      'SF_ORG_EMEA_LOGIN_URL (org "emea"): expects an http(s) URL (got "not a url")',
      expect.stringMatching(/^SF_ORG_EMEA_PRIVATE_KEY \(org "emea"\): expects a PEM private key .*\(set\)$/),
      'SF_ORG_EMEA_USERNAME (org "emea"): required when SF_ORG_EMEA_AUTH_FLOW is jwt (not set)',
    ]);
    expect(problems.join('\n')).not.toMatch(/secret-material|apac-secret/);
  });

  it('wants the secret of a client-credentials org, spelled with its own variable names', () => {
    expect(problemsOf({ SF_ORG_X_CLIENT_ID: 'x' })).toEqual([
      'SF_ORG_X_CLIENT_SECRET (org "x"): required when SF_ORG_X_CLIENT_ID is set and SF_ORG_X_AUTH_FLOW is client_credentials (not set)',
    ]);
  });

  it('rejects unknown settings, ids that are not letters and digits, and the reserved id', () => {
    const problems = problemsOf({
      SF_ORG_EMEA_LOGINURL: 'x',
      SF_ORG_EM_EA_CLIENT_ID: 'y',
      SF_ORG_PRIMARY_CLIENT_ID: 'z',
      SF_ORG_PRIMARY_CLIENT_SECRET: 's',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'SF_ORG_EMEA_LOGINURL',
      'SF_ORG_EM_EA_CLIENT_ID',
      'SF_ORG_PRIMARY_CLIENT_ID (org "primary")',
    ]);
    expect(problems[0]).toMatch(/expects SF_ORG_<ID>_<SETTING> .*LOGIN_URL/);
    expect(problems[2]).toMatch(/belongs to the org of the SF_\* variables/);
  });

  it("leaves SF_ORG_NAME (the primary org's display name) alone", () => {
    expect(loadConfig({ ...PRIMARY, SF_ORG_NAME: 'Acme' }).salesforce?.orgName).toBe('Acme');
    expect(loadConfig({ ...PRIMARY, SF_ORG_NAME: 'Acme' }).orgs).toBeUndefined();
  });
});
