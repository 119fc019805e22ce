import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Keys whose values must never reach a log line, wherever they sit in a logged object. Tokens and keys
 * travel through auth, HTTP and Salesforce client objects, so a careless `logger.info({ conn })` must
 * not leak them.
 */
export const SECRET_KEYS = [
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'privateKey',
  'private_key',
  'password',
  'apiToken',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'assertion',
  // Device access keys travel as the `key` query parameter and the Basic password; deviceAccess/ cuts the
  // parameter out of the URL, and a logged query object (`{ query: { key } }`) is redacted here too.
  'key',
] as const;

/** pino's redaction has no "any depth" wildcard; four levels covers `{ req: { headers: { authorization } } }` and the like. */
const REDACT_DEPTH = 4;

export const REDACTED = '[redacted]';

function keySegment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`;
}

export function redactPaths(keys: readonly string[] = SECRET_KEYS, depth = REDACT_DEPTH): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    for (let level = 0; level < depth; level++) {
      const prefix = Array.from({ length: level }, () => '*').join('.');
      const segment = keySegment(key);
      paths.push(prefix ? `${prefix}${segment}` : segment.replace(/^\./, ''));
    }
  }
  return paths;
}

export interface LoggerOptions {
  level: string;
  name?: string;
}

/** `destination` lets tests capture output; the service writes JSON lines to stdout. */
export function createLogger(options: LoggerOptions, destination?: pino.DestinationStream): Logger {
  const pinoOptions: pino.LoggerOptions = {
    level: options.level,
    name: options.name,
    redact: { paths: redactPaths(), censor: REDACTED },
  };
  return destination ? pino(pinoOptions, destination) : pino(pinoOptions);
}

/** A connection URL fit for logs and error messages: the password (if any) replaced by ***. */
export function redactUrlPassword(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}
