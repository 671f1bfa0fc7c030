import { useEffect, useState, type FormEvent } from 'react';
import type { NetworkView } from '../../../../shared/contract/network';
import { api } from '../../api';
import { Notice } from '../../components/Notice';

type Field = 'proxyUrl' | 'noProxy' | 'caPem';
interface Draft {
  proxyUrl: string;
  noProxy: string;
  caPem: string;
}

const SOURCE: Record<NetworkView['effective']['source'], string> = {
  settings: 'set here',
  environment: 'from the environment (HTTPS_PROXY / HTTP_PROXY)',
  none: 'none: every call goes directly',
};

/**
 * Settings › Network: the HTTPS proxy and the extra trusted CA certificates used for every outbound
 * call (IdP discovery, JWKS, token and userinfo requests, Test connection, pass-through services,
 * the token inspector's discovery). A draft until Save; a bad field is named and nothing is saved.
 */
export function NetworkSettings() {
  const [view, setView] = useState<NetworkView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problem, setProblem] = useState<{ field: Field | null; text: string } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const load = (v: NetworkView) => {
    setView(v);
    setDraft({ proxyUrl: v.proxyUrl, noProxy: v.noProxy, caPem: v.caPem });
  };
  useEffect(() => {
    void api.network.get().then((r) => r.ok && load(r.value));
  }, []);
  if (!view || !draft) return <p>Loading…</p>;
  const dirty = draft.proxyUrl !== view.proxyUrl || draft.noProxy !== view.noProxy || draft.caPem !== view.caPem;
  const set = (k: Field, v: string) => {
    setDraft({ ...draft, [k]: v });
    setMessage(null);
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const r = await api.network.save({ ...draft });
    if (r.ok) {
      load(r.value);
      setProblem(null);
      setMessage({ ok: true, text: 'Saved; every outbound call uses it from now on.' });
    } else {
      const field = (['proxyUrl', 'noProxy', 'caPem'] as const).find((f) => f === r.error.field) ?? null;
      setProblem({ field, text: r.error.message });
      setMessage({ ok: false, text: r.error.message });
    }
  };
  const invalid = (f: Field) => (problem?.field === f ? { 'aria-invalid': true as const, 'aria-describedby': `net-${f}-problem` } : {});
  const note = (f: Field) =>
    problem?.field === f ? (
      <p id={`net-${f}-problem`} className="bad">
        {problem.text}
      </p>
    ) : null;
  return (
    <section aria-labelledby="network-title" className="panel">
      <h1 id="network-title">Network</h1>
      <p>
        For company networks: SSO Desk sends every call to an IdP, a pass-through service and the token inspector’s discovery
        through this proxy, and trusts these CA certificates on top of the system’s.
      </p>
      <dl aria-label="Network in force">
        <dt>Proxy in force</dt>
        <dd>
          {view.effective.proxy ?? 'none'} — {SOURCE[view.effective.source]}
        </dd>
        <dt>Bypassed for</dt>
        <dd>{view.effective.noProxy || 'nothing'}</dd>
        <dt>Environment</dt>
        <dd>
          HTTPS_PROXY {view.env.httpsProxy ?? 'not set'} · HTTP_PROXY {view.env.httpProxy ?? 'not set'} · NO_PROXY {view.env.noProxy ?? 'not set'}
        </dd>
      </dl>
      <form aria-label="Network settings" onSubmit={(e) => void save(e)}>
        <label>
          Proxy URL
          <br />
          <input
            value={draft.proxyUrl}
            placeholder="http://proxy.example.com:3128"
            spellCheck={false}
            onChange={(e) => set('proxyUrl', e.target.value)}
            {...invalid('proxyUrl')}
          />
        </label>
        <p className="muted">Empty: the environment’s HTTPS_PROXY applies, if any. http:// or https:// only.</p>
        {note('proxyUrl')}
        <label>
          Bypass the proxy for
          <br />
          <input value={draft.noProxy} spellCheck={false} onChange={(e) => set('noProxy', e.target.value)} {...invalid('noProxy')} />
        </label>
        <p className="muted">Host names, .domain suffixes or IP addresses, comma-separated (the NO_PROXY syntax).</p>
        {note('noProxy')}
        <label>
          Trusted CA certificates (PEM)
          <br />
          <textarea
            rows={6}
            cols={64}
            value={draft.caPem}
            spellCheck={false}
            placeholder="-----BEGIN CERTIFICATE-----"
            onChange={(e) => set('caPem', e.target.value)}
            {...invalid('caPem')}
          />
        </label>
        {note('caPem')}
        {view.cas.length > 0 && (
          <ul aria-label="Trusted CA certificates">
            {view.cas.map((c) => (
              <li key={c.fingerprint}>
                {c.subject} — valid until {c.validTo.slice(0, 10)}
              </li>
            ))}
          </ul>
        )}
        <p>
          <button type="submit" className="primary">
            Save network settings
          </button>{' '}
          {dirty && <span className="muted">Unsaved changes</span>}
        </p>
      </form>
      <Notice message={message} />
    </section>
  );
}
