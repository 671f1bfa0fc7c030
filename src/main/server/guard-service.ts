import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { checkHost, loopbackHosts } from '../engine/network/check-host';
import { checkCrossSite } from './checks/check-cross-site';
import { sendError } from './http';

export interface ServiceGuardOptions {
  /** Public origins the service is also reached by (a configured public URL), beside 127.0.0.1 and localhost. */
  publicOrigins?: readonly string[];
  /** Pages meant to be opened from a link: a cross-site GET navigation may reach them. */
  navigable?: (pathname: string) => boolean;
}

/**
 * Wraps a loopback service's request listener: a foreign `Host` (DNS rebinding) gets 421 and a request
 * sent by another web page gets 403, before the listener runs. The service's own names come from the
 * port the request arrived on, so the guard needs no URL before the server listens.
 */
export function guardService(listener: RequestListener, opts: ServiceGuardOptions = {}): RequestListener {
  // The names and origins depend only on the port a request arrived on: worked out once per port, not
  // per request (this guard runs before every token issuance).
  const byPort = new Map<number, { hosts: string[]; origins: string[] }>();
  const namesOf = (port: number) => {
    let names = byPort.get(port);
    if (!names) {
      const hosts = loopbackHosts(port, opts.publicOrigins);
      const publicOrigins = (opts.publicOrigins ?? []).map((o) => new URL(o).origin.toLowerCase());
      names = { hosts, origins: [...hosts.map((h) => `http://${h}`), ...publicOrigins] };
      byPort.set(port, names);
    }
    return names;
  };
  const navigable = (req: IncomingMessage): boolean => {
    if (!opts.navigable || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    try {
      return opts.navigable(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      return false; // A malformed URL is the listener's 400; it is no navigable page.
    }
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const { hosts, origins } = namesOf(req.socket.localPort ?? 0);
    const refusal = checkHost(req, hosts) ?? checkCrossSite(req, origins, navigable(req));
    if (refusal) {
      // Drain what the client sends so that it reads the answer rather than a reset.
      req.resume();
      return sendError(res, refusal.status, refusal.code, refusal.message);
    }
    listener(req, res);
  };
}
