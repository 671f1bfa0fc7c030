/** The outcome of fetching a JSON document from an IdP, each failure said in words. */
export type FetchJsonResult =
  | { kind: 'ok'; body: Record<string, unknown>; status: number }
  | { kind: 'unreachable'; message: string }
  | { kind: 'http_error'; status: number; message: string }
  | { kind: 'not_json'; message: string };

const BODY_LIMIT = 512 * 1024;

/**
 * GETs a JSON object with a bounded wait. Never throws: every failure comes back as a result that
 * says what went wrong (no answer, refused, DNS, HTTP status, a body that is not a JSON object).
 */
export async function fetchJson(url: string, timeoutMs: number, fetchImpl: typeof fetch = fetch): Promise<FetchJsonResult> {
  let res: Response;
  try {
    res = await fetchImpl(url, { headers: { accept: 'application/json' }, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { kind: 'unreachable', message: describeNetworkError(error, url, timeoutMs) };
  }
  let text: string;
  try {
    text = await res.text();
  } catch (error) {
    return { kind: 'unreachable', message: `${url}: the answer broke off (${describeNetworkError(error, url, timeoutMs)})` };
  }
  if (res.status !== 200) return { kind: 'http_error', status: res.status, message: `${url} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}, expected 200` };
  if (text.length > BODY_LIMIT) return { kind: 'not_json', message: `${url} answered with more than ${BODY_LIMIT / 1024} KiB, not a metadata document` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const type = res.headers.get('content-type') ?? 'no content type';
    return { kind: 'not_json', message: `${url} did not answer JSON (${type}; starts with "${text.slice(0, 40).replace(/\s+/g, ' ')}")` };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { kind: 'not_json', message: `${url} answered JSON that is not an object` };
  return { kind: 'ok', body: body as Record<string, unknown>, status: res.status };
}

/** Turns Node's fetch failures (an AbortSignal timeout, ECONNREFUSED, ENOTFOUND...) into a sentence. */
export function describeNetworkError(error: unknown, url: string, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `${url} did not answer within ${Math.round(timeoutMs / 100) / 10} s`;
  // Node's fetch nests the system error (ECONNREFUSED...) one or two causes deep.
  let code: string | undefined;
  for (let c: unknown = error, depth = 0; c && depth < 4 && !code; c = (c as { cause?: unknown }).cause, depth++) {
    const k = (c as { code?: unknown }).code;
    if (typeof k === 'string' && /^E[A-Z]+$|CERT|SELF_SIGNED/.test(k)) code = k;
  }
  const host = safeHost(url);
  switch (code) {
    case 'ECONNREFUSED':
      return `${host} refused the connection: nothing is listening there (is the IdP running?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${host} cannot be found (DNS lookup failed)`;
    case 'ECONNRESET':
      return `${host} closed the connection`;
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `${host}: its TLS certificate is not trusted (${code})`;
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
export const discoveryUrl = (issuer: string): string => `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
