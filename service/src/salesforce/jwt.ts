import { createSign } from 'node:crypto';

/**
 * The OAuth 2.0 JWT bearer assertion Salesforce expects: RS256, iss = connected app's client id,
 * sub = username, aud = login URL, short expiry. jsforce does not sign JWTs.
 */
export function signJwtAssertion(input: {
  clientId: string;
  username: string;
  loginUrl: string;
  privateKeyPem: string;
  lifetimeSeconds?: number;
  now?: number;
}): string {
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  const header = { alg: 'RS256', typ: 'JWT' };
  const claims = {
    iss: input.clientId,
    sub: input.username,
    aud: input.loginUrl.replace(/\/+$/, ''),
    exp: now + (input.lifetimeSeconds ?? 180),
  };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(input.privateKeyPem).toString('base64url');
  return `${unsigned}.${signature}`;
}
