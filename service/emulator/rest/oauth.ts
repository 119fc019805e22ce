import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { EmulatedOrg } from '../org/org';
import type { SfRecord } from '../org/store';
import { bearerToken } from './auth';
import { identityBody, identityUrl, userInfoBody } from './identity';
import { OAuthError, verifyJwtAssertion } from './jwt';
import { isPlainObject } from './params';
import type { RestContext } from './rest-context';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const SALESFORCE_LOGIN_HOSTS = ['https://login.salesforce.com', 'https://test.salesforce.com'];

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const formDecode = (part: string): string => {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return part;
  }
};

/** Client credentials from the form, or from HTTP Basic (RFC 6749 §2.3.1: form-urlencoded parts). */
function clientCredentials(req: Request, form: Record<string, unknown>): { id?: string; secret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      return {
        id: formDecode(decoded.slice(0, colon)),
        secret: formDecode(decoded.slice(colon + 1)),
      };
    }
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return { id: str(form.client_id), secret: str(form.client_secret) };
}

function findActiveUser(org: EmulatedOrg, username: string): SfRecord | undefined {
  const wanted = username.toLowerCase();
  for (const user of org.store.scan('User')) {
    if (typeof user.Username === 'string' && user.Username.toLowerCase() === wanted) {
      return user.IsActive === true ? user : undefined;
    }
  }
  return undefined;
}

/** Which user a token request runs as, per grant type; throws OAuthError as Salesforce answers. */
function grantUser(ctx: RestContext, req: Request, form: Record<string, unknown>): string {
  const { org } = ctx;
  switch (form.grant_type) {
    case 'client_credentials': {
      const { id, secret } = clientCredentials(req, form);
      if (!id || id !== org.clientId) throw new OAuthError('invalid_client_id', 'client identifier invalid');
      if (!secret || !sameSecret(secret, org.clientSecret)) {
        throw new OAuthError('invalid_client', 'invalid client credentials');
      }
      return org.integrationUser.userId;
    }
    case JWT_BEARER: {
      if (typeof form.assertion !== 'string' || form.assertion.length === 0) {
        throw new OAuthError('invalid_grant', 'invalid assertion: the assertion parameter is missing');
      }
      const username = verifyJwtAssertion(form.assertion, {
        publicKeyPem: org.jwtKeys.publicKeyPem,
        clientId: org.clientId,
        audiences: [ctx.baseUrl(), ...SALESFORCE_LOGIN_HOSTS],
      });
      const user = findActiveUser(org, username);
      if (!user)
        throw new OAuthError('invalid_grant', `user hasn't approved this consumer (no active user ${username})`);
      return user.Id;
    }
    case 'refresh_token':
      // The emulator issues no refresh tokens, as Salesforce issues none for these two flows.
      throw new OAuthError('invalid_grant', 'expired access/refresh token');
    case undefined:
      throw new OAuthError('unsupported_grant_type', 'grant type not supported: grant_type is missing');
    default:
      throw new OAuthError('unsupported_grant_type', `grant type not supported: ${String(form.grant_type)}`);
  }
}

function tokenResponse(ctx: RestContext, userId: string): Record<string, string> {
  const { accessToken, issuedAt } = ctx.org.issueToken(userId);
  const id = identityUrl(ctx.baseUrl(), ctx.org, userId);
  const issued = String(issuedAt);
  // Salesforce signs id + issued_at with the consumer secret so clients can check the response.
  const signature = createHmac('sha256', ctx.org.clientSecret)
    .update(id + issued)
    .digest('base64');
  return {
    access_token: accessToken,
    signature,
    scope: 'api',
    instance_url: ctx.baseUrl(),
    id,
    token_type: 'Bearer',
    issued_at: issued,
  };
}

/** The user behind the request's access token, or undefined (Salesforce answers 403 Bad_OAuth_Token). */
function tokenUser(ctx: RestContext, req: Request): SfRecord | undefined {
  const token = bearerToken(req) ?? (typeof req.query.oauth_token === 'string' ? req.query.oauth_token : undefined);
  const actor = token ? ctx.org.verifyToken(token) : undefined;
  return actor ? ctx.org.store.get('User', actor.userId) : undefined;
}

function sendBadToken(res: Response): void {
  res.status(403).type('text/plain').send('Bad_OAuth_Token');
}

/** `/services/oauth2/token`, `/services/oauth2/userinfo` and the identity URL `/id/<org>/<user>`. */
export function oauthRouter(ctx: RestContext): Router {
  const router = express.Router();
  router.post('/services/oauth2/token', express.urlencoded({ extended: false }), (req, res) => {
    const form: Record<string, unknown> = isPlainObject(req.body) ? req.body : {};
    try {
      res.status(200).json(tokenResponse(ctx, grantUser(ctx, req, form)));
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      res.status(err.status).json({ error: err.error, error_description: err.description });
    }
  });
  const userinfo = (req: Request, res: Response): void => {
    const user = tokenUser(ctx, req);
    if (!user) {
      sendBadToken(res);
      return;
    }
    res.json(userInfoBody(ctx.baseUrl(), ctx.org, user));
  };
  router.get('/services/oauth2/userinfo', userinfo);
  router.post('/services/oauth2/userinfo', userinfo);
  router.get('/id/:orgId/:userId', (req, res) => {
    const user = tokenUser(ctx, req);
    if (!user) {
      sendBadToken(res);
      return;
    }
    const target =
      req.params.orgId.slice(0, 15) === ctx.org.organizationId.slice(0, 15)
        ? ctx.org.store.get('User', req.params.userId)
        : undefined;
    if (!target) {
      res.status(404).type('text/plain').send('Bad_Id');
      return;
    }
    res.json(identityBody(ctx.baseUrl(), ctx.org, target));
  });
  return router;
}
