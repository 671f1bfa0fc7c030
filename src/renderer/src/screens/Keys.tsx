import { useEffect, useState } from 'react';
import { api } from '../api';

interface Credential {
  label: string;
  account: string;
  bot: string | null;
  kind: string;
  value: string;
}

export function KeysScreen() {
  const [creds, setCreds] = useState<Credential[] | null>(null);
  const [shown, setShown] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api.workspace.demoCredentials().then((r) => (r.ok ? setCreds(r.value) : setError(r.error.message)));
  }, []);
  return (
    <section aria-labelledby="keys-title" className="panel">
      <h1 id="keys-title">Keys</h1>
      <h2>Demo credentials</h2>
      <p>Generated for this install when the demo world was seeded. Use them with the Platform API and the demo logins.</p>
      {error && <p role="alert">{error}</p>}
      {creds && creds.length === 0 && <p>This data dir was imported from a file: it has no demo credentials.</p>}
      {creds && creds.length > 0 && (
        <table className="grid" aria-label="Demo credentials">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Value</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {creds.map((c) => (
              <tr key={c.label}>
                <td>{c.label}</td>
                <td>
                  <code aria-label={`${c.label} value`}>{shown[c.label] ? c.value : `••••${c.value.slice(-4)}`}</code>
                </td>
                <td>
                  <button onClick={() => setShown((s) => ({ ...s, [c.label]: !s[c.label] }))}>
                    {shown[c.label] ? 'Hide' : 'Show'} {c.label}
                  </button>{' '}
                  <button onClick={() => void navigator.clipboard?.writeText(c.value)}>Copy {c.label}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
