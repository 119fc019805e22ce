import { createVerify, generateKeyPairSync } from 'node:crypto';
import { signJwtAssertion } from '../../src/salesforce/jwt';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('signJwtAssertion', () => {
  const now = Date.UTC(2024, 0, 1, 12, 0, 0, 500);
  const token = signJwtAssertion({
    clientId: '3MVGclient',
    username: 'integration@example.com',
    loginUrl: 'https://login.salesforce.com//',
    privateKeyPem,
    now,
  });
  const [header, claims, signature] = token.split('.');

  it('has an RS256 header and the Salesforce claims', () => {
    expect(token.split('.')).toHaveLength(3);
    expect(decodePart(header)).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(decodePart(claims)).toEqual({
      iss: '3MVGclient',
      sub: 'integration@example.com',
      aud: 'https://login.salesforce.com',
      exp: Math.floor(now / 1000) + 180,
    });
  });

  it('is signed with the private key', () => {
    const verify = (key: typeof publicKey) =>
      createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(key, Buffer.from(signature, 'base64url'));
    expect(verify(publicKey)).toBe(true);
    expect(verify(other)).toBe(false);
  });

  it('honours a custom lifetime', () => {
    const short = signJwtAssertion({
      clientId: 'c',
      username: 'u',
      loginUrl: 'https://test.salesforce.com',
      privateKeyPem,
      now,
      lifetimeSeconds: 60,
    });
    expect(decodePart(short.split('.')[1]).exp).toBe(Math.floor(now / 1000) + 60);
  });
});
