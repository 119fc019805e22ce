import type { Request } from 'express';

/**
 * The access key a device sent: the `key` query parameter (phones' provisioning URLs) or the HTTP Basic
 * password with any user name (CardDAV clients, phones with a user/password field). A non-empty query value wins
 * when both are there. Either way the `key` parameter is cut out of req.url and req.originalUrl at once (express
 * parses req.query from req.url, so it goes from there too): a handler, error handler or log line further
 * on can print the URL without printing the key. Other parameters stay byte for byte (`#SEARCH`, `q=`).
 */
export function keyFromRequest(req: Request): string | undefined {
  // An empty `key=` (a provisioning template left blank) does not hide a Basic password.
  const fromQuery = takeKeyParam(req);
  return fromQuery || basicPassword(req.get('authorization'));
}

/** The first `key` value in the query string ('' when present but empty), removed from the URL. */
function takeKeyParam(req: Request): string | undefined {
  const { url: strippedUrl, key } = withoutKeyParam(req.url);
  if (key === undefined) return undefined;
  req.url = strippedUrl;
  req.originalUrl = withoutKeyParam(req.originalUrl).url;
  return key;
}

/** `url` without its `key=` parameters, and the first one's value (decoded). */
export function withoutKeyParam(url: string): { url: string; key?: string } {
  const at = url.indexOf('?');
  if (at < 0) return { url };
  const path = url.slice(0, at);
  const pairs = url.slice(at + 1).split('&');
  let key: string | undefined;
  const kept = pairs.filter((pair) => {
    const eq = pair.indexOf('=');
    const name = decodeLoosely(eq < 0 ? pair : pair.slice(0, eq));
    if (name !== 'key') return true;
    key ??= decodeLoosely(eq < 0 ? '' : pair.slice(eq + 1));
    return false;
  });
  if (key === undefined) return { url };
  return { url: kept.length > 0 && kept.some((p) => p !== '') ? `${path}?${kept.join('&')}` : path, key };
}

function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The password of an `Authorization: Basic` header (base64 of `user:password`), or undefined. */
function basicPassword(header: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const password = decoded.slice(colon + 1);
  return password === '' ? undefined : password;
}
