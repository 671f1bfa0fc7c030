import { redactHttp } from './redact';
import type { TraceRun } from './trace';

/**
 * A run's HTTP steps as an HTTP Archive 1.2 file (http://www.softwareishard.com/blog/har-12-spec/),
 * which Chrome DevTools and other HAR viewers open. Every exchange goes through `redactHttp` first.
 */
export function toHar(run: TraceRun, creatorVersion: string, secrets: readonly string[] = []) {
  const entries = run.steps
    .filter((s) => s.http)
    .map((s) => {
      const http = redactHttp(s.http!, secrets);
      const url = http.request.url;
      let query: Array<{ name: string; value: string }> = [];
      try {
        query = [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
      } catch {
        query = [];
      }
      const reqType = http.request.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
      const res = http.response;
      const resType = res?.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
      const location = res?.headers.find(([n]) => n.toLowerCase() === 'location')?.[1] ?? '';
      const ms = Math.max(0, Math.round(http.ms));
      return {
        startedDateTime: new Date(run.startedAt + s.atMs).toISOString(),
        time: ms,
        comment: `${s.step}: ${s.detail}`,
        request: {
          method: http.request.method,
          url,
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: http.request.headers.map(([name, value]) => ({ name, value })),
          queryString: query,
          ...(http.request.body !== null
            ? { postData: { mimeType: reqType, text: http.request.body, params: [] } }
            : {}),
          headersSize: -1,
          bodySize: http.request.body === null ? 0 : new TextEncoder().encode(http.request.body).length,
        },
        response: {
          status: res?.status ?? 0,
          statusText: res?.statusText ?? (res ? '' : 'no response'),
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: (res?.headers ?? []).map(([name, value]) => ({ name, value })),
          content: {
            size: res ? new TextEncoder().encode(res.body).length : 0,
            mimeType: resType || 'x-unknown',
            ...(res ? { text: res.body } : {}),
            ...(res?.truncated ? { comment: 'body truncated by SSO Desk' } : {}),
          },
          redirectURL: location,
          headersSize: -1,
          bodySize: res ? new TextEncoder().encode(res.body).length : -1,
          ...(res ? {} : { comment: s.detail }),
        },
        cache: {},
        timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: ms, receive: 0 },
      };
    });
  return {
    log: {
      version: '1.2',
      creator: { name: 'SSO Desk', version: creatorVersion },
      pages: [],
      entries,
      comment: `${run.title} — exported ${new Date().toISOString()}; secrets shown as ••••`,
    },
  };
}
