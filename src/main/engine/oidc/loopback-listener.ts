import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

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
 * The one-shot redirect listener of RFC 8252 §7.3: binds 127.0.0.1 on a port the OS picks, hands
 * each `GET /callback` to `onCallback`, answers with a page telling the user to return to the app,
 * and then closes itself. Only the first callback is the real one; the flow decides what a second
 * one means. Anything else (favicon, other paths) is a 404 and does not count.
 */
export async function startLoopbackListener(opts: {
  host: '127.0.0.1' | 'localhost';
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
      .catch((): CallbackReply => ({ status: 500, title: 'Sign-in failed', message: 'SSO Desk could not finish the sign-in. Return to the app for details.' }))
      .then((reply) => {
        // One shot: once the first callback's page is out, stop listening (and drop keep-alive sockets).
        // A second callback is answered too, but must not cut the first one's answer short.
        if (first) res.on('finish', () => void close());
        respond(res, reply);
      });
  });
  // 127.0.0.1 even when the redirect says localhost: the listener never accepts from the network.
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
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

function respond(res: ServerResponse, reply: CallbackReply): void {
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
