import { isLoopbackHost } from '@shared/oidc-config';
import type { FetchLike } from './outbound';

/**
 * A GET of a metadata document (discovery, JWKS) that an IdP cannot turn against us:
 * - one deadline covers every hop and the whole body;
 * - the body is streamed and the read stops at `maxBytes` (a declared Content-Length above it stops
 *   before reading anything), so a huge or endless answer is never held whole;
 * - redirects are followed by hand, at most `maxRedirects`, and never to plain http:// except on
 *   loopback (an https IdP cannot downgrade us to a readable, tamperable channel).
 */
export type BoundedGet =
  | { kind: 'ok'; status: number; statusText: string; headers: Headers; text: string; url: string; hops: string[] }
  | { kind: 'unreachable'; error: unknown; url: string; hops: string[] }
  | { kind: 'too_large'; message: string; url: string; hops: string[] }
  | { kind: 'redirect_refused'; message: string; url: string; hops: string[] };

export interface BoundedGetOptions {
  fetch?: FetchLike | undefined;
  timeoutMs: number;
  maxBytes: number;
  accept?: string;
  maxRedirects?: number;
}

/** Why a redirect from `from` to `to` is not followed, or null when it may be. */
export function refuseRedirect(from: URL, to: URL): string | null {
  if (to.protocol === 'https:') return null;
  if (to.protocol === 'http:' && isLoopbackHost(to.hostname)) return null;
  if (to.protocol === 'http:')
    return `${from.href} redirected to plain http (${to.href}); redirects to http:// are followed only on loopback`;
  return `${from.href} redirected to ${to.protocol}// (${to.href}), which is not followed`;
}

export async function boundedGet(url: string, opts: BoundedGetOptions): Promise<BoundedGet> {
  const doFetch: FetchLike = opts.fetch ?? (fetch as FetchLike);
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const hops: string[] = [];
  let current = url;
  for (let hop = 0; ; hop++) {
    hops.push(current);
    let res: Response;
    try {
      res = await doFetch(current, {
        headers: { accept: opts.accept ?? 'application/json' },
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      return { kind: 'unreachable', error, url: current, hops };
    }
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      await res.body?.cancel().catch(() => undefined);
      const to = new URL(res.headers.get('location')!, current);
      const refused = refuseRedirect(new URL(current), to);
      if (refused) return { kind: 'redirect_refused', message: refused, url: current, hops };
      if (hop >= (opts.maxRedirects ?? 5))
        return {
          kind: 'redirect_refused',
          message: `${url}: more than ${opts.maxRedirects ?? 5} redirects`,
          url: current,
          hops,
        };
      current = to.href;
      continue;
    }
    const read = await readCapped(res, opts.maxBytes);
    if (read.kind === 'too_large') {
      return {
        kind: 'too_large',
        message: `${current} answered with more than ${formatBytes(opts.maxBytes)}: not a metadata document (the read stopped there)`,
        url: current,
        hops,
      };
    }
    if (read.kind === 'error') return { kind: 'unreachable', error: read.error, url: current, hops };
    return {
      kind: 'ok',
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
      text: read.text,
      url: current,
      hops,
    };
  }
}

export const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${Math.round(n / 1024 / 102.4) / 10} MiB` : `${Math.round(n / 1024)} KiB`;

/**
 * Reads a body up to `limit` bytes; past it, cancels the stream (the connection is dropped) and
 * says so. A declared Content-Length above the limit stops before the first byte.
 */
export async function readCapped(
  res: Response,
  limit: number,
): Promise<
  | { kind: 'ok'; text: string; bytes: Uint8Array<ArrayBuffer> }
  | { kind: 'too_large' }
  | { kind: 'error'; error: unknown }
> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    return { kind: 'too_large' };
  }
  if (!res.body) return { kind: 'ok', text: '', bytes: new Uint8Array() };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        return { kind: 'too_large' };
      }
      chunks.push(value);
    }
  } catch (error) {
    return { kind: 'error', error };
  }
  const bytes: Uint8Array<ArrayBuffer> = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { kind: 'ok', text: new TextDecoder().decode(bytes), bytes };
}

/**
 * Wraps a fetch for openid-client so that no answer is read past `maxBytes` (discovery, JWKS,
 * token and userinfo answers alike): the body is streamed into a bounded buffer and handed on as a
 * new Response. openid-client already sends `redirect: 'manual'` and treats a 3xx as an error.
 */
export function cappedFetch(inner: FetchLike, maxBytes: number): FetchLike {
  return async (url, init) => {
    const res = await inner(url, { ...init, redirect: 'manual' });
    const read = await readCapped(res, maxBytes);
    if (read.kind === 'too_large')
      throw Object.assign(
        new Error(`${url} answered with more than ${formatBytes(maxBytes)}; the read stopped there`),
        { code: 'E_TOO_LARGE' },
      );
    if (read.kind === 'error') throw read.error;
    const bodyless = res.status === 204 || res.status === 304 || (res.status >= 100 && res.status < 200);
    return new Response(bodyless ? null : read.bytes, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}
