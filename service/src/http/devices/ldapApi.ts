import { Router } from 'express';
import type { LdapMirror } from '../../ldapMirror/mirror';
import { ApiError } from '../errors';

export interface LdapApiOptions {
  /** The service's LDAP mirror; absent when LDAP_URL is unset. */
  ldapMirror?: Pick<LdapMirror, 'requestResync' | 'status'>;
}

/**
 * POST /ldap/resync starts a full resync of the LDAP mirror (every contact written again where it differs, then
 * entries the directory no longer has removed); it runs in the background and resumes after a restart. GET
 * /ldap/status shows the mirror's health and the resync's progress. Both 409 when no mirror is configured.
 */
export function ldapApi(options: LdapApiOptions): Router {
  const router = Router();
  const mirror = () => {
    if (!options.ldapMirror) {
      throw new ApiError(409, 'ldap_not_configured', 'the LDAP mirror is off: set LDAP_URL and LDAP_BASE_DN', {
        field: 'LDAP_URL',
      });
    }
    return options.ldapMirror;
  };
  router.post('/ldap/resync', async (_req, res) => {
    const ldap = mirror();
    await ldap.requestResync('requested through the REST API');
    res.status(202).json(await ldap.status());
  });
  router.get('/ldap/status', async (_req, res) => {
    res.json(await mirror().status());
  });
  return router;
}
