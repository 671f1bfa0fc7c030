import { useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { downloadText } from '@renderer/components/download';
import type { DiagnosedExchange, Diagnosis, Finding } from '@shared/contract/diagnose';
import { diagnosisHtml, diagnosisMarkdown } from '@shared/diagnose-report';
import { displayUrl } from '@shared/redact';
import { api } from '../../api';
import { Cancelled, readHarFile } from './read-har-file';

const WRAP = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } as const;
const MARK: Record<DiagnosedExchange['outcome'], string> = { ok: '✓', fail: '✗', info: '•', warn: '!' };
const OUTCOME_CLASS: Record<DiagnosedExchange['outcome'], string> = { ok: 'good', fail: 'bad', info: '', warn: 'warn' };
const SEVERITY_CLASS: Record<Finding['severity'], string> = { error: 'bad', warning: 'warn', info: '' };

/**
 * Inspector › Diagnose: a captured sign-in (HAR file, URL, query string, SAML message or token) read
 * offline and explained. Secrets stay masked until revealed, one at a time; nothing is stored.
 *
 * Long because reading a file (progress, Cancel), a paste and a drop all end in the same run and share its state;
 * apart, they would pass that state around.
 */
export function Diagnose() {
  const ids = useId();
  const [text, setText] = useState('');
  const [result, setResult] = useState<Diagnosis | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ read: number; total: number } | null>(null);
  const [dragging, setDragging] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const run = async (input: { text: string; notes?: string[]; totalEntries?: number }, from: string) => {
    setBusy(true);
    setError(null);
    const r = await api.inspect.diagnose(input);
    setBusy(false);
    if (r.ok) {
      setResult(r.value);
      setSource(from);
    } else {
      setResult(null);
      setError(r.error.message);
    }
  };

  const openFile = async (file: File) => {
    const ctl = new AbortController();
    abort.current = ctl;
    setResult(null);
    setError(null);
    setBusy(true);
    setProgress({ read: 0, total: file.size });
    try {
      const read = await readHarFile(file, (r, total) => setProgress({ read: r, total }), ctl.signal);
      setProgress(null);
      await run(read, file.name);
    } catch (e) {
      setProgress(null);
      setBusy(false);
      setError(
        e instanceof Cancelled
          ? `Reading ${file.name} was cancelled.`
          : `${file.name} cannot be read: ${String((e as Error)?.message ?? e)}`,
      );
    } finally {
      abort.current = null;
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) void run({ text }, 'pasted text');
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void openFile(file);
  };

  return (
    <section aria-labelledby="diagnose-title" className="panel">
      <h1 id="diagnose-title">Diagnose</h1>
      <p>
        Drop a HAR file a customer recorded of a failed sign-in (Chrome, Edge, Firefox or Safari: Network tab, “Save all
        as HAR”), or paste a URL, a query string, a SAMLResponse or a token. SSO Desk reads it on this machine, finds
        the sign-in exchanges and names the cause. Nothing of it is stored.
      </p>
      <div
        className={`card dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        aria-label="Drop a HAR file here"
        role="group"
        style={{ borderStyle: 'dashed', textAlign: 'center', padding: 16 }}
      >
        <p style={{ margin: 0 }}>
          Drop a HAR file here, or{' '}
          <button type="button" onClick={() => fileInput.current?.click()} disabled={busy}>
            Open a HAR file…
          </button>
        </p>
        <input
          ref={fileInput}
          type="file"
          accept=".har,.json,.txt,application/json"
          aria-label="HAR file"
          hidden
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void openFile(f);
          }}
        />
      </div>
      {progress && (
        <p>
          <label htmlFor={`${ids}-progress`}>Reading the file… </label>
          <progress id={`${ids}-progress`} value={progress.read} max={progress.total || 1} />{' '}
          <span className="muted">
            {(progress.read / 1024 / 1024).toFixed(1)} of {(progress.total / 1024 / 1024).toFixed(1)} MB
          </span>{' '}
          <button type="button" onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        </p>
      )}
      <form onSubmit={submit} aria-label="Diagnose pasted text">
        <label htmlFor={`${ids}-text`}>Or paste a URL, query string, SAMLResponse, token or HAR text</label>
        <textarea
          id={`${ids}-text`}
          rows={4}
          spellCheck={false}
          autoComplete="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="https://app.example.com/callback?error=…"
        />
        <p>
          <button type="submit" className="primary" disabled={busy || text.trim() === ''}>
            {busy && !progress ? 'Diagnosing…' : 'Diagnose'}
          </button>
        </p>
      </form>
      {error && (
        <p role="alert" className="bad">
          {error}
        </p>
      )}
      {result && <DiagnosisView result={result} source={source ?? ''} />}
    </section>
  );
}

/**
 * Long because it lays out one diagnosis in the order support reads it (summary, findings with their fixes, the
 * timeline, masked secrets, the redacted report); each part is a short list.
 */
function DiagnosisView({ result, source }: { result: Diagnosis; source: string }) {
  const [revealed, setRevealed] = useState<string | null>(null);
  const secretValue = (id: string) => result.secrets.find((s) => s.id === id)?.value ?? '';
  const base = source.replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '-') || 'capture';
  return (
    <div role="region" aria-label="Diagnosis">
      <h2>Diagnosis</h2>
      <p
        role="status"
        aria-label="Summary"
        className={result.findings.some((f) => f.severity === 'error') ? 'bad' : 'good'}
      >
        {result.summary}
      </p>
      <p className="muted">
        From {source}: {result.exchanges.length} sign-in exchanges of {result.totalEntries} requests.
      </p>
      <p>
        <button
          type="button"
          onClick={() => downloadText(diagnosisMarkdown(result), 'text/markdown', `${base}-diagnosis.md`)}
        >
          Export redacted report (Markdown)
        </button>{' '}
        <button
          type="button"
          onClick={() => downloadText(diagnosisHtml(result), 'text/html', `${base}-diagnosis.html`)}
        >
          Export redacted report (HTML)
        </button>
      </p>
      <h3>Findings</h3>
      {result.findings.length === 0 ? (
        <p>No problem found.</p>
      ) : (
        <ul aria-label="Findings" style={{ listStyle: 'none', paddingLeft: 0 }}>
          {result.findings.map((f, i) => (
            <li key={i} className="card" style={{ marginBottom: 8 }} aria-label={`Finding ${f.code}`}>
              <span className={`pill ${SEVERITY_CLASS[f.severity]}`}>{f.severity}</span> <code>{f.code}</code>{' '}
              <span className="muted">at step</span>{' '}
              {f.exchange !== null ? <a href={`#diagnose-step-${f.exchange}`}>{f.step}</a> : f.step}
              <p style={{ margin: '6px 0 0' }}>
                <strong>Cause: </strong>
                {f.message}
              </p>
              <p style={{ margin: '6px 0 0' }}>
                <strong>Fix: </strong>
                {f.fix}
              </p>
            </li>
          ))}
        </ul>
      )}
      {result.notes.length > 0 && (
        <>
          <h3>Skipped or unreadable</h3>
          <ul aria-label="Skipped">
            {result.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </>
      )}
      <h3>Timeline</h3>
      <ol aria-label="Timeline" style={{ paddingLeft: 20 }}>
        {result.exchanges.map((e, i) => (
          <li
            key={i}
            id={`diagnose-step-${i}`}
            tabIndex={-1}
            aria-label={`Step ${e.step}`}
            data-outcome={e.outcome}
            style={{ marginBottom: 8 }}
          >
            <span className={OUTCOME_CLASS[e.outcome]} aria-hidden="true">
              {MARK[e.outcome]}{' '}
            </span>
            <strong>{e.step}</strong> <span className={`pill ${OUTCOME_CLASS[e.outcome]}`}>{e.outcome}</span>{' '}
            <span className="muted">+{e.atMs} ms</span>
            <div style={WRAP}>{e.detail}</div>
            {e.fields.length > 0 && (
              <table className="grid compact" aria-label={`Parameters of step ${i + 1}`}>
                <tbody>
                  {e.fields.map((f, j) => (
                    <tr key={j}>
                      <th scope="row">{f.name}</th>
                      <td>
                        <code style={{ overflowWrap: 'anywhere' }}>
                          {f.secret && revealed === `${i}:${f.secret}` ? secretValue(f.secret) : f.value}
                        </code>{' '}
                        {f.secret && (
                          <button
                            type="button"
                            aria-label={`${revealed === `${i}:${f.secret}` ? 'Hide' : 'Reveal'} ${f.name} of step ${i + 1}`}
                            onClick={() => setRevealed(revealed === `${i}:${f.secret}` ? null : `${i}:${f.secret}`)}
                          >
                            {revealed === `${i}:${f.secret}` ? 'Hide' : 'Reveal'}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {e.decoded && (
              <details>
                <summary>Decoded</summary>
                <pre className="detail" aria-label={`Decoded message of step ${i + 1}`} style={WRAP}>
                  {e.decoded}
                </pre>
              </details>
            )}
            {e.http && (
              <details>
                <summary>
                  {e.http.request.method} {displayUrl(e.http.request.url)} →{' '}
                  {e.http.response ? `${e.http.response.status} ${e.http.response.statusText}` : 'no answer'}
                </summary>
                <pre className="detail" style={WRAP} aria-label={`Exchange of step ${i + 1}`}>
                  {[
                    `${e.http.request.method} ${displayUrl(e.http.request.url)}`,
                    ...e.http.request.headers.map(([n, v]) => `${n}: ${v}`),
                    e.http.request.body ? `\n${e.http.request.body}` : '',
                    '',
                    e.http.response ? `HTTP ${e.http.response.status} ${e.http.response.statusText}` : 'no answer',
                    ...(e.http.response?.headers.map(([n, v]) => `${n}: ${v}`) ?? []),
                    e.http.response?.body ? `\n${e.http.response.body.slice(0, 4000)}` : '',
                  ].join('\n')}
                </pre>
              </details>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
