import { useEffect, useRef, useState } from 'react';
import type { FlowStatus } from '../../../../shared/contract/oidc';
import { api, transport } from '../../api';
import { Timeline } from '../../components/Timeline';

/** Simulator › Sign in with SSO: runs the real flow and shows each step as it happens. */
export function SsoSignin() {
  const [email, setEmail] = useState('');
  const [flow, setFlow] = useState<FlowStatus | null>(null);
  const [authUrl, setAuthUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [logout, setLogout] = useState<string | null>(null);
  const timer = useRef<number | null>(null);

  const stopPolling = () => {
    if (timer.current !== null) window.clearInterval(timer.current);
    timer.current = null;
  };
  useEffect(() => stopPolling, []);

  const poll = (flowId: string) => {
    stopPolling();
    timer.current = window.setInterval(async () => {
      const r = await api.sso.signin.status({ flowId });
      if (!r.ok) return;
      setFlow(r.value);
      if (r.value.state === 'signed_in' || r.value.state === 'failed') stopPolling();
    }, 400);
  };

  const start = async () => {
    setError(null);
    setFlow(null);
    setLogout(null);
    const r = await api.sso.signin.start({ email });
    if (!r.ok) return setError(r.error.message);
    setAuthUrl(r.value.authorizationUrl);
    // The browser host cannot open a tab from the server: the console opens the IdP's page itself.
    if (r.value.openedBy === 'console' && transport === 'http') window.open(r.value.authorizationUrl, '_blank', 'noopener');
    const s = await api.sso.signin.status({ flowId: r.value.flowId });
    if (s.ok) setFlow(s.value);
    poll(r.value.flowId);
  };

  const pick = async (account: string) => {
    if (!flow) return;
    const r = await api.sso.signin.pick({ flowId: flow.flowId, account });
    if (r.ok) setFlow(r.value);
    else setError(r.error.message);
  };

  const cancel = async () => {
    if (!flow) return;
    const r = await api.sso.signin.cancel({ flowId: flow.flowId });
    if (r.ok) setFlow(r.value);
    stopPolling();
  };

  const signOut = async () => {
    if (!flow?.session) return;
    const r = await api.sso.logout({ sessionId: flow.session.id });
    if (!r.ok) return setError(r.error.message);
    if (r.value.endSessionUrl && r.value.openedBy === 'console') window.open(r.value.endSessionUrl, '_blank', 'noopener');
    setLogout(
      r.value.endSessionUrl
        ? 'Signed out of SSO Desk; the IdP was asked to end its session too.'
        : 'Signed out of SSO Desk. The IdP has no end_session_endpoint: its session remains.',
    );
  };

  const busy = flow !== null && (flow.state === 'waiting' || flow.state === 'exchanging');
  return (
    <section aria-labelledby="sso-sim-title" className="panel">
      <h1 id="sso-sim-title">Sign in with SSO</h1>
      <form aria-label="Sign in with SSO" onSubmit={(e) => (e.preventDefault(), void start())}>
        <label htmlFor="sso-sim-email">Email</label>
        <input id="sso-sim-email" type="email" required size={32} value={email} onChange={(e) => setEmail(e.target.value)} />{' '}
        <button type="submit" className="primary" disabled={busy}>
          Sign in with SSO
        </button>{' '}
        {busy && (
          <button type="button" onClick={() => void cancel()}>
            Cancel
          </button>
        )}
      </form>
      {error && (
        <p role="alert" className="bad">
          {error}
        </p>
      )}
      {busy && authUrl && (
        <p role="status">
          Waiting for the IdP… finish signing in in the new tab, then come back here. No tab?{' '}
          <a href={authUrl} target="_blank" rel="noopener noreferrer">
            Open the IdP sign-in page
          </a>
        </p>
      )}
      {flow?.waitingHint && <p className="muted">{flow.waitingHint}</p>}
      {flow?.state === 'picking' && (
        <section aria-label="Choose an account" className="card">
          <h2>Choose an account</h2>
          <p>{flow.steps.find((s) => s.step === 'account picker')?.detail}</p>
          {flow.accounts.map((a) => (
            <button key={a.id} type="button" onClick={() => void pick(a.id)}>
              {a.name}
            </button>
          ))}
        </section>
      )}
      {flow?.state === 'signed_in' && flow.session && (
        <section aria-label="Session" className="card">
          <p role="status" className="good">
            Signed in to {flow.session.accountName} as {flow.session.email}
          </p>
          <button type="button" onClick={() => void signOut()}>
            Log out
          </button>
          {logout && <p role="status">{logout}</p>}
        </section>
      )}
      {flow?.state === 'failed' && flow.error && (
        <p role="alert" className="bad">
          Sign-in failed: {flow.error.message}
        </p>
      )}
      {flow && (
        <>
          <h2>Steps</h2>
          <Timeline steps={flow.steps} label="Sign-in steps" />
        </>
      )}
    </section>
  );
}
