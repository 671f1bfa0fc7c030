import { useEffect, useRef, useState } from 'react';
import type { AccountSummary } from '../../../../shared/contract/workspace';
import type { SimRunView } from '../../../../shared/contract/simulator';
import { toHar } from '../../../../shared/har';
import { api, transport } from '../../api';
import { useDesk } from '../../store';
import { Timeline } from '../../components/Timeline';
import { handToInspector } from '../inspector/token-handoff';
import { AccountSelect } from '../../components/AccountSelect';

type Method = 'auto' | 'password' | 'sso';
const METHODS: Array<{ id: Method; label: string }> = [
  { id: 'auto', label: 'Auto (the policy decides)' },
  { id: 'password', label: 'Password login' },
  { id: 'sso', label: 'Sign in with SSO' },
];
/**
 * Simulator › Replay a login: what a support person does when a customer writes "I can't log in".
 * Same account, email, password and device, through the real engines; the method chosen by the policy
 * (Auto) or forced; every step live; a failure ends with one sentence for the customer; the run can be
 * exported as HAR, copied as curl, saved to the audit log and re-run from there.
 */
export function ReplayLogin() {
  const version = useDesk((s) => s.info?.version ?? 'dev');
  const go = useDesk((s) => s.go);
  const [prefill] = useState(() => useDesk.getState().simPrefill);
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [account, setAccount] = useState(prefill?.account ?? '');
  const [email, setEmail] = useState(prefill?.email ?? '');
  const [password, setPassword] = useState('');
  const [method, setMethod] = useState<Method>(prefill?.method ?? 'auto');
  const [device, setDevice] = useState({ os: prefill?.device.os ?? '', name: prefill?.device.name ?? '', ip: prefill?.device.ip ?? '' });
  const [run, setRun] = useState<SimRunView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const timer = useRef<number | null>(null);
  // The password typed for this run: a last scrub of the evidence built here (the engine already masked it).
  const typed = useRef<string[]>([]);

  const stop = () => {
    if (timer.current !== null) window.clearInterval(timer.current);
    timer.current = null;
  };
  useEffect(() => stop, []);

  useEffect(() => {
    if (prefill) useDesk.setState({ simPrefill: null });
    void api.workspace.accounts().then((r) => (r.ok ? setAccounts(r.value) : setError(r.error.message)));
    if (!prefill) {
      void api.simulate.device().then((r) => {
        if (r.ok) setDevice((d) => ({ os: d.os || r.value.os, name: d.name || r.value.name, ip: d.ip || r.value.ip }));
      });
    }
  }, [prefill]);

  const poll = (runId: string) => {
    stop();
    timer.current = window.setInterval(async () => {
      const r = await api.simulate.run.status({ runId });
      if (!r.ok) return;
      setRun(r.value);
      if (r.value.state === 'done') stop();
    }, 300);
  };

  const start = async (accountOverride?: string) => {
    stop();
    setError(null);
    setNote(null);
    setRun(null);
    const acct = accountOverride ?? account;
    if (accountOverride) setAccount(accountOverride);
    typed.current = password ? [password] : [];
    const d: { os?: string; name?: string; ip?: string } = {};
    if (device.os) d.os = device.os;
    if (device.name) d.name = device.name;
    if (device.ip) d.ip = device.ip;
    const r = await api.simulate.run.start({ email, method, device: d, ...(password ? { password } : {}), ...(acct ? { account: acct } : {}) });
    if (!r.ok) return setError(r.error.message);
    setRun(r.value);
    const sso = r.value.sso;
    // The browser host cannot open a tab from the server: the console opens the IdP's page itself.
    if (sso && sso.openedBy === 'console' && transport === 'http') window.open(sso.authorizationUrl, '_blank', 'noopener');
    if (r.value.state !== 'done') poll(r.value.runId);
  };

  const pick = async (id: string) => {
    if (!run?.sso) return;
    const r = await api.sso.signin.pick({ flowId: run.sso.flowId, account: id });
    if (!r.ok) setError(r.error.message);
  };

  const cancel = async () => {
    if (!run?.sso) return;
    await api.sso.signin.cancel({ flowId: run.sso.flowId });
  };

  const exportHar = () => {
    if (!run) return;
    const har = toHar({ startedAt: run.startedAt, title: run.title, steps: run.steps }, version, typed.current);
    const blob = new Blob([JSON.stringify(har, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `sso-desk-${run.input.email.replace(/[^A-Za-z0-9.-]+/g, '_')}-${new Date(run.startedAt).toISOString().slice(0, 19).replace(/[:T]/g, '-')}.har`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setNote(`Exported ${har.log.entries.length} HTTP exchanges as ${a.download}.`);
  };

  const inspectIdToken = async () => {
    if (!run) return;
    const r = await api.simulate.run.idToken({ runId: run.runId });
    if (!r.ok) return setError(r.error.message);
    handToInspector(r.value.token);
    go('inspector');
  };

  const save = async () => {
    if (!run) return;
    const r = await api.simulate.save({ runId: run.runId });
    if (r.ok) setNote(`Saved to the audit log (event #${r.value.auditId}).`);
    else setError(r.error.message);
  };

  const busy = run !== null && run.state !== 'done';
  const outcome = run?.outcome ?? null;
  return (
    <section aria-labelledby="replay-title" className="panel wide">
      <h1 id="replay-title">Replay a login</h1>
      <p className="muted">
        Replays a customer’s login through the real engines: the policy’s decision, each HTTP exchange and each token check, step by
        step. Secrets read ••••.
      </p>
      {prefill && (
        <p role="note" className="card">
          Re-run of a saved run of {prefill.email}: the password is never saved{prefill.method === 'sso' ? '' : ' — type it again if the login needs one'}.
        </p>
      )}
      <form aria-label="Replay a login" onSubmit={(e) => (e.preventDefault(), void start())}>
        <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          <AccountSelect accounts={accounts} value={account} onChange={setAccount} any="Any" />
          <label>
            Email
            <input aria-label="Email" type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} style={{ display: 'block', width: 240 }} />
          </label>
          <label>
            Password (optional)
            <input aria-label="Password" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} style={{ display: 'block', width: 200 }} />
          </label>
        </div>
        <fieldset style={{ border: 'none', padding: 0, margin: '12px 0' }}>
          <legend>Method</legend>
          {METHODS.map((m) => (
            <label key={m.id} style={{ marginRight: 16 }}>
              <input type="radio" name="replay-method" value={m.id} checked={method === m.id} onChange={() => setMethod(m.id)} /> {m.label}
            </label>
          ))}
        </fieldset>
        <fieldset style={{ border: 'none', padding: 0, display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          <legend>Device</legend>
          <label>
            OS
            <input aria-label="Device OS" value={device.os} onChange={(e) => setDevice({ ...device, os: e.target.value })} style={{ display: 'block' }} />
          </label>
          <label>
            Name
            <input aria-label="Device name" value={device.name} onChange={(e) => setDevice({ ...device, name: e.target.value })} style={{ display: 'block' }} />
          </label>
          <label>
            IP
            <input aria-label="Device IP" value={device.ip} onChange={(e) => setDevice({ ...device, ip: e.target.value })} style={{ display: 'block' }} />
          </label>
        </fieldset>
        <p style={{ display: 'flex', gap: 8 }}>
          <button type="submit" className="primary" disabled={busy}>
            Run
          </button>
          {busy && run?.sso && (
            <button type="button" onClick={() => void cancel()}>
              Cancel sign-in
            </button>
          )}
        </p>
      </form>
      {error && <p role="alert">{error}</p>}
      {run && (
        <article aria-label="Run" className="card">
          <h2>{run.title}</h2>
          {run.state === 'waiting' && run.sso && (
            <p role="status">
              Waiting for the identity provider… finish signing in in the new tab, then come back here. No tab?{' '}
              <a href={run.sso.authorizationUrl} target="_blank" rel="noopener noreferrer">
                Open the IdP sign-in page
              </a>
            </p>
          )}
          {run.state === 'waiting' && run.sso?.waitingHint && <p className="muted">{run.sso.waitingHint}</p>}
          {run.state === 'running' && <p aria-live="polite">Running…</p>}
          {run.state === 'picking' && run.sso && (
            <section aria-label="Choose an account" className="card">
              <p>The identity provider signed the user in; they may enter several accounts. Choose one:</p>
              {run.sso.accounts.map((a) => (
                <button key={a.id} type="button" onClick={() => void pick(a.id)} style={{ marginRight: 8 }}>
                  {a.name}
                </button>
              ))}
            </section>
          )}
          <Timeline steps={run.steps} secrets={typed.current} />
          {outcome && (
            <>
              <p role={outcome.ok ? 'status' : 'alert'} aria-label="Outcome" className={{ ok: 'good', warn: 'warn', fail: 'bad' }[outcome.level]} style={{ fontSize: 15 }}>
                <span className="pill">{outcome.ok ? 'signed in' : outcome.level === 'warn' ? 'signed in as someone else' : 'failed'}</span> {outcome.sentence}
              </p>
              {outcome.accounts && (
                <p>
                  {outcome.accounts.map((a) => (
                    <button key={a.id} type="button" onClick={() => void start(a.id)} style={{ marginRight: 8 }}>
                      Run again for {a.name}
                    </button>
                  ))}
                </p>
              )}
              <p className="muted">
                Engine: {outcome.code ?? 'ok'} — {outcome.message}
                {run.durationMs !== null ? ` (${run.durationMs} ms)` : ''}
              </p>
              <p style={{ display: 'flex', gap: 8 }}>
                <button type="button" onClick={exportHar}>
                  Export HAR
                </button>
                <button type="button" onClick={() => void save()}>
                  Save to audit
                </button>
                {run.ran === 'sso' && outcome.ok && (
                  <button type="button" onClick={() => void inspectIdToken()}>
                    Inspect ID token
                  </button>
                )}
              </p>
            </>
          )}
          {note && <p role="status">{note}</p>}
        </article>
      )}
    </section>
  );
}
