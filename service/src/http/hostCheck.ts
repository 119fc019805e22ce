import type { RequestHandler } from 'express';
import type { Socket } from 'node:net';
import { ApiError } from './errors';

/**
 * Answers only requests addressed to a host name the service knows: PUBLIC_URL's host, and localhost,
 * 127.0.0.1, [::1] or the address the request came in on, at the port it came in on. Any other Host
 * header is a 421 Misdirected Request. This stops DNS rebinding: a page on evil.example whose name
 * later resolves to this machine sends `Host: evil.example`, so the browser's same-origin rule no longer
 * shields the service from it. 421 (not 400) because the request may be fine, just sent to the wrong server.
 */
export function requireKnownHost(publicUrl: string): RequestHandler {
  const url = new URL(publicUrl);
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  const publicHosts = new Set([url.host.toLowerCase(), `${url.hostname.toLowerCase()}:${url.port || defaultPort}`]);
  return (req, _res, next) => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (publicHosts.has(host) || localForms(req.socket).has(host)) {
      next();
      return;
    }
    // The Host sent is not repeated: the answer is the same for every unknown name.
    next(
      new ApiError(421, 'unknown_host', 'this service answers only its own host name (PUBLIC_URL) and localhost', {
        field: 'Host',
      }),
    );
  };
}

/** The loopback names and the local address of the connection, with its port (bare on port 80 too). */
function localForms(socket: Socket): Set<string> {
  const port = socket.localPort;
  const address = (socket.localAddress ?? '').replace(/^::ffff:/, '');
  const names = ['localhost', '127.0.0.1', '[::1]'];
  if (address) names.push(address.includes(':') ? `[${address}]` : address);
  const forms = new Set(names.map((name) => `${name}:${port}`));
  if (port === 80) names.forEach((name) => forms.add(name));
  return forms;
}
