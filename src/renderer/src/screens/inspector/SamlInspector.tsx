import { useEffect, useState } from 'react';
import type { AccountSummary } from '@shared/contract/workspace';
import type { SamlInspection } from '@shared/contract/saml';
import { api } from '../../api';

/**
 * Inspector › SAML: paste a SAMLResponse (base64 or XML) or an AuthnRequest (base64, a redirect URL)
 * and see it decoded, its facts and conditions, and — with an account — each check as that account's
 * ACS would run it (signature against its IdP certificates), without using the response up.
 */
export function SamlInspector() {
  const [text, setText] = useState('');
  const [account, setAccount] = useState('');
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [result, setResult] = useState<SamlInspection | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void api.workspace.accounts().then((r) => r.ok && setAccounts(r.value));
  }, []);
  const inspect = async () => {
    setProblem(null);
    const r = await api.inspect.saml({ text, ...(account ? { account } : {}) });
    if (!r.ok) {
      setResult(null);
      return setProblem(r.error.message);
    }
    setResult(r.value);
  };
  return (
    <section aria-labelledby="saml-inspector-title" className="panel">
      <h2 id="saml-inspector-title">SAML</h2>
      <label htmlFor="saml-text">SAMLResponse or AuthnRequest (base64, XML, or a redirect URL)</label>
      <textarea id="saml-text" rows={8} cols={80} value={text} onChange={(e) => setText(e.target.value)} />
      <label htmlFor="saml-account">Check against the IdP certificates of</label>
      <select id="saml-account" value={account} onChange={(e) => setAccount(e.target.value)}>
        <option value="">No account (decode only)</option>
        {accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>{' '}
      <button type="button" onClick={() => void inspect()} disabled={!text.trim()}>
        Inspect
      </button>
      {problem && <p role="alert">{problem}</p>}
      {result && (
        <section aria-label="SAML inspection" className="card">
          <p role="status" className={result.ok ? 'good' : 'bad'}>
            {result.verdict}
          </p>
          <dl>
            {result.facts.map((f) => (
              <div key={f.name}>
                <dt>{f.name}</dt>
                <dd>{f.value}</dd>
              </div>
            ))}
          </dl>
          <ul aria-label="Checks">
            {result.checks.map((c, i) => (
              <li
                key={`${c.check}-${i}`}
                className={c.result === 'ok' ? 'good' : c.result === 'fail' ? 'bad' : 'muted'}
              >
                {c.result === 'ok' ? '✓' : c.result === 'fail' ? '✗' : '–'} {c.check}: {c.reason}
              </li>
            ))}
          </ul>
          <details>
            <summary>Decoded XML</summary>
            <pre>{result.xml}</pre>
          </details>
        </section>
      )}
    </section>
  );
}
