import { useEffect, useRef, useState } from 'react';
import * as Tabs from '@radix-ui/react-tabs';
import type { AccountSummary } from '@shared/contract/workspace';
import type { SimRunView } from '@shared/contract/simulator';
import type { TraceStep } from '@shared/trace';
import { toHar } from '@shared/har';
import { api } from '../api';
import { useDesk } from '../store';
import { Timeline } from '../components/Timeline';
import { AccountSelect } from '../components/AccountSelect';
import { handToInspector } from './inspector/token-handoff';
import { useSim, type Method } from './simulator/sim-store';
import { decidingStep, verdictOf } from './simulator/Verdict';
import { IdpWaitingHint } from '../components/IdpWaitingHint';
import './tools.css';

const METHODS: Array<{ id: Method; label: string; hint: string }> = [
  {
    id: 'auto',
    label: 'Auto',
    hint: 'The policy decides, as the user’s own login would: SSO where the account enforces it, else the password login.',
  },
  {
    id: 'password',
    label: 'Password',
    hint: 'The platform’s password login (POST /auth/login): SSO Desk’s password or the organization’s external authentication.',
  },
  {
    id: 'sso',
    label: 'SSO',
    hint: '“Sign in with SSO”: the IdP’s page opens in a new tab; every exchange and token check is shown.',
  },
];

const time = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * The Simulator: what a support person does when a customer writes "I can't log in". One form
 * (account, email, password, device, method), through the real engines; the verdict first, with a
 * jump to the step that decided it; the recent runs are kept while the app runs.
 */
export function SimulatorScreen() {
  const version = useDesk((s) => s.info?.version ?? 'dev');
  const go = useDesk((s) => s.go);
  // Read once; cleared in the effect (an initializer must stay pure: StrictMode calls it twice).
  const [prefill] = useState(() => useDesk.getState().simPrefill);
  const { form, setForm, runs, current, error, start, show, fillDevice } = useSim();
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [password, setPassword] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [forgot, setForgot] = useState<{ status: number; message: string; trace: TraceStep[] } | null>(null);
  // The password typed for each run: a last scrub of the evidence built here (the engine already masked it).
  const typed = useRef(new Map<string, string>());
  const verdictRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (prefill) {
      useDesk.setState({ simPrefill: null });
      useSim.getState().setForm({
        email: prefill.email,
        account: prefill.account ?? '',
        method: prefill.method,
        device: { os: prefill.device.os ?? '', name: prefill.device.name ?? '', ip: prefill.device.ip ?? '' },
        freshLogin: prefill.freshLogin ?? false,
        countAgainstCustomer: prefill.countAgainstCustomer ?? false,
      });
      useSim.setState({ deviceFilled: true });
    } else void fillDevice();
    void api.workspace.accounts().then((r) => (r.ok ? setAccounts(r.value) : setLoadError(r.error.message)));
  }, [prefill, fillDevice]);

  const run = runs.find((r) => r.runId === current) ?? null;

  const submit = async (accountOverride?: string) => {
    setForgot(null);
    const started = await start(password, accountOverride);
    if (started && password) typed.current.set(started.runId, password);
    // Focus moves to the verdict, so keyboard and screen-reader users land on the answer.
    requestAnimationFrame(() => verdictRef.current?.focus());
  };

  const sendReset = async () => {
    const r = await api.simulate.forgotPassword({
      email: form.email,
      ...(form.account ? { account: form.account } : {}),
    });
    if (r.ok) setForgot(r.value);
    else setLoadError(r.error.message);
  };

  const busy = run !== null && run.state !== 'done';
  return (
    <section aria-labelledby="sim-title" className="panel wide">
      <h1 id="sim-title">Simulator</h1>
      <p className="muted">
        Replays a customer’s login through the real engines: the policy’s decision, each HTTP exchange and each token
        check, step by step. Secrets read ••••.
      </p>
      {prefill && (
        <p role="note" className="card">
          Re-run of a saved run of {prefill.email}: the password is never saved
          {prefill.method === 'sso' ? '' : ' — type it again if the login needs one'}.
        </p>
      )}
      <form aria-label="Replay a login" onSubmit={(e) => (e.preventDefault(), void submit())}>
        <div className="form-row">
          <AccountSelect
            accounts={accounts}
            value={form.account}
            onChange={(account) => setForm({ account })}
            any="Any (ask when several)"
          />
          <label>
            Email
            <input
              aria-label="Email"
              type="email"
              required
              autoComplete="off"
              value={form.email}
              onChange={(e) => setForm({ email: e.target.value })}
              style={{ display: 'block', width: 240 }}
            />
          </label>
          <label>
            Password (optional)
            <input
              aria-label="Password"
              type="password"
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              style={{ display: 'block', width: 200 }}
            />
          </label>
        </div>
        <fieldset className="form-row" style={{ border: 'none', padding: 0, margin: '8px 0 0' }}>
          <legend className="muted">Device</legend>
          <label>
            OS
            <input
              aria-label="Device OS"
              value={form.device.os}
              onChange={(e) => setForm({ device: { ...form.device, os: e.target.value } })}
              style={{ display: 'block' }}
            />
          </label>
          <label>
            Name
            <input
              aria-label="Device name"
              value={form.device.name}
              onChange={(e) => setForm({ device: { ...form.device, name: e.target.value } })}
              style={{ display: 'block' }}
            />
          </label>
          <label>
            IP
            <input
              aria-label="Device IP"
              placeholder="none"
              value={form.device.ip}
              onChange={(e) => setForm({ device: { ...form.device, ip: e.target.value } })}
              style={{ display: 'block' }}
            />
          </label>
        </fieldset>
        <Tabs.Root className="sim-tabs" value={form.method} onValueChange={(v) => setForm({ method: v as Method })}>
          <Tabs.List aria-label="Method">
            {METHODS.map((m) => (
              <Tabs.Trigger key={m.id} value={m.id}>
                {m.label}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          {METHODS.map((m) => (
            <Tabs.Content key={m.id} value={m.id}>
              <p className="muted" style={{ margin: '0 0 8px' }}>
                {m.hint}
              </p>
              {m.id !== 'password' && (
                <label className="check">
                  <input
                    type="checkbox"
                    checked={form.freshLogin}
                    onChange={(e) => setForm({ freshLogin: e.target.checked })}
                  />
                  Force a fresh login at the IdP (asks for the password again instead of reusing the IdP’s session)
                </label>
              )}
              {m.id === 'password' && (
                <p>
                  <button
                    type="button"
                    disabled={!form.email}
                    onClick={() => void sendReset()}
                    aria-describedby={form.email ? undefined : 'reset-why'}
                  >
                    Send a password reset
                  </button>{' '}
                  {!form.email && (
                    <span id="reset-why" className="muted">
                      Enter the email first.
                    </span>
                  )}
                </p>
              )}
            </Tabs.Content>
          ))}
        </Tabs.Root>
        <label className="check">
          <input
            type="checkbox"
            checked={form.countAgainstCustomer}
            onChange={(e) => setForm({ countAgainstCustomer: e.target.checked })}
          />
          Count a failed run against the customer’s login protection (off: support’s tries never lock the user out)
        </label>
        <p style={{ display: 'flex', gap: 8 }}>
          <button type="submit" className="primary" disabled={busy}>
            Run
          </button>
          {busy && run?.sso && (
            <button type="button" onClick={() => void api.sso.signin.cancel({ flowId: run.sso!.flowId })}>
              Cancel sign-in
            </button>
          )}
        </p>
      </form>
      {(error ?? loadError) && (
        <p role="alert" className="bad">
          {error ?? loadError}
        </p>
      )}
      {forgot && (
        <article aria-label="Password reset result" className="card">
          <p role="status" className={forgot.status < 300 ? 'good' : 'bad'}>
            {forgot.status < 300 ? 'Reset sent' : 'Reset not sent'}: {forgot.message}
          </p>
          <Timeline steps={forgot.trace} label="Reset steps" />
        </article>
      )}
      {run && (
        <RunView
          run={run}
          verdictRef={verdictRef}
          secrets={typed.current.has(run.runId) ? [typed.current.get(run.runId)!] : []}
          version={version}
          onRerun={(account) => void submit(account)}
          onInspect={async () => {
            const r = await api.simulate.run.idToken({ runId: run.runId });
            if (!r.ok) return useSim.setState({ error: r.error.message });
            handToInspector(r.value.token, run.accountId ?? run.input.account ?? null);
            go('inspector');
          }}
        />
      )}
      {runs.length > 0 && (
        <section aria-labelledby="recent-runs">
          <h2 id="recent-runs">Recent runs</h2>
          <ul className="runs-list" aria-labelledby="recent-runs">
            {runs.map((r) => {
              const v = verdictOf(r);
              return (
                <li key={r.runId}>
                  <span className={`pill ${v.tone === 'busy' ? '' : v.tone}`}>{v.head}</span>
                  <button
                    type="button"
                    aria-current={r.runId === current ? 'true' : undefined}
                    onClick={() => show(r.runId)}
                  >
                    {r.title}
                  </button>
                  <span className="muted">{time(r.startedAt)}</span>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </section>
  );
}

function RunView(props: {
  run: SimRunView;
  verdictRef: React.RefObject<HTMLDivElement | null>;
  secrets: string[];
  version: string;
  onRerun: (account: string) => void;
  onInspect: () => Promise<void>;
}) {
  const { run, secrets } = props;
  const [note, setNote] = useState<string | null>(null);
  const v = verdictOf(run);
  const outcome = run.outcome;
  const decided = decidingStep(run);
  const stepId = `run-${run.runId}-step`;

  const exportHar = () => {
    const har = toHar({ startedAt: run.startedAt, title: run.title, steps: run.steps }, props.version, secrets);
    const blob = new Blob([JSON.stringify(har, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download =
      `sso-desk-${run.input.email.replace(/[^A-Za-z0-9.-]+/g, '_')}-` +
      `${new Date(run.startedAt).toISOString().slice(0, 19).replace(/[:T]/g, '-')}.har`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setNote(`Exported ${har.log.entries.length} HTTP exchanges as ${a.download}.`);
  };
  const save = async () => {
    const r = await api.simulate.save({ runId: run.runId });
    setNote(r.ok ? `Saved to the audit log (event #${r.value.auditId}).` : r.error.message);
  };
  const pick = async (id: string) => {
    if (!run.sso) return;
    const r = await api.sso.signin.pick({ flowId: run.sso.flowId, account: id });
    if (!r.ok) setNote(r.error.message);
  };
  const logout = async () => {
    const r = await api.simulate.run.logout({ runId: run.runId });
    if (!r.ok) return setNote(r.error.message);
    if (r.value.endSessionUrl && r.value.openedBy === 'console')
      window.open(r.value.endSessionUrl, '_blank', 'noopener');
    setNote(
      r.value.endSessionUrl
        ? 'Signed out of SSO Desk; the IdP was asked to end its session too.'
        : 'Signed out of SSO Desk. The IdP has no end_session_endpoint: its session remains.',
    );
  };
  const jump = () => {
    const el = document.getElementById(`${stepId}-${decided}`);
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  };

  return (
    <article aria-label="Run" className="card">
      <h2>{run.title}</h2>
      <div
        ref={props.verdictRef}
        tabIndex={-1}
        className={`verdict ${v.tone === 'busy' ? '' : v.tone}`}
        aria-label="Verdict"
      >
        <p className="head" role={outcome ? (v.tone === 'bad' ? 'alert' : 'status') : undefined} aria-label="Outcome">
          {v.head}
          {outcome ? `: ${outcome.sentence}` : '…'}
        </p>
        {run.state === 'waiting' && run.sso && (
          <p role="status">
            Waiting for the identity provider… finish signing in in the new tab, then come back here. No tab?{' '}
            <a href={run.sso.authorizationUrl} target="_blank" rel="noopener noreferrer">
              Open the IdP sign-in page
            </a>
          </p>
        )}
        {run.state === 'waiting' && run.sso && <IdpWaitingHint hint={run.sso.waitingHint} />}
        {run.state === 'picking' && run.sso && (
          <section aria-label="Choose an account">
            <p>The identity provider signed the user in; they may enter several accounts. Choose one:</p>
            {run.sso.accounts.map((a) => (
              <button key={a.id} type="button" onClick={() => void pick(a.id)} style={{ marginRight: 8 }}>
                {a.name}
              </button>
            ))}
          </section>
        )}
        {outcome?.accounts && (
          <p>
            {outcome.accounts.map((a) => (
              <button key={a.id} type="button" onClick={() => props.onRerun(a.id)} style={{ marginRight: 8 }}>
                Run again for {a.name}
              </button>
            ))}
          </p>
        )}
        {outcome && typeof outcome.attemptsLeft === 'number' && (
          <p aria-label="Attempts left">
            Counted against the customer: {outcome.attemptsLeft} failed{' '}
            {outcome.attemptsLeft === 1 ? 'attempt' : 'attempts'} left before a lockout.
          </p>
        )}
        {run.steps.length > 0 && decided >= 0 && (
          <p>
            <button type="button" className="link" onClick={jump}>
              Go to the step that decided it: {run.steps[decided]!.step}
            </button>
            {run.durationMs !== null && <span className="muted"> · {run.durationMs} ms</span>}
          </p>
        )}
      </div>
      {outcome && (
        <p style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <button type="button" onClick={exportHar}>
            Export HAR
          </button>
          <button type="button" onClick={() => void save()}>
            Save to audit
          </button>
          {run.ran === 'sso' && outcome.ok && (
            <>
              <button type="button" onClick={() => void props.onInspect()}>
                Inspect ID token
              </button>
              <button type="button" onClick={() => void logout()}>
                Log out
              </button>
            </>
          )}
        </p>
      )}
      {note && <p role="status">{note}</p>}
      {outcome && outcome.code !== 'choose_account' && outcome.code !== null && (
        <details>
          <summary>Engine detail</summary>
          <p className="muted">
            {outcome.code}: {outcome.message}
          </p>
        </details>
      )}
      <Timeline steps={run.steps} secrets={secrets} idPrefix={stepId} />
    </article>
  );
}
