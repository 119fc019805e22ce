import { Writable } from 'node:stream';
import { createLogger, REDACTED, SECRET_KEYS } from '../src/log';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const SECRET = 'S3CRET-value-that-must-not-leak';

describe('createLogger', () => {
  it('redacts every secret key at the top level and nested up to four levels', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', name: 'test' }, out.stream);
    for (const key of SECRET_KEYS) {
      logger.info({ [key]: SECRET }, 'top');
      logger.info({ a: { [key]: SECRET } }, 'one');
      logger.info({ a: { b: { [key]: SECRET } } }, 'two');
      logger.info({ a: { b: { c: { [key]: SECRET } } } }, 'three');
    }
    const text = out.text();
    expect(text).not.toContain(SECRET);
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(SECRET_KEYS.length * 4);
    expect(lines[0]).toMatchObject({ [SECRET_KEYS[0]]: REDACTED, name: 'test', msg: 'top' });
  });

  it('redacts request headers and OAuth bodies the way clients log them', () => {
    const out = capture();
    const logger = createLogger({ level: 'debug' }, out.stream);
    logger.debug({ req: { headers: { authorization: `Bearer ${SECRET}`, cookie: `sid=${SECRET}`, accept: 'json' } } });
    logger.debug({ response: { body: { access_token: SECRET, instance_url: 'https://x' } } });
    logger.debug({ conn: { oauth2: { clientSecret: SECRET, clientId: 'visible-id' }, accessToken: SECRET } });
    logger.debug({ jwt: { assertion: SECRET }, user: { password: SECRET } });
    const text = out.text();
    expect(text).not.toContain(SECRET);
    expect(text).toContain('visible-id');
    expect(text).toContain('"accept":"json"');
    expect(text).toContain('https://x');
  });

  it('honours the level', () => {
    const out = capture();
    const logger = createLogger({ level: 'warn' }, out.stream);
    logger.info('hidden');
    logger.warn('shown');
    expect(out.text()).not.toContain('hidden');
    expect(out.text()).toContain('shown');
  });
});
