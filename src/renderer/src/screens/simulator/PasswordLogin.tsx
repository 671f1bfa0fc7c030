import { useEffect, useState } from 'react';
import type { AccountSummary } from '../../../../shared/contract/workspace';
import type { SimulatedLogin, TraceStep } from '../../../../shared/contract/passthrough';
import { api } from '../../api';
import { Timeline } from '../../components/Timeline';
import { AccountSelect } from '../../components/AccountSelect';

/** Simulator › Password login: the platform's own login (POST /auth/login), replayed step by step. */
export function PasswordLoginSimulator() {
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [account, setAccount] = useState('');
  const [device, setDevice] = useState({ os: navigator.platform || '', name: 'SSO Desk Simulator', ip: '' });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SimulatedLogin | null>(null);
  const [forgot, setForgot] = useState<{ status: number; message: string; trace: TraceStep[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void api.workspace.accounts().then((r) => (r.ok ? setAccounts(r.value) : setError(r.error.message)));
  }, []);

  const deviceInput = () => {
    const d: { os?: string; name?: string; ip?: string } = {};
    if (device.os) d.os = device.os;
    if (device.name) d.name = device.name;
    if (device.ip) d.ip = device.ip;
    return d;
  };

  const run = async (chosen?: string) => {
    setBusy(true);
    setError(null);
    setForgot(null);
    const acct = chosen ?? account;
    if (chosen) setAccount(chosen);
    const r = await api.simulate.passwordLogin({ email, password, device: deviceInput(), ...(acct ? { account: acct } : {}) });
    setBusy(false);
    if (r.ok) setResult(r.value);
    else {
      setResult(null);
      setError(r.error.message);
    }
  };

  const runForgot = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    const r = await api.simulate.forgotPassword({ email, ...(account ? { account } : {}) });
    setBusy(false);
    if (r.ok) setForgot(r.value);
    else setError(r.error.message);
  };

  return (
    <section aria-labelledby="pwsim-title" className="panel wide">
      <h1 id="pwsim-title">Password login</h1>
      <p className="muted">
        Runs the platform’s own password login (<code>POST /auth/login</code>) through the real engine: the policy, the
        account, then SSO Desk’s password or the organization’s external authentication. Every step is shown; the password
        reads ••••.
      </p>
      <form aria-label="Password login" onSubmit={(e) => (e.preventDefault(), void run())}>
        <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          <label>
            Email
            <input aria-label="Email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} style={{ display: 'block', width: 240 }} />
          </label>
          <label>
            Password
            <input aria-label="Password" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} style={{ display: 'block', width: 200 }} />
          </label>
          <AccountSelect accounts={accounts} value={account} onChange={setAccount} any="Any (ask when several)" />
        </div>
        <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          <label>
            Device OS
            <input aria-label="Device OS" value={device.os} onChange={(e) => setDevice({ ...device, os: e.target.value })} style={{ display: 'block' }} />
          </label>
          <label>
            Device name
            <input aria-label="Device name" value={device.name} onChange={(e) => setDevice({ ...device, name: e.target.value })} style={{ display: 'block' }} />
          </label>
          <label>
            Device IP
            <input aria-label="Device IP" placeholder="none" value={device.ip} onChange={(e) => setDevice({ ...device, ip: e.target.value })} style={{ display: 'block' }} />
          </label>
        </div>
        <p style={{ display: 'flex', gap: 8 }}>
          <button type="submit" className="primary" disabled={busy}>
            Log in
          </button>
          <button type="button" disabled={busy || !email} onClick={() => void runForgot()}>
            Forgot password
          </button>
        </p>
      </form>
      {busy && <p aria-live="polite">Running…</p>}
      {error && <p role="alert">{error}</p>}
      {result && (
        <article aria-label="Login result" className="card">
          <p role="status" className={result.outcome === 'authenticated' ? 'good' : 'bad'}>
            <strong>
              {result.outcome === 'authenticated' ? 'Signed in' : result.outcome.replace('_', ' ')} · HTTP {result.status}
              {result.code ? ` ${result.code}` : ''}
            </strong>
            {' — '}
            {result.message}
            {result.retryAfterSeconds !== undefined ? ` (Retry-After: ${result.retryAfterSeconds} s)` : ''}
          </p>
          {result.outcome === 'choose_account' && result.accounts && (
            <p>
              {result.accounts.map((a) => (
                <button key={a.id} type="button" onClick={() => void run(a.id)} style={{ marginRight: 8 }}>
                  Log in to {a.name} ({a.method})
                </button>
              ))}
            </p>
          )}
          <Timeline steps={result.trace} label="Trace" />
        </article>
      )}
      {forgot && (
        <article aria-label="Forgot-password result" className="card">
          <p role="status" className={forgot.status < 300 ? 'good' : 'bad'}>
            <strong>HTTP {forgot.status}</strong> — {forgot.message}
          </p>
          <Timeline steps={forgot.trace} label="Trace" />
        </article>
      )}
    </section>
  );
}
