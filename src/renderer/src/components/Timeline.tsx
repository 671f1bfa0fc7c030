import { useState } from 'react';
import type { TraceHttp, TraceStep } from '@shared/trace';
import { displayUrl } from '@shared/redact';
import { toCurl } from '@shared/curl';

/** Long URLs, tokens masked or not, and JSON bodies wrap instead of widening the page. */
const WRAP = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } as const;
const MARK: Record<TraceStep['outcome'], string> = { ok: '✓', fail: '✗', info: '•', warn: '!' };
const CLASS: Record<TraceStep['outcome'], string | undefined> = {
  ok: 'good',
  fail: 'bad',
  info: undefined,
  warn: 'warn',
};

function HeaderTable({ label, headers }: { label: string; headers: Array<[string, string]> }) {
  return (
    <table className="grid compact" aria-label={label}>
      <tbody>
        {headers.map(([n, v], i) => (
          <tr key={i}>
            <th scope="row">{n}</th>
            <td>
              <code style={{ overflowWrap: 'anywhere' }}>{v}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One HTTP exchange, expanded: method, URL, status, timing, headers and bodies, secrets as ••••. */
function Exchange({ http, secrets }: { http: TraceHttp; secrets: string[] }) {
  const [curl, setCurl] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    const text = toCurl(http, secrets);
    setCurl(text);
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied as curl.');
    } catch {
      setCopied('The clipboard is not available: copy the command below.');
    }
  };
  const res = http.response;
  return (
    <details>
      <summary>
        {http.request.method} {displayUrl(http.request.url)} → {res ? `${res.status} ${res.statusText}` : 'no answer'} (
        {http.ms} ms)
      </summary>
      <dl className="facts">
        <dt>Method</dt>
        <dd>{http.request.method}</dd>
        <dt>URL</dt>
        <dd style={{ overflowWrap: 'anywhere' }}>{displayUrl(http.request.url)}</dd>
        <dt>Status</dt>
        <dd>{res ? `${res.status} ${res.statusText}` : 'no answer'}</dd>
        <dt>Time</dt>
        <dd>{http.ms} ms</dd>
      </dl>
      <h4>Request headers</h4>
      <HeaderTable label="Request headers" headers={http.request.headers} />
      {http.request.body !== null && (
        <pre className="detail" aria-label="Request body" style={WRAP}>
          {http.request.body}
        </pre>
      )}
      {res && (
        <>
          <h4>Response headers</h4>
          <HeaderTable label="Response headers" headers={res.headers} />
          <pre className="detail" aria-label="Response body" style={WRAP}>
            {res.body}
            {res.truncated ? '\n… (cut)' : ''}
          </pre>
        </>
      )}
      <p>
        <button type="button" onClick={() => void copy()}>
          Copy as curl
        </button>{' '}
        {copied && <span role="status">{copied}</span>}
      </p>
      {curl && (
        <pre className="detail" aria-label="curl command" style={WRAP}>
          {curl}
        </pre>
      )}
    </details>
  );
}

/** The live timeline: each step as the engine adds it. */
export function Timeline({
  steps,
  secrets = [],
  label = 'Timeline',
  idPrefix,
}: {
  steps: TraceStep[];
  secrets?: string[];
  label?: string;
  /** Gives each step the id `${idPrefix}-${index}` (focusable), so a verdict can jump to the step that decided it. */
  idPrefix?: string;
}) {
  return (
    <ol aria-label={label} style={{ paddingLeft: 20 }}>
      {steps.map((s, i) => (
        <li
          key={i}
          aria-label={`Step ${s.step}`}
          data-outcome={s.outcome}
          style={{ marginBottom: 8 }}
          {...(idPrefix ? { id: `${idPrefix}-${i}`, tabIndex: -1 } : {})}
        >
          <span className={CLASS[s.outcome]} aria-hidden="true">
            {MARK[s.outcome]}{' '}
          </span>
          <strong>{s.step}</strong> <span className={`pill ${CLASS[s.outcome] ?? ''}`}>{s.outcome}</span>{' '}
          <span className="muted">+{s.atMs} ms</span>
          {/* A recorded exchange's detail is its summary line: said once, in the expandable summary. */}
          {!(s.http && s.detail.startsWith(`${s.http.request.method} `)) && <div style={WRAP}>{s.detail}</div>}
          {s.http && <Exchange http={s.http} secrets={secrets} />}
        </li>
      ))}
    </ol>
  );
}
