import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { InspectTokenInput, TokenField, TokenInspection } from '@shared/contract/inspect';
import { PEM_ALGORITHMS } from '@shared/contract/inspect';
import { relativeTime } from '@shared/relative-time';
import { api } from '../../api';
import { useTokenHandoff } from './token-handoff';
import { isNewToken } from './new-token';
import { useDesk } from '../../store';

type Source = 'discovery' | 'jwks' | 'pem-or-jwk' | 'none';

const SOURCES: Array<{ id: Source; label: string; hint: string }> = [
  {
    id: 'discovery',
    label: 'Discovery from iss',
    hint: 'Fetches the issuer’s openid-configuration and JWKS (network).',
  },
  { id: 'jwks', label: 'Paste JWKS', hint: 'A whole JWK Set, several keys are fine. Offline.' },
  {
    id: 'pem-or-jwk',
    label: 'Paste PEM or JWK',
    hint: 'A public key, a certificate, or one JWK (a shared secret for HS256 too). Offline.',
  },
  { id: 'none', label: 'Don’t verify', hint: 'Decode only.' },
];

/** The relative times tick: re-render every second with a fresh "now". */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function keyInput(source: Source, keyText: string, alg: string): InspectTokenInput['key'] {
  switch (source) {
    case 'discovery':
      return { source: 'discovery' };
    case 'jwks':
      return { source: 'jwks', jwks: keyText };
    case 'pem-or-jwk':
      // JSON is a JWK (or a JWKS pasted here); anything else is read as PEM.
      if (keyText.trim().startsWith('{')) return { source: 'jwk', jwk: keyText };
      return alg
        ? { source: 'pem', pem: keyText, alg: alg as (typeof PEM_ALGORITHMS)[number] }
        : { source: 'pem', pem: keyText };
    case 'none':
      return undefined;
  }
}

/** How long typing pauses before the token is decoded again. */
const DEBOUNCE_MS = 350;

/**
 * The inspection of what the form holds: asked again on every change once typing pauses (DEBOUNCE_MS)
 * and by `run`; an answer to an older question is dropped.
 */
function useInspection(q: {
  token: string;
  source: Source;
  keyText: string;
  pemAlg: string;
  audience: string;
  needsKeyText: boolean;
}) {
  const { token, source, keyText, pemAlg, audience, needsKeyText } = q;
  const [result, setResult] = useState<TokenInspection | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const asked = useRef(0);
  const run = useCallback(async () => {
    const mine = ++asked.current;
    const t = token.trim();
    if (!t) {
      setResult(null);
      setError(null);
      return;
    }
    setBusy(true);
    // With no key yet, decode anyway: the claims are worth reading while the key is being found.
    const key = needsKeyText && keyText.trim() === '' ? undefined : keyInput(source, keyText, pemAlg);
    const input: InspectTokenInput = { token: t, key };
    if (audience.trim()) input.audience = audience.trim();
    const r = await api.inspect.token(input);
    if (mine !== asked.current) return;
    setBusy(false);
    if (r.ok) {
      setResult(r.value);
      setError(null);
    } else {
      setResult(null);
      setError(r.error.message);
    }
  }, [token, source, keyText, pemAlg, audience, needsKeyText]);

  // Decodes as you paste or type: every change, once typing pauses.
  useEffect(() => {
    const t = setTimeout(() => void run(), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [run]);
  return { result, error, busy, run };
}

/** A token handed over from another screen (a Simulator run) fills the form: token, source, audience. */
function useHandedToken(set: {
  setToken: (t: string) => void;
  setSource: (s: Source) => void;
  setAudience: (a: string) => void;
  setAudienceNote: (n: string | null) => void;
}) {
  const take = useTokenHandoff((s) => s.take);
  const { setToken, setSource, setAudience, setAudienceNote } = set;
  useEffect(() => {
    const handed = take();
    if (handed) {
      // A token from a run: its issuer answered discovery a moment ago, so verify against it; the
      // expected audience is the account's client ID.
      setToken(handed.token);
      setSource('discovery');
      if (handed.account) {
        void api.sso.oidc.get({ account: handed.account }).then((r) => {
          if (r.ok && r.value.clientId) {
            setAudience(r.value.clientId);
            setAudienceNote(`The client ID of ${r.value.accountName}, from its SSO settings.`);
          }
        });
      }
    }
  }, [take, setToken, setSource, setAudience, setAudienceNote]);
}

export function TokensInspector() {
  const [token, setToken] = useState('');
  const [source, setSource] = useState<Source>('jwks');
  const [keyText, setKeyText] = useState('');
  const [pemAlg, setPemAlg] = useState('');
  const [audience, setAudience] = useState('');
  const [audienceNote, setAudienceNote] = useState<string | null>(null);
  const ids = useId();
  useHandedToken({ setToken, setSource, setAudience, setAudienceNote });

  const needsKeyText = source === 'jwks' || source === 'pem-or-jwk';
  const why =
    token.trim() === ''
      ? 'Paste a token to decode it.'
      : needsKeyText && keyText.trim() === ''
        ? `Paste the ${source === 'jwks' ? 'JWKS' : 'PEM or JWK'} to verify with, or choose “Don’t verify”.`
        : null;

  const { result, error, busy, run } = useInspection({ token, source, keyText, pemAlg, audience, needsKeyText });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (why === null) void run();
  };

  return (
    <section aria-labelledby="tokens-title" className="panel">
      <h1 id="tokens-title">Tokens</h1>
      <p>
        Paste an ID token or access token to decode it, read what each claim means and verify its signature. With a
        pasted key everything stays on this machine.
      </p>
      <form onSubmit={submit} aria-label="Inspect a token">
        <label htmlFor={`${ids}-token`}>Token</label>
        <textarea
          id={`${ids}-token`}
          rows={5}
          spellCheck={false}
          autoComplete="off"
          placeholder="eyJhbGciOi…"
          value={token}
          onChange={(e) => {
            const next = e.target.value;
            // A different token (not an edit of this one) starts fresh: the last token's audience and
            // key would check it against the wrong app ("Wrong audience").
            if (isNewToken(token, next)) {
              setAudience('');
              setAudienceNote(null);
              setKeyText('');
            }
            setToken(next);
          }}
        />
        <VerifyWith
          ids={ids}
          source={source}
          onSource={setSource}
          keyText={keyText}
          onKeyText={setKeyText}
          pemAlg={pemAlg}
          onPemAlg={setPemAlg}
        />
        <AudienceField
          id={`${ids}-aud`}
          value={audience}
          note={audienceNote}
          onChange={(v) => {
            setAudience(v);
            setAudienceNote(null);
          }}
        />
        <p>
          <button
            type="submit"
            className="primary"
            disabled={why !== null || busy}
            aria-describedby={why ? `${ids}-why` : undefined}
          >
            {busy ? 'Inspecting…' : 'Inspect'}
          </button>{' '}
          <span id={`${ids}-why`} className="muted">
            {why ?? 'Decoded as you type; Inspect checks again (a fresh look at the issuer’s keys).'}
          </span>
        </p>
      </form>
      {error && (
        <p role="alert" className="bad">
          {error}
        </p>
      )}
      {result && <InspectionView result={result} />}
    </section>
  );
}

/** Where the key to verify with comes from, and the pasted key itself. */
function VerifyWith(p: {
  ids: string;
  source: Source;
  onSource: (s: Source) => void;
  keyText: string;
  onKeyText: (t: string) => void;
  pemAlg: string;
  onPemAlg: (a: string) => void;
}) {
  return (
    <>
      <fieldset style={{ border: 'none', padding: 0, margin: '12px 0 0' }}>
        <legend>Verify with</legend>
        <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          {SOURCES.map((s) => (
            <label key={s.id} className="check" title={s.hint}>
              <input
                type="radio"
                name={`${p.ids}-source`}
                value={s.id}
                checked={p.source === s.id}
                onChange={() => p.onSource(s.id)}
              />
              {s.label}
            </label>
          ))}
        </div>
        <p style={{ color: 'var(--muted)', margin: '4px 0 0' }}>{SOURCES.find((s) => s.id === p.source)?.hint}</p>
      </fieldset>
      {p.source === 'jwks' && (
        <>
          <label htmlFor={`${p.ids}-key`}>JWKS</label>
          <textarea
            id={`${p.ids}-key`}
            rows={4}
            spellCheck={false}
            placeholder='{"keys": [ … ]}'
            value={p.keyText}
            onChange={(e) => p.onKeyText(e.target.value)}
          />
        </>
      )}
      {p.source === 'pem-or-jwk' && (
        <>
          <label htmlFor={`${p.ids}-key`}>PEM or JWK</label>
          <textarea
            id={`${p.ids}-key`}
            rows={4}
            spellCheck={false}
            placeholder={'-----BEGIN PUBLIC KEY----- … or {"kty": …}'}
            value={p.keyText}
            onChange={(e) => p.onKeyText(e.target.value)}
          />
          <label htmlFor={`${p.ids}-alg`}>Algorithm for a PEM key</label>
          <select id={`${p.ids}-alg`} value={p.pemAlg} onChange={(e) => p.onPemAlg(e.target.value)}>
            <option value="">From the token header</option>
            {PEM_ALGORITHMS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </>
      )}
    </>
  );
}

/** The expected audience, with where a filled-in value came from. */
function AudienceField(p: { id: string; value: string; note: string | null; onChange: (v: string) => void }) {
  return (
    <>
      <label htmlFor={p.id}>Expected audience (optional)</label>
      <input
        id={p.id}
        type="text"
        value={p.value}
        placeholder="your client ID"
        onChange={(e) => p.onChange(e.target.value)}
        style={{ width: '100%', maxWidth: 480 }}
        aria-describedby={p.note ? `${p.id}-note` : undefined}
      />
      {p.note && (
        <p id={`${p.id}-note`} className="muted" style={{ margin: '4px 0 0' }}>
          {p.note}
        </p>
      )}
    </>
  );
}

const STATUS_TEXT = { verified: 'Verified', failed: 'Not valid', skipped: 'Not verified' } as const;
const STATUS_CLASS = { verified: 'good', failed: 'bad', skipped: 'warn' } as const;

function InspectionView({ result }: { result: TokenInspection }) {
  const now = useNow();
  const v = result.verification;
  return (
    <div aria-label="Inspection result" role="region">
      <p aria-label="Token kind">
        <span className="pill">{result.kind.toUpperCase()}</span>{' '}
        {result.tokenType && <strong>{result.tokenType}.</strong>} {result.summary}
      </p>
      {result.tokenType === 'SSO Desk deep link' && (
        <p role="note">
          <button
            type="button"
            onClick={() => {
              // Clear an earlier request first, so asking again moves the screen again.
              useDesk.setState({ section: null });
              requestAnimationFrame(() => useDesk.getState().go('inspector', 'deep-links'));
            }}
          >
            Open Inspector › Deep links
          </button>
        </p>
      )}
      {result.signatureMissing && (
        <p className="warn" role="note">
          Signature missing — cut off when copied? The claims below are decoded but nothing about them can be trusted
          until the whole token is pasted.
        </p>
      )}
      <h2>Verification</h2>
      <div role="status" aria-label="Verification" className="card">
        <p style={{ margin: 0 }}>
          <strong className={STATUS_CLASS[v.status]}>{STATUS_TEXT[v.status]}</strong>
        </p>
        <p style={{ margin: '6px 0 0' }}>{v.reason}</p>
        {v.keySource && <p style={{ margin: '6px 0 0', color: 'var(--muted)' }}>Key: {v.keySource}</p>}
      </div>
      {v.checks.length > 0 && (
        <ul aria-label="Verification checks" style={{ listStyle: 'none', paddingLeft: 0 }}>
          {v.checks.map((c) => (
            <li key={c.id} className={c.ok ? 'good' : 'bad'} style={{ margin: '4px 0' }}>
              <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> <strong>{c.name}</strong>
              <span className="pill" style={{ margin: '0 6px' }}>
                {c.ok ? 'passed' : 'failed'}
              </span>
              <span style={{ color: 'var(--text)' }}>{c.detail}</span>
            </li>
          ))}
        </ul>
      )}
      {result.headerFields.length > 0 && <FieldsTable title="Header" fields={result.headerFields} now={now} />}
      {result.claimFields.length > 0 && <FieldsTable title="Claims" fields={result.claimFields} now={now} />}
      {result.payloadText !== null && (
        <>
          <h2>Payload</h2>
          <p className="muted">The signed content is text, not a JSON claims set; it is shown as it is.</p>
          <pre
            className="detail"
            aria-label="Payload text"
            style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          >
            {result.payloadText}
          </pre>
        </>
      )}
      {(result.header !== null || result.claims !== null) && <RawJson result={result} />}
    </div>
  );
}

/** The decoded header and payload as JSON, to copy into a ticket or another tool. */
function RawJson({ result }: { result: TokenInspection }) {
  const [copied, setCopied] = useState<string | null>(null);
  const text = JSON.stringify({ header: result.header, payload: result.claims ?? result.payloadText }, null, 2);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied the raw JSON.');
    } catch {
      setCopied('The clipboard is not available: select the text and copy it.');
    }
  };
  return (
    <details>
      <summary>Raw JSON</summary>
      <pre className="detail" aria-label="Raw JSON" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {text}
      </pre>
      <button type="button" onClick={() => void copy()}>
        Copy raw JSON
      </button>{' '}
      {copied && <span role="status">{copied}</span>}
    </details>
  );
}

function FieldsTable({ title, fields, now }: { title: string; fields: TokenField[]; now: number }) {
  return (
    <>
      <h2>{title}</h2>
      <table className="grid" aria-label={title}>
        <thead>
          <tr>
            <th scope="col">{title === 'Header' ? 'Parameter' : 'Claim'}</th>
            <th scope="col">Value</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f.name}>
              <th scope="row" style={{ fontWeight: 'normal' }}>
                <code>{f.name}</code>
                {f.label !== f.name && <div style={{ color: 'var(--muted)' }}>{f.label}</div>}
              </th>
              <td style={{ overflowWrap: 'anywhere', maxWidth: 360 }}>
                {f.time ? (
                  <>
                    <time dateTime={f.time.iso} style={{ whiteSpace: 'nowrap' }}>
                      {f.time.iso}
                    </time>
                    <div aria-label={`${f.name} relative`}>{relativeTime(f.time.epochMs, now)}</div>
                  </>
                ) : (
                  <code>{f.value}</code>
                )}
              </td>
              <td>{f.explanation}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
