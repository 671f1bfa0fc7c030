import { useEffect, useState } from 'react';
import type { AccountSummary } from '@shared/contract/workspace';
import { api } from '../../api';

export function AccountsSettings() {
  const [accounts, setAccounts] = useState<AccountSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api.workspace.accounts().then((r) => (r.ok ? setAccounts(r.value) : setError(r.error.message)));
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!accounts) return <p>Loading…</p>;
  return (
    <section aria-labelledby="accounts-title" className="panel">
      <h1 id="accounts-title">Accounts</h1>
      {accounts.map((a) => (
        <article key={a.id} aria-label={a.name} className="card">
          <h2>
            {a.name} <span className="pill">{a.plan}</span>
          </h2>
          <p>
            Packages: {a.packages.length ? a.packages.join(', ') : 'none'} · Embeddable: {a.embeddable ? 'yes' : 'no'}
          </p>
          <table className="grid compact" aria-label={`Members of ${a.name}`}>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
              </tr>
            </thead>
            <tbody>
              {a.members.map((m) => (
                <tr key={m.email}>
                  <td>{m.email}</td>
                  <td>{m.name}</td>
                  <td>{m.role}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>Bots: {a.bots.map((b) => `${b.name} (owner ${b.owner})`).join(', ') || 'none'}</p>
        </article>
      ))}
    </section>
  );
}
