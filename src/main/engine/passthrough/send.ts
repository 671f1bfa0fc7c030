import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { rootCertificates } from 'node:tls';
import { request as httpsRequest } from 'node:https';
import type { RenderedRequest } from './render';
import { headerWireValue } from './escape';
import type { Outbound } from '../network/outbound';
import { proxiedHttpOptions, TunnelAgent } from '../network/node-proxy';

/** How an exchange with the external service ended. */
export type SendResult =
  | {
      kind: 'response';
      status: number;
      statusText: string;
      headers: Array<[string, string]>;
      body: string;
      truncated: boolean;
      ms: number;
    }
  | { kind: 'error'; error: TransportError; message: string; ms: number };

export type TransportError = 'timeout' | 'refused' | 'tls' | 'dns' | 'malformed' | 'closed' | 'network';

export interface SendOptions {
  timeoutMs: number;
  /** Extra trusted CA certificates (PEM), for services behind a private CA. */
  ca?: string | undefined;
  /** The network in force (Settings › Network or HTTPS_PROXY): proxy and trusted CAs. */
  outbound?: Outbound | undefined;
  /** How much of the answer is kept for the trace. */
  maxBodyBytes?: number | undefined;
}

const TLS_CODES = /CERT|SSL|TLS|EPROTO|UNABLE_TO_VERIFY|SELF_SIGNED|HOSTNAME/;

function classify(
  err: NodeJS.ErrnoException,
  timedOut: boolean,
  timeoutMs: number,
): { error: TransportError; message: string } {
  const code = err.code ?? '';
  if (timedOut) return { error: 'timeout', message: `no answer within ${timeoutMs / 1000} s (timeout)` };
  if (code === 'EPROXY') return { error: 'network', message: `${err.message} — check Settings › Network` };
  if (code === 'ECONNREFUSED')
    return { error: 'refused', message: 'the connection was refused: nothing listens at that address' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { error: 'dns', message: 'the host name could not be resolved' };
  if (TLS_CODES.test(code))
    return {
      error: 'tls',
      message: `the TLS handshake failed (${code}): the service’s certificate is not trusted or does not match the host`,
    };
  if (code.startsWith('HPE_')) return { error: 'malformed', message: `the answer is not valid HTTP (${code})` };
  if (code === 'ECONNRESET' || err.message === 'socket hang up')
    return { error: 'closed', message: 'the service closed the connection without answering' };
  return { error: 'network', message: `the request failed (${code || err.message})` };
}

/**
 * Sends one request and reports the status line and the start of the body. Redirects are not
 * followed (a 3xx is the answer). One deadline covers connecting, the TLS handshake, the answer's head
 * and the part of the body kept, so that a service that never answers ends at `timeoutMs`.
 */
export function sendRequest(req: RenderedRequest, opts: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const maxBody = opts.maxBodyBytes ?? 2048;
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    const done = (r: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const url = new URL(req.url);
    const headers: Record<string, string> = {};
    for (const [n, v] of req.headers) headers[n] = headerWireValue(v);
    // A Buffer, not a string: Node writes the header block in the first chunk's encoding, and a utf8
    // string body would turn the header's latin1 bytes into UTF-8 twice over.
    const body = req.body === null ? null : Buffer.from(req.body, 'utf8');
    if (body !== null) headers['Content-Length'] = String(body.length);
    const route = opts.outbound?.route(url) ?? { proxy: null, ca: undefined };
    const ca = opts.ca ? [...(route.ca ?? rootCertificates), opts.ca] : route.ca;
    const https = url.protocol === 'https:';
    let outgoing: ClientRequest;
    if (route.proxy && https) {
      // CONNECT tunnel through the proxy; TLS stays end to end.
      const agent = new TunnelAgent(route.proxy, opts.timeoutMs, ca ? { ca } : {});
      outgoing = httpsRequest(url, { method: req.method, headers, agent, ...(ca ? { ca } : {}) });
    } else if (route.proxy) {
      outgoing = httpRequest({
        ...proxiedHttpOptions(url, route.proxy),
        method: req.method,
        headers: { ...headers, Host: url.host },
        agent: false,
      });
    } else {
      const send = https ? httpsRequest : httpRequest;
      outgoing = send(url, { method: req.method, headers, agent: false, ...(https && ca ? { ca } : {}) });
    }
    const timer = setTimeout(() => {
      timedOut = true;
      outgoing.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
    }, opts.timeoutMs);
    outgoing.on('error', (err: NodeJS.ErrnoException) => {
      const c = classify(err, timedOut, opts.timeoutMs);
      done({ kind: 'error', error: c.error, message: c.message, ms: ms() });
    });
    outgoing.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const finish = () =>
        done({
          kind: 'response',
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: pairs(res.rawHeaders),
          body: Buffer.concat(chunks).toString('utf8'),
          truncated,
          ms: ms(),
        });
      res.on('data', (chunk: Buffer) => {
        if (size < maxBody) chunks.push(chunk.subarray(0, maxBody - size));
        size += chunk.length;
        if (size > maxBody) {
          truncated = true;
          finish();
          outgoing.destroy();
        }
      });
      res.on('end', finish);
      // The status decides; a body cut short (or a deadline reached while reading it) keeps what came.
      res.on('error', finish);
      res.on('aborted', finish);
      res.on('close', finish);
    });
    if (body !== null) outgoing.end(body);
    else outgoing.end();
  });
}

const pairs = (raw: string[]): Array<[string, string]> => {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
};
