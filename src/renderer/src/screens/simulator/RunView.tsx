import type { RefObject } from 'react';
import type { SimRunView } from '@shared/contract/simulator';
import { Timeline } from '@renderer/components/Timeline';
import { IdpWaitingHint } from '@renderer/components/IdpWaitingHint';
import { decidingStep, verdictOf } from './Verdict';
import { useRunActions } from './run-actions';

/** One run in full: the verdict first, then what can be done with it, then every step. */
export function RunView(props: {
  run: SimRunView;
  verdictRef: RefObject<HTMLDivElement | null>;
  secrets: string[];
  version: string;
  onRerun: (account: string) => void;
  onInspect: () => Promise<void>;
}) {
  const { run, secrets } = props;
  const actions = useRunActions(run, props.version, secrets);
  const outcome = run.outcome;
  const stepId = `run-${run.runId}-step`;
  return (
    <article aria-label="Run" className="card">
      <h2>{run.title}</h2>
      <VerdictPanel
        run={run}
        verdictRef={props.verdictRef}
        stepId={stepId}
        onPick={(id) => void actions.pick(id)}
        onRerun={props.onRerun}
      />
      {outcome && (
        <p style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <button type="button" onClick={actions.exportHar}>
            Export HAR
          </button>
          <button type="button" onClick={() => void actions.save()}>
            Save to audit
          </button>
          {run.ran === 'sso' && outcome.ok && (
            <>
              <button type="button" onClick={() => void props.onInspect()}>
                Inspect ID token
              </button>
              <button type="button" onClick={() => void actions.logout()}>
                Log out
              </button>
            </>
          )}
        </p>
      )}
      {actions.note && <p role="status">{actions.note}</p>}
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

/**
 * The verdict, focused after Run: the outcome in a sentence, what the run waits for (the IdP, a
 * choice of account), attempts left, and a jump to the step that decided it.
 */
function VerdictPanel(props: {
  run: SimRunView;
  verdictRef: RefObject<HTMLDivElement | null>;
  stepId: string;
  onPick: (account: string) => void;
  onRerun: (account: string) => void;
}) {
  const { run } = props;
  const v = verdictOf(run);
  const outcome = run.outcome;
  const decided = decidingStep(run);
  const jump = () => {
    const el = document.getElementById(`${props.stepId}-${decided}`);
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  };
  return (
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
      <SsoWait run={run} onPick={props.onPick} />
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
  );
}

/** An SSO run that waits: for the person at the IdP's page, or for a choice among the user's accounts. */
function SsoWait({ run, onPick }: { run: SimRunView; onPick: (account: string) => void }) {
  if (!run.sso) return null;
  return (
    <>
      {run.state === 'waiting' && (
        <p role="status">
          Waiting for the identity provider… finish signing in in the new tab, then come back here. No tab?{' '}
          <a href={run.sso.authorizationUrl} target="_blank" rel="noopener noreferrer">
            Open the IdP sign-in page
          </a>
        </p>
      )}
      {run.state === 'waiting' && <IdpWaitingHint hint={run.sso.waitingHint} />}
      {run.state === 'picking' && (
        <section aria-label="Choose an account">
          <p>The identity provider signed the user in; they may enter several accounts. Choose one:</p>
          {run.sso.accounts.map((a) => (
            <button key={a.id} type="button" onClick={() => onPick(a.id)} style={{ marginRight: 8 }}>
              {a.name}
            </button>
          ))}
        </section>
      )}
    </>
  );
}
