import { boundedGet } from '../network/bounded-get';
import type { FetchLike } from '../network/outbound';

/** Why a JSON fetch failed, in words a support person can repeat. */
export class FetchJsonError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'timeout' | 'status' | 'too_large' | 'not_json' | 'redirect',
    message: string,
  ) {
    super(message);
    this.name = 'FetchJsonError';
  }
}

export interface FetchJsonOptions {
  timeoutMs: number;
  maxBytes: number;
  /** The outbound fetch (proxy, trusted CAs); default: the global fetch. */
  fetch?: FetchLike | undefined;
}

/**
 * GETs a URL and parses its JSON body, with a hard timeout over the whole exchange and a size cap
 * applied while streaming, so a slow or hostile issuer cannot hang or flood the inspector; redirects
 * are never followed to plain http:// except on loopback. Throws FetchJsonError.
 */
export async function fetchJson(
  url: URL,
  { timeoutMs, maxBytes, fetch: fetchImpl }: FetchJsonOptions,
): Promise<unknown> {
  const got = await boundedGet(url.href, { fetch: fetchImpl, timeoutMs, maxBytes });
  if (got.kind === 'unreachable') throw networkError(got.error, url, timeoutMs);
  if (got.kind === 'too_large') throw new FetchJsonError('too_large', `${got.url} sent more than ${maxBytes} bytes.`);
  if (got.kind === 'redirect_refused') throw new FetchJsonError('redirect', `${got.message}.`);
  if (got.status !== 200) {
    throw new FetchJsonError(
      'status',
      `${got.url} answered HTTP ${got.status}${got.statusText ? ` ${got.statusText}` : ''}.`,
    );
  }
  try {
    return JSON.parse(got.text) as unknown;
  } catch {
    const type = got.headers.get('content-type') ?? 'no content type';
    throw new FetchJsonError('not_json', `${got.url} did not answer JSON (${type}).`);
  }
}

function networkError(e: unknown, url: URL, timeoutMs: number): FetchJsonError {
  const err = e as { name?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return new FetchJsonError('timeout', `${url.href} did not answer within ${timeoutMs / 1000} s.`);
  }
  const cause = err.cause?.code ?? err.cause?.message ?? (e as Error).message;
  return new FetchJsonError('unreachable', `${url.host} is unreachable (${cause}).`);
}
