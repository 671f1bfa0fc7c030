import type { IncomingMessage } from 'node:http';
import type { Refusal } from './refusal';

/**
 * DNS rebinding: a page at `evil.example` whose name is made to resolve to 127.0.0.1 reaches a
 * loopback service, and the browser then treats the answers as the page's own (same origin). The
 * request still says `Host: evil.example`, so a service answers only the names it is known by
 * (RFC 9110 §7.2; a request for another authority is 421 Misdirected Request, §15.5.20).
 */
export function checkHost(req: IncomingMessage, allowed: readonly string[], status = 421): Refusal | null {
  const host = (req.headers.host ?? '').toLowerCase();
  if (allowed.includes(host)) return null;
  return { status, code: 'bad_host', message: `this service answers only as ${allowed.join(' or ')}` };
}

/**
 * The names of a loopback service listening on `port`: 127.0.0.1 and localhost with that port, and
 * the host of each public origin it is configured with.
 */
export function loopbackHosts(port: number, publicOrigins: readonly string[] = []): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, ...publicOrigins.map((o) => new URL(o).host.toLowerCase())];
}

/**
 * For a loopback listener that answers with pages (the sign-in listeners, the demo SAML IdP): null when
 * `req` used one of its names, else the sentence for its 421 page — the request body is drained so that
 * the client reads the page rather than a reset.
 */
export function foreignHost(req: IncomingMessage, port: number): string | null {
  const hosts = loopbackHosts(port);
  if (!checkHost(req, hosts)) return null;
  req.resume();
  return `This address answers only as ${hosts.join(' or ')}.`;
}
