import { boundedGet, formatBytes } from '../network/bounded-get';
import type { FetchLike } from '../network/outbound';

/** The outcome of fetching a JSON document from an IdP, each failure said in words. */
export type FetchJsonResult =
  | { kind: 'ok'; body: Record<string, unknown>; status: number }
  | { kind: 'unreachable'; message: string }
  | { kind: 'http_error'; status: number; message: string }
  | { kind: 'not_json'; message: string }
  | { kind: 'too_large'; message: string }
  | { kind: 'redirect_refused'; message: string };

/** Discovery documents and JWKS are small; an answer past this is cut off unread (issue 10 §8). */
export const METADATA_LIMIT = 512 * 1024;

/**
 * GETs a JSON object with a bounded wait and a bounded read (see `boundedGet`: streamed, cut at
 * `maxBytes`, redirects never to plain http except loopback). Never throws: every failure comes back
 * as a result that says what went wrong (no answer, refused, DNS, TLS, HTTP status, too large, a body
 * that is not a JSON object).
 */
export async function fetchJson(
  url: string,
  timeoutMs: number,
  fetchImpl?: FetchLike,
  maxBytes = METADATA_LIMIT,
): Promise<FetchJsonResult> {
  const got = await boundedGet(url, { fetch: fetchImpl, timeoutMs, maxBytes });
  if (got.kind === 'unreachable')
    return { kind: 'unreachable', message: describeNetworkError(got.error, got.url, timeoutMs) };
  if (got.kind === 'too_large') return { kind: 'too_large', message: got.message };
  if (got.kind === 'redirect_refused') return { kind: 'redirect_refused', message: got.message };
  const { text, status } = got;
  if (status !== 200)
    return {
      kind: 'http_error',
      status,
      message: `${got.url} answered HTTP ${status}${got.statusText ? ` ${got.statusText}` : ''}, expected 200`,
    };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const type = got.headers.get('content-type') ?? 'no content type';
    return {
      kind: 'not_json',
      message: `${got.url} did not answer JSON (${type}; starts with "${text.slice(0, 40).replace(/\s+/g, ' ')}")`,
    };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { kind: 'not_json', message: `${got.url} answered JSON that is not an object` };
  return { kind: 'ok', body: body as Record<string, unknown>, status };
}

export { formatBytes };

/** What kind of "cannot reach": the words differ for DNS, a refused port, TLS, a proxy, a timeout. */
export type NetworkProblem = 'timeout' | 'refused' | 'dns' | 'tls' | 'proxy' | 'reset' | 'other';

export function classifyNetworkError(error: unknown): { problem: NetworkProblem; code: string | undefined } {
  const e = error as { name?: string; message?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { problem: 'timeout', code: undefined };
  let code: string | undefined;
  let proxy = false;
  for (let c: unknown = error, depth = 0; c && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    const k = (c as { code?: unknown }).code;
    const m = (c as { message?: unknown }).message;
    if (typeof m === 'string' && /proxy/i.test(m)) proxy = true;
    if (
      !code &&
      typeof k === 'string' &&
      /^E[A-Z_]+$|CERT|SELF_SIGNED|TLS|SSL|UNABLE_TO/.test(k) &&
      k !== 'E_TOO_LARGE'
    )
      code = k;
  }
  if (proxy) return { problem: 'proxy', code };
  if (code === 'ECONNREFUSED') return { problem: 'refused', code };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { problem: 'dns', code };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return { problem: 'reset', code };
  if (code && /CERT|SELF_SIGNED|TLS|SSL|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code))
    return { problem: 'tls', code };
  return { problem: 'other', code };
}

/** Turns Node's fetch failures (an AbortSignal timeout, ECONNREFUSED, ENOTFOUND, TLS, a proxy) into a sentence. */
export function describeNetworkError(error: unknown, url: string, timeoutMs: number): string {
  const e = error as { message?: string; cause?: { message?: string } };
  const { problem, code } = classifyNetworkError(error);
  const host = safeHost(url);
  switch (problem) {
    case 'timeout':
      return `${url} did not answer within ${Math.round(timeoutMs / 100) / 10} s`;
    case 'refused':
      return `${host} refused the connection: nothing is listening there (is the IdP running?)`;
    case 'dns':
      return `${host} cannot be found (DNS lookup failed)`;
    case 'reset':
      return `${host} closed the connection`;
    case 'tls':
      return `${host}: its TLS certificate is not trusted (${code}) — if your company uses its own CA, add it in Settings › Network`;
    case 'proxy':
      return `${host}: the proxy failed (${e?.cause?.message ?? e?.message ?? code ?? 'no detail'}) — check Settings › Network`;
    default:
      return `${host} is unreachable (${code ?? e?.cause?.message ?? e?.message ?? 'unknown network error'})`;
  }
}

const safeHost = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** Where OpenID Connect Discovery 1.0 §4 puts the metadata of an issuer (path-aware). */
export const discoveryUrl = (issuer: string): string =>
  `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

/**
 * A 5xx from discovery is the IdP (or a proxy in front of it) failing, not a wrong IdP URL (issue 26 §8);
 * a 502/503/504 comes from a gateway. `answered` says who answered what ("<url> answered HTTP 503 …").
 */
export function idpFailing(answered: string, status: number): string {
  const gateway =
    status >= 502 && status <= 504 ? ' — a gateway or proxy in front of the IdP could not get an answer from it' : '';
  return `the IdP is failing: ${answered}${gateway}; the IdP URL may be right: try again later, or ask the IdP’s admin`;
}
