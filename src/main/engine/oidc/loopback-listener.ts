import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DeskError } from '@shared/errors';
import { foreignHost } from '../network/check-host';

export interface CallbackReply {
  status: number;
  title: string;
  message: string;
}

export interface LoopbackListener {
  port: number;
  /** The redirect URI for this flow: the registered loopback URI with this listener's port. */
  redirectUri: string;
  close(): Promise<void>;
  readonly closed: boolean;
}

/**
 * The one-shot redirect listener of RFC 8252 §7.3: binds 127.0.0.1 on a port the OS picks (or on
 * exactly the fixed port of an IdP that matches the redirect's port, such as Okta), hands
 * each `GET /callback` to `onCallback`, answers with a page telling the user to return to the app,
 * and then closes itself. Only the first callback is the real one; the flow decides what a second
 * one means. Anything else (favicon, other paths) is a 404 and does not count.
 */
export async function startLoopbackListener(opts: {
  host: '127.0.0.1' | 'localhost';
  /** A fixed port (1024–65535); absent or null = a free port the OS picks. */
  port?: number | null;
  onCallback: (url: URL) => Promise<CallbackReply>;
}): Promise<LoopbackListener> {
  let closed = false;
  let callbackSeen = false;
  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // A page whose name resolves to 127.0.0.1 (DNS rebinding) must not spend the one callback.
    const foreign = foreignHost(req, port);
    if (foreign) return respond(res, { status: 421, title: 'Wrong address', message: foreign });
    const url = new URL(req.url ?? '/', `http://${opts.host}`);
    if (req.method !== 'GET' || url.pathname !== '/callback') {
      respond(res, { status: 404, title: 'Not found', message: 'This address only receives the sign-in redirect.' });
      return;
    }
    url.port = String(port);
    const first = !callbackSeen;
    callbackSeen = true;
    opts
      .onCallback(url)
      .catch((): CallbackReply => ({
        status: 500,
        title: 'Sign-in failed',
        message: 'SSO Desk could not finish the sign-in. Return to the app for details.',
      }))
      .then((reply) => {
        // One shot: once the first callback's page is out, stop listening (and drop keep-alive sockets).
        // A second callback is answered too, but must not cut the first one's answer short.
        if (first) res.on('finish', () => void close());
        respond(res, reply);
      });
  });
  // 127.0.0.1 even when the redirect says localhost: the listener never accepts from the network.
  const wanted = opts.port ?? 0;
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(portError(error, wanted)));
    server.listen(wanted, '127.0.0.1', () => {
      const addr = server.address();
      if (addr && typeof addr === 'object') resolve(addr.port);
      else reject(new Error('the redirect listener has no address'));
    });
  });
  return {
    port,
    redirectUri: `http://${opts.host}:${port}/callback`,
    close,
    get closed() {
      return closed;
    },
  };
}

/**
 * A fixed port that cannot be bound is the admin's to fix (another program holds it), said with the
 * port: `port_in_use`, field `redirectPort`.
 */
function portError(error: NodeJS.ErrnoException, port: number): Error {
  if (port === 0) return error;
  if (error.code === 'EADDRINUSE') {
    return new DeskError(
      'port_in_use',
      `the fixed redirect port ${port} is in use: another program (not an SSO Desk sign-in) ` +
        `listens on 127.0.0.1:${port}. Close that program and try again; only if it must keep ` +
        `the port, choose another fixed port in Settings › Security › SSO (the IdP then needs ` +
        `that port’s redirect URL registered too)`,
      { field: 'redirectPort', status: 409, cause: error },
    );
  }
  if (error.code === 'EACCES') {
    return new DeskError(
      'port_in_use',
      `the fixed redirect port ${port} cannot be used by SSO Desk (permission denied); choose another port from 1024 to 65535`,
      {
        field: 'redirectPort',
        status: 409,
        cause: error,
      },
    );
  }
  return error;
}

/** The page a loopback listener answers with: a title and a sentence, no script, nothing to leak. */
export function respond(res: ServerResponse, reply: CallbackReply): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(reply.title)} — SSO Desk</title>
<style>body{font:15px system-ui,sans-serif;max-width:30rem;margin:3rem auto;color:#222}</style></head>
<body><main><h1>${esc(reply.title)}</h1><p>${esc(reply.message)}</p></main></body></html>`;
  res.writeHead(reply.status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    Connection: 'close',
  });
  res.end(html);
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
