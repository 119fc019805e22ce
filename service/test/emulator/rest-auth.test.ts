import { createSign, generateKeyPairSync } from 'node:crypto';
import { Connection } from 'jsforce';
import { API_VERSION, rejectionOf, startRestHarness, type RestHarness } from './rest-harness';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function signJwt(
  claims: Record<string, unknown>,
  privateKeyPem: string,
  header: Record<string, unknown> = { alg: 'RS256' },
): string {
  const encode = (part: Record<string, unknown>): string => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKeyPem).toString('base64url');
  return `${unsigned}.${signature}`;
}

const FOREIGN_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const inSeconds = (seconds: number): number => Math.floor(Date.now() / 1000) + seconds;

const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };

describe('emulator REST: OAuth and sessions', () => {
  let h: RestHarness;
  beforeAll(async () => {
    h = await startRestHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const jwtFor = (overrides: Record<string, unknown> = {}, key?: string): string =>
    signJwt(
      { iss: h.org.clientId, sub: 'admin@example.com', aud: h.url, exp: inSeconds(300), ...overrides },
      key ?? h.org.jwtKeys.privateKeyPem,
    );

  it('authorises jsforce with client credentials as the integration user', async () => {
    const conn = new Connection({
      version: API_VERSION,
      oauth2: { clientId: h.org.clientId, clientSecret: h.org.clientSecret, loginUrl: h.url },
    });
    const userInfo = await conn.authorize({ grant_type: 'client_credentials' });
    expect(userInfo.organizationId).toBe(h.org.organizationId);
    expect(userInfo.id).toBe(h.org.integrationUser.userId);
    expect(conn.instanceUrl).toBe(h.url);
    expect(conn.accessToken).toMatch(new RegExp(`^${h.org.organizationId.slice(0, 15)}!`));
    const created = await conn.sobject('Contact').create({ LastName: 'Via Client Credentials' });
    expect(created.success).toBe(true);
    const record = await conn.sobject('Contact').retrieve(created.id as string);
    expect(record.CreatedById).toBe(h.org.integrationUser.userId);
  });

  it('accepts client credentials in HTTP Basic and returns the documented token shape', async () => {
    const basic = Buffer.from(`${h.org.clientId}:${h.org.clientSecret}`).toString('base64');
    const res = await h.request('POST', '/services/oauth2/token', {
      headers: { ...FORM_HEADERS, authorization: `Basic ${basic}` },
      body: form({ grant_type: 'client_credentials' }),
    });
    expect(res.status).toBe(200);
    const body = res.json() as Record<string, string>;
    expect(body).toEqual({
      access_token: expect.any(String),
      signature: expect.any(String),
      scope: 'api',
      instance_url: h.url,
      id: `${h.url}/id/${h.org.organizationId}/${h.org.integrationUser.userId}`,
      token_type: 'Bearer',
      issued_at: expect.stringMatching(/^\d{13}$/),
    });
  });

  it('refuses bad client credentials and unknown grant types as Salesforce does', async () => {
    const wrongSecret = new Connection({
      version: API_VERSION,
      oauth2: { clientId: h.org.clientId, clientSecret: 'nope', loginUrl: h.url },
    });
    const secretError = await rejectionOf(wrongSecret.authorize({ grant_type: 'client_credentials' }));
    expect(secretError.name).toBe('invalid_client');

    const wrongId = new Connection({
      version: API_VERSION,
      oauth2: { clientId: 'other', clientSecret: h.org.clientSecret, loginUrl: h.url },
    });
    expect((await rejectionOf(wrongId.authorize({ grant_type: 'client_credentials' }))).name).toBe('invalid_client_id');

    const res = await h.request('POST', '/services/oauth2/token', {
      headers: FORM_HEADERS,
      body: form({ grant_type: 'password' }),
    });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: expect.stringContaining('password'),
    });
  });

  it('authorises a JWT bearer assertion signed with the connected app key as the named user', async () => {
    const conn = new Connection({ version: API_VERSION, oauth2: { clientId: h.org.clientId, loginUrl: h.url } });
    const userInfo = await conn.authorize({ grant_type: JWT_BEARER, assertion: jwtFor() });
    expect(userInfo.id).toBe(h.org.adminUser.userId);
    const created = await conn.sobject('Lead').create({ LastName: 'Jwt', Company: 'Bearer Inc' });
    const lead = await conn.sobject('Lead').retrieve(created.id as string);
    expect(lead.CreatedById).toBe(h.org.adminUser.userId);
  });

  it("accepts Salesforce's own login hosts as JWT audience", async () => {
    const res = await h.request('POST', '/services/oauth2/token', {
      headers: FORM_HEADERS,
      body: form({ grant_type: JWT_BEARER, assertion: jwtFor({ aud: 'https://test.salesforce.com' }) }),
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['a foreign signing key', {}, FOREIGN_KEY, 'invalid_grant', /signature/],
    ['an expired assertion', { exp: inSeconds(-10) }, undefined, 'invalid_grant', /exp/],
    ['another audience', { aud: 'https://example.com' }, undefined, 'invalid_grant', /audience/],
    ['an unknown user', { sub: 'nobody@example.com' }, undefined, 'invalid_grant', /nobody@example.com/],
    ['another consumer key', { iss: 'someone-else' }, undefined, 'invalid_client_id', /client identifier/],
  ])('refuses a JWT with %s', async (_label, claims, key, error, description) => {
    const res = await h.request('POST', '/services/oauth2/token', {
      headers: FORM_HEADERS,
      body: form({ grant_type: JWT_BEARER, assertion: jwtFor(claims, key) }),
    });
    expect(res.status).toBe(400);
    const body = res.json() as { error: string; error_description: string };
    expect(body.error).toBe(error);
    expect(body.error_description).toMatch(description);
  });

  it('refuses a malformed assertion with a clear description', async () => {
    const res = await h.request('POST', '/services/oauth2/token', {
      headers: FORM_HEADERS,
      body: form({ grant_type: JWT_BEARER, assertion: 'not-a-jwt' }),
    });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_grant',
      error_description: expect.stringContaining('three dot-separated parts'),
    });
  });

  it('serves userinfo (what the Pub/Sub client reads) and the identity URL', async () => {
    const conn = await h.connect();
    const res = await h.request('GET', '/services/oauth2/userinfo', {
      headers: { authorization: `Bearer ${conn.accessToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      organization_id: h.org.organizationId,
      user_id: h.org.integrationUser.userId,
      preferred_username: 'switchboard.integration@example.com',
      sub: `${h.url}/id/${h.org.organizationId}/${h.org.integrationUser.userId}`,
    });
    const identity = await conn.identity();
    expect(identity).toMatchObject({
      user_id: h.org.integrationUser.userId,
      organization_id: h.org.organizationId,
      username: 'switchboard.integration@example.com',
    });

    const bad = await h.request('GET', '/services/oauth2/userinfo', { headers: { authorization: 'Bearer nope' } });
    expect(bad.status).toBe(403);
  });

  it('answers 401 INVALID_SESSION_ID to missing, unknown and expired tokens', async () => {
    const missing = await h.request('GET', `/services/data/v${API_VERSION}/sobjects`);
    expect(missing.status).toBe(401);
    expect(missing.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);

    const conn = await h.connect();
    const bare = new Connection({ version: API_VERSION, instanceUrl: h.url, accessToken: conn.accessToken ?? '' });
    await bare.describeGlobal();
    await h.control('POST', '/expire-tokens');
    const err = await rejectionOf(bare.describeGlobal());
    expect(err.errorCode).toBe('INVALID_SESSION_ID');
  });

  it("lets jsforce's refreshFn re-authorise after the token expired", async () => {
    const conn = await h.connect();
    const before = conn.accessToken;
    const refreshed = new Promise<string>((resolve) => conn.on('refresh', (token: string) => resolve(token)));
    await h.control('POST', '/expire-tokens');
    const result = await conn.sobject('Contact').create({ LastName: 'After Refresh' });
    expect(result.success).toBe(true);
    const token = await refreshed;
    expect(token).not.toBe(before);
    expect(conn.accessToken).toBe(token);
  });

  it('lists API versions including 59.0 to 64.0 and 404s an unserved version', async () => {
    const res = await h.request('GET', '/services/data');
    const versions = (res.json() as { version: string; url: string; label: string }[]).map((v) => v.version);
    expect(versions).toEqual(expect.arrayContaining(['59.0', '60.0', '61.0', '62.0', '63.0', '64.0']));
    expect(res.json()).toContainEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });

    const conn = await h.connect();
    const old = await h.request('GET', '/services/data/v9.0/sobjects', {
      headers: { authorization: `Bearer ${conn.accessToken}` },
    });
    expect(old.status).toBe(404);
    expect(old.json()).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
  });
});
