import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { checkHost, loopbackHosts } from './checks/check-host';
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
  return (req: IncomingMessage, res: ServerResponse) => {
    const hosts = loopbackHosts(req.socket.localPort ?? 0, opts.publicOrigins);
    const publicOrigins = (opts.publicOrigins ?? []).map((o) => new URL(o).origin.toLowerCase());
    const origins = [...hosts.map((h) => `http://${h}`), ...publicOrigins];
    let pathname = '/';
    try {
      pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    } catch {
      // A malformed URL is the listener's 400; it is no navigable page.
    }
    const refusal = checkHost(req, hosts) ?? checkCrossSite(req, origins, opts.navigable?.(pathname) ?? false);
    if (refusal) {
      // Drain what the client sends so that it reads the answer rather than a reset.
      req.resume();
      return sendError(res, refusal.status, refusal.code, refusal.message);
    }
    listener(req, res);
  };
}
