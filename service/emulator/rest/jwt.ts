import { createPublicKey, verify } from 'node:crypto';

/** An OAuth token-endpoint failure: HTTP 400 with `{ error, error_description }`, as Salesforce answers. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(`${error}: ${description}`);
  }
}

export interface JwtExpectations {
  publicKeyPem: string;
  clientId: string;
  /** Accepted `aud` values: the emulator's login URL and Salesforce's own login hosts. */
  audiences: string[];
  nowMs?: number;
}

interface JwtClaims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
}

const invalidAssertion = (why: string): OAuthError => new OAuthError('invalid_grant', `invalid assertion: ${why}`);

function decodePart(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw invalidAssertion(`the JWT ${what} is not base64url-encoded JSON`);
}

const normaliseAudience = (aud: string): string => aud.replace(/\/+$/, '').toLowerCase();

/**
 * Checks a JWT bearer assertion the way Salesforce's token endpoint does: RS256 signature by the
 * connected app's certificate, `iss` = consumer key, `aud` = a login URL, `exp` in the future.
 * Returns the username in `sub`; the caller checks that user exists and is active.
 */
export function verifyJwtAssertion(assertion: string, expected: JwtExpectations): string {
  const parts = assertion.split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) {
    throw invalidAssertion('expected three dot-separated parts (header.claims.signature)');
  }
  const [headerPart, claimsPart, signaturePart] = parts;
  const header = decodePart(headerPart, 'header');
  if (header.alg !== 'RS256') throw invalidAssertion(`alg must be RS256, got ${String(header.alg)}`);
  const claims = decodePart(claimsPart, 'claims') as JwtClaims;
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${headerPart}.${claimsPart}`),
    createPublicKey(expected.publicKeyPem),
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!signed) throw invalidAssertion("the signature does not match the connected app's certificate");
  if (claims.iss !== expected.clientId) throw new OAuthError('invalid_client_id', 'client identifier invalid');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const accepted = new Set(expected.audiences.map(normaliseAudience));
  if (!audiences.some((aud) => typeof aud === 'string' && accepted.has(normaliseAudience(aud)))) {
    throw new OAuthError('invalid_grant', 'audience is invalid');
  }
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp))
    throw invalidAssertion('exp must be a number of seconds');
  if (claims.exp * 1000 <= (expected.nowMs ?? Date.now())) throw invalidAssertion('the assertion has expired (exp)');
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw invalidAssertion('sub must name a username');
  return claims.sub;
}
