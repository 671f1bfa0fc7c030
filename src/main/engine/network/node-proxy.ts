import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';

/**
 * An https Agent that reaches its target through an HTTP proxy's CONNECT tunnel (RFC 9110 §9.3.6),
 * for callers on node:http (the pass-through service). TLS is end to end: the proxy sees only the
 * host and port. A proxy that answers anything but 2xx to CONNECT fails the request with `EPROXY`.
 */
export class TunnelAgent extends HttpsAgent {
  constructor(
    private readonly proxy: URL,
    private readonly tunnelTimeoutMs: number,
    opts: AgentOptions = {},
  ) {
    super({ ...opts, keepAlive: false });
  }

  override createConnection(
    options: RequestOptions & { servername?: string; ca?: string | string[] },
    callback: (err: Error | null, socket?: Duplex) => void,
  ): Duplex {
    const target = `${options.host}:${options.port ?? 443}`;
    const send = this.proxy.protocol === 'https:' ? httpsRequest : httpRequest;
    const req: ClientRequest = send({
      host: this.proxy.hostname,
      port: this.proxy.port || (this.proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: target,
      headers: { host: target },
      agent: false,
      ...(this.proxy.protocol === 'https:' && options.ca ? { ca: options.ca } : {}),
    });
    req.setTimeout(this.tunnelTimeoutMs, () =>
      req.destroy(Object.assign(new Error('the proxy did not open the tunnel in time'), { code: 'ETIMEDOUT' })),
    );
    req.once('connect', (res: IncomingMessage, socket) => {
      if (!res.statusCode || res.statusCode < 200 || res.statusCode >= 300) {
        socket.destroy();
        callback(
          Object.assign(
            new Error(`the proxy ${this.proxy.host} refused the tunnel to ${target} (HTTP ${res.statusCode})`),
            { code: 'EPROXY' },
          ),
        );
        return;
      }
      const tls = tlsConnect({
        socket,
        servername: options.servername ?? String(options.host),
        ...(options.ca ? { ca: options.ca } : {}),
      });
      callback(null, tls);
    });
    req.once('error', (err: NodeJS.ErrnoException) => {
      callback(
        Object.assign(new Error(`the proxy ${this.proxy.host} cannot be reached (${err.code ?? err.message})`), {
          code: err.code === 'ECONNREFUSED' ? 'EPROXY' : (err.code ?? 'EPROXY'),
        }),
      );
    });
    req.end();
    // Node waits for the callback when createConnection returns nothing usable yet.
    return undefined as unknown as Duplex;
  }
}

/**
 * Where node:http must send a request for `url`: to the target itself, or, for http:// through a
 * proxy, to the proxy with the absolute URL as the request target (RFC 9112 §3.2.2).
 */
export function proxiedHttpOptions(url: URL, proxy: URL): RequestOptions {
  return {
    host: proxy.hostname,
    port: proxy.port || 80,
    path: url.href,
    setHost: false,
  };
}
