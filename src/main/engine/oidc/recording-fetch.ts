import type { CustomFetch, CustomFetchOptions } from 'openid-client';
import { displayUrl, redactHttp } from '@shared/redact';
import { MASK, type TraceHttp } from '@shared/trace';
import type { Trace } from '../trace';

/** How much of an answer's body the trace keeps (discovery documents and JWKS fit). */
export const RECORDED_BODY_LIMIT = 8 * 1024;

/** The token response's fields whose values are credentials: learnt as secrets the moment they arrive. */
const TOKEN_FIELDS = ['access_token', 'id_token', 'refresh_token'];

/**
 * The secrets of one flow, growing as it goes: the client secret and PKCE verifier from the start,
 * the authorization code once the callback brings it, the tokens once the token endpoint answers.
 * Every recorded exchange is scrubbed of all of them (on top of `redactHttp`'s masking by name).
 */
export class FlowSecrets {
  private readonly values = new Set<string>();
  add(...values: Array<string | null | undefined>): void {
    for (const v of values) if (typeof v === 'string' && v.length >= 3) this.values.add(v);
  }
  list(): string[] {
    return [...this.values];
  }
}

/** Names the exchange after what it is for, from the IdP's metadata once known. */
export type ExchangeNamer = (url: string, method: string) => string;

const bodyText = (body: CustomFetchOptions['body']): string | null => {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(body));
  return '(stream)';
};

/** Reads at most `limit` bytes of a clone of the answer; the original stays whole for openid-client. */
async function readCapped(res: Response, limit: number): Promise<{ text: string; truncated: boolean }> {
  const reader = res.clone().body?.getReader();
  if (!reader) return { text: '', truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size > limit) {
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  const all = new Uint8Array(Math.min(size, limit));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, Math.max(0, all.length - at));
    all.set(part, at);
    at += part.length;
    if (at >= all.length) break;
  }
  // A multi-byte character cut at the limit decodes as U+FFFD rather than failing.
  return { text: new TextDecoder().decode(all), truncated };
}

/** Tokens of a token-endpoint answer, so that they are masked wherever else they turn up. */
function learnTokens(text: string, secrets: FlowSecrets): void {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    for (const k of TOKEN_FIELDS) if (typeof body[k] === 'string') secrets.add(body[k] as string);
  } catch {
    // Not JSON: nothing to learn.
  }
}

/**
 * A body cut at the limit is no longer JSON, so masking by name cannot parse it: the value of any
 * credential field in what is left is masked by pattern instead (an unterminated value included).
 */
export const maskCutJson = (text: string): string =>
  text.replace(
    /("(?:access_token|id_token|refresh_token|client_secret|code|code_verifier)"\s*:\s*")(?:[^"\\]|\\.)*"?/g,
    `$1${MASK}"`,
  );

/**
 * A fetch for openid-client's `customFetch` that records every exchange with the IdP (discovery,
 * JWKS, token, userinfo) as a trace step with its HTTP detail: method, URL, headers and body of the
 * request; status, headers and the start of the body of the answer; the time it took. Everything goes
 * through `redactHttp` with the flow's secrets before it enters the trace, so the trace never holds a
 * client secret, code, verifier or token. A failed request is recorded too, then rethrown.
 */
export function recordingFetch(
  trace: Trace,
  secrets: FlowSecrets,
  name: ExchangeNamer,
  inner: CustomFetch = fetch as CustomFetch,
): CustomFetch {
  return async (url, options) => {
    const method = (options.method ?? 'GET').toUpperCase();
    const request: TraceHttp['request'] = {
      method,
      url,
      headers: Object.entries(options.headers ?? {}),
      body: bodyText(options.body),
    };
    const step = name(url, method);
    const started = performance.now();
    let res: Response;
    try {
      res = await inner(url, options);
    } catch (error) {
      const ms = Math.round(performance.now() - started);
      const http = redactHttp({ request, response: null, ms }, secrets.list());
      trace.fail(step, `${method} ${displayUrl(http.request.url)}: no answer (${(error as Error).message})`, http);
      throw error;
    }
    const read = await readCapped(res, RECORDED_BODY_LIMIT);
    const ms = Math.round(performance.now() - started);
    const { truncated } = read;
    if (!truncated) learnTokens(read.text, secrets);
    const text = truncated ? maskCutJson(read.text) : read.text;
    const http = redactHttp(
      {
        request,
        response: { status: res.status, statusText: res.statusText, headers: [...res.headers], body: text, truncated },
        ms,
      },
      secrets.list(),
    );
    const line = `${method} ${displayUrl(http.request.url)} → ${res.status}${res.statusText ? ` ${res.statusText}` : ''} in ${ms} ms`;
    trace.add(step, res.ok ? 'ok' : 'fail', line, http);
    return res;
  };
}
