/** Why a JSON fetch failed, in words a support person can repeat. */
export class FetchJsonError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'timeout' | 'status' | 'too_large' | 'not_json',
    message: string,
  ) {
    super(message);
    this.name = 'FetchJsonError';
  }
}

export interface FetchJsonOptions {
  timeoutMs: number;
  maxBytes: number;
}

/**
 * GETs a URL and parses its JSON body, with a hard timeout over the whole exchange and a size cap,
 * so a slow or hostile issuer cannot hang or flood the inspector. Throws FetchJsonError.
 */
export async function fetchJson(url: URL, { timeoutMs, maxBytes }: FetchJsonOptions): Promise<unknown> {
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { accept: 'application/json' }, redirect: 'follow' });
  } catch (e) {
    throw networkError(e, url, timeoutMs);
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    throw new FetchJsonError('status', `${url.href} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`);
  }
  let text: string;
  try {
    text = await readCapped(res, maxBytes);
  } catch (e) {
    if (e instanceof FetchJsonError) throw e;
    throw networkError(e, url, timeoutMs);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const type = res.headers.get('content-type') ?? 'no content type';
    throw new FetchJsonError('not_json', `${url.href} did not answer JSON (${type}).`);
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

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes) throw new FetchJsonError('too_large', `${res.url} sent ${declared} bytes; at most ${maxBytes} are read.`);
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new FetchJsonError('too_large', `${res.url} sent more than ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
