import { ConfigError, loadConfig } from '../../src/config';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('LDAP mirror configuration', () => {
  it('is off unless LDAP_URL is set', () => {
    expect(loadConfig({}).ldap).toBeUndefined();
  });

  it('reads the URL, bind DN, password and base DN', () => {
    const config = loadConfig({
      LDAP_URL: 'ldap://ldap.example.com:389/',
      LDAP_BIND_DN: 'cn=switchboard,dc=example,dc=com',
      LDAP_BIND_PASSWORD: 'hunter2-secret',
      LDAP_BASE_DN: 'ou=phonebook,dc=example,dc=com',
    });
    expect(config.ldap).toEqual({
      url: 'ldap://ldap.example.com:389',
      bindDn: 'cn=switchboard,dc=example,dc=com',
      bindPassword: 'hunter2-secret',
      baseDn: 'ou=phonebook,dc=example,dc=com',
    });
  });

  it('names each variable that is missing or wrong, never showing the password', () => {
    expect(problemsOf({ LDAP_URL: 'ldap://h' })).toEqual([
      expect.stringMatching(/^LDAP_BASE_DN: required when LDAP_URL/),
    ]);
    expect(problemsOf({ LDAP_URL: 'http://h', LDAP_BASE_DN: 'ou=x' })).toEqual([
      expect.stringMatching(/^LDAP_URL: expects an ldap:\/\/ or ldaps:\/\/ URL/),
    ]);
    const problems = problemsOf({ LDAP_BIND_PASSWORD: 'hunter2-secret', LDAP_BASE_DN: 'not a dn' });
    expect(problems.join('\n')).not.toContain('hunter2-secret');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^LDAP_BASE_DN: expects a DN/),
        expect.stringMatching(/^LDAP_BIND_DN: required when LDAP_BIND_PASSWORD/),
        expect.stringMatching(/^LDAP_URL: required when/),
      ]),
    );
  });
});
