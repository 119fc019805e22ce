/** The LDAP mirror's settings (LDAP_* variables): off unless LDAP_URL is set. */
import type { GivenVariables, ParsedVariables } from './parse';
import type { VariableName } from './variables';

export interface LdapConfig {
  url: string;
  bindDn?: string;
  /** Secret: never logged. */
  bindPassword?: string;
  baseDn: string;
}

/** "NAME: …" for settings that only make sense together; `rename` spells the name as the admin set it. */
export function ldapCrossFieldProblems(given: GivenVariables, rename: (name: VariableName) => string): string[] {
  const problems: string[] = [];
  if (given.LDAP_URL !== undefined && given.LDAP_BASE_DN === undefined) {
    problems.push(`${rename('LDAP_BASE_DN')}: required when LDAP_URL is set (where the entries go)`);
  }
  if (given.LDAP_BIND_PASSWORD !== undefined && given.LDAP_BIND_DN === undefined) {
    problems.push(`${rename('LDAP_BIND_DN')}: required when LDAP_BIND_PASSWORD is set (who binds with it)`);
  }
  if (given.LDAP_URL === undefined) {
    const orphans = (['LDAP_BIND_DN', 'LDAP_BIND_PASSWORD', 'LDAP_BASE_DN'] as const).filter(
      (n) => given[n] !== undefined,
    );
    if (orphans.length > 0) {
      problems.push(`${rename('LDAP_URL')}: required when ${orphans.join(', ')} is set (the mirror is off without it)`);
    }
  }
  return problems;
}

export function toLdapConfig(v: ParsedVariables): LdapConfig | undefined {
  if (v.LDAP_URL === undefined || v.LDAP_BASE_DN === undefined) return undefined;
  const config: LdapConfig = { url: v.LDAP_URL, baseDn: v.LDAP_BASE_DN.trim() };
  if (v.LDAP_BIND_DN !== undefined) config.bindDn = v.LDAP_BIND_DN.trim();
  if (v.LDAP_BIND_PASSWORD !== undefined) config.bindPassword = v.LDAP_BIND_PASSWORD;
  return config;
}
