import { useEffect, useRef, useState } from 'react';
import type { FlowStatus, SigninDraftInput } from '@shared/contract/oidc';
import { api, transport } from '@renderer/api';
import { IdpWaitingHint } from '@renderer/components/IdpWaitingHint';

/** The sentence for a test sign-in's state; amber when the IdP signed in someone other than the one typed. */
function outcomeOf(s: FlowStatus): { tone: 'good' | 'warn' | 'bad' | undefined; text: string } {
  if (s.state === 'signed_in') {
    const who = s.assertedEmail ?? s.email;
    if (who.toLowerCase() !== s.email.toLowerCase())
      return {
        tone: 'warn',
        text:
          `Test sign-in worked for ${who}, not ${s.email} as typed: the IdP signed in another ` +
          `user (it may have reused an open session). The evidence for switching SSO on names ` +
          `${who}; to test ${s.email}, sign out at the IdP and try again.`,
      };
    return { tone: 'good', text: `Test sign-in worked for ${who}.` };
  }
  if (s.state === 'failed')
    return { tone: 'bad', text: `Test sign-in failed: ${s.error?.message ?? 'unknown reason'}` };
  return { tone: undefined, text: 'Waiting for the sign-in at the IdP…' };
}

/** Follows one sign-in flow: its status now and each second until it ends (then `onDone`); stops on unmount. */
function useFlowStatus(onDone: () => void) {
  const [status, setStatus] = useState<FlowStatus | null>(null);
  const timer = useRef<number | null>(null);
  const stop = () => {
    if (timer.current !== null) window.clearInterval(timer.current);
    timer.current = null;
  };
  useEffect(() => stop, []);
  const follow = async (flowId: string) => {
    stop();
    const first = await api.sso.signin.status({ flowId });
    if (first.ok) setStatus(first.value);
    timer.current = window.setInterval(() => {
      void api.sso.signin.status({ flowId }).then((s) => {
        if (!s.ok) return;
        setStatus(s.value);
        if (s.value.state === 'signed_in' || s.value.state === 'failed') {
          stop();
          onDone();
        }
      });
    }, 1000);
  };
  return { status, setStatus, follow, stop };
}

/**
 * A test sign-in through the saved settings (SSO may still be off); the evidence for switching SSO
 * on. While it waits, it says what an error page at the IdP means and offers Cancel, which ends the
 * flow and frees its listener (a fixed port included).
 */
export function TestSignin({
  view,
  protocol = 'oidc',
  dirty,
  draft = null,
  onDone,
  labelled = (m) => m,
}: {
  /** The account whose settings are tested. */
  view: { account: string; accountName: string; configured: boolean };
  /** Which of the account's settings: OIDC (the default) or SAML. */
  protocol?: 'oidc' | 'saml';
  dirty: boolean;
  /** The unsaved settings to sign in through (an edit of a live SSO setup needs this test before Save). */
  draft?: SigninDraftInput | null;
  onDone: () => void;
  /** Puts the form's field labels into engine messages. */
  labelled?: (message: string) => string;
}) {
  // Both protocols' cards may be in the page at once: their ids must not collide.
  const ids = protocol === 'saml' ? 'saml-test' : 'sso-test';
  const [email, setEmail] = useState('');
  const { status, setStatus, follow, stop } = useFlowStatus(onDone);
  const [problem, setProblem] = useState<string | null>(null);
  const start = async () => {
    setProblem(null);
    setStatus(null);
    const r = await api.sso.signin.start({
      email,
      account: view.account,
      test: true,
      protocol,
      ...(draft ? { draft } : {}),
    });
    if (!r.ok) return setProblem(labelled(r.error.message));
    if (r.value.openedBy === 'console' && transport === 'http')
      window.open(r.value.authorizationUrl, '_blank', 'noopener');
    await follow(r.value.flowId);
  };
  const cancel = async () => {
    if (!status) return;
    const r = await api.sso.signin.cancel({ flowId: status.flowId });
    stop();
    if (r.ok) setStatus(r.value);
  };
  const why = !view.configured
    ? 'Save the settings first.'
    : dirty && !draft
      ? 'Save or discard your changes first: a test sign-in uses the saved settings.'
      : null;
  const waiting = status !== null && status.state !== 'signed_in' && status.state !== 'failed';
  const outcome = status && outcomeOf(status);
  return (
    <section aria-labelledby={`${ids}-signin`} className="card">
      <h2 id={`${ids}-signin`}>Test sign-in{protocol === 'saml' ? ' (SAML)' : ''}</h2>
      <p className="muted">
        Sign in through the IdP with {draft ? 'the settings as typed (not saved yet)' : 'the saved settings'}, as a
        member of {view.accountName}. Nothing is switched on; no session is opened.
      </p>
      <label htmlFor={`${ids}-email`}>Your email</label>
      <input id={`${ids}-email`} type="email" size={32} value={email} onChange={(e) => setEmail(e.target.value)} />{' '}
      <button
        type="button"
        onClick={() => void start()}
        disabled={why !== null || !email}
        aria-describedby={`${ids}-why`}
      >
        Test sign-in
      </button>{' '}
      {waiting && (
        <button type="button" onClick={() => void cancel()}>
          Cancel
        </button>
      )}
      <p id={`${ids}-why`} className="muted">
        {why ?? (email ? '' : 'Enter the email you sign in with at the IdP.')}
      </p>
      {problem && (
        <p role="alert" className="bad">
          {problem}
        </p>
      )}
      {outcome && (
        <p role="status" className={outcome.tone}>
          {outcome.text}
        </p>
      )}
      {waiting && <IdpWaitingHint hint={status.waitingHint} />}
    </section>
  );
}
