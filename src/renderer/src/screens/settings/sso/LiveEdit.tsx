import { useState, type ReactNode } from 'react';
import type { EnforcementView, OidcConfigView } from '@shared/contract/oidc';
import { api } from '@renderer/api';
import { DraftBar } from '@renderer/components/ui/draft';
import { useConfirm } from '@renderer/components/ui/ConfirmDialog';

/*
 * The parts of Settings › Security › SSO that guard a live setup (issue #23): what an edit needs
 * before it may be saved while SSO is on, "Revert to last working", and the save bar whose result
 * is shown next to it — a refusal used to appear far above the bar that was pressed.
 */

export type SaveMessage = { ok: boolean; text: string } | null;

/**
 * The draft bar, with the answer to the last Save (or Revert) inside it, announced to screen readers.
 * While the draft is unchanged the bar shows the answer alone, where the bar was.
 */
export function SaveBar(props: {
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
  what: string;
  message: SaveMessage;
}) {
  const answer = (
    <span
      role={props.message && !props.message.ok ? 'alert' : 'status'}
      aria-live={props.message && !props.message.ok ? 'assertive' : 'polite'}
      className={props.message ? (props.message.ok ? 'good' : 'bad') : undefined}
      data-testid="save-result"
    >
      {props.message?.text ?? ''}
    </span>
  );
  if (props.dirty)
    return (
      <DraftBar
        dirty={props.dirty}
        saving={props.saving}
        onSave={props.onSave}
        onDiscard={props.onDiscard}
        what={props.what}
      >
        {answer}
      </DraftBar>
    );
  return (
    <div className="draftbar" role="region" aria-label="Save result" hidden={!props.message}>
      {answer}
    </div>
  );
}

/** While SSO is on: what this edit needs before Save takes it (the engine checks the same). */
export function LiveEditGates(props: {
  view: OidcConfigView;
  enforcement: EnforcementView;
  fingerprint: string;
  identityChanged: boolean;
}): ReactNode {
  const { view, enforcement, fingerprint: fp } = props;
  const tested = enforcement.lastTest?.fingerprint === fp && enforcement.lastTest.ok;
  const signedIn = enforcement.lastSignin?.fingerprint === fp && enforcement.lastSignin.withinWindow;
  return (
    <section aria-label="Before this change is saved" className="card">
      <h2>Before this change is saved</h2>
      <p>
        SSO is on: every user of {view.accountName} signs in through these settings the moment they are saved. Save
        takes them only once they are proven to work; until then the saved settings stay in use.
      </p>
      <ul className="gates">
        <li className={tested ? 'good' : 'bad'}>
          {tested
            ? '✓ Test connection passed for these settings'
            : '✗ Test connection has not passed for these settings yet'}
        </li>
        {props.identityChanged && (
          <li className={signedIn ? 'good' : 'bad'}>
            {signedIn
              ? `✓ Test sign-in through these settings by ${enforcement.lastSignin!.email}`
              : `✗ A new IdP or client: do a Test sign-in through these settings (valid ${enforcement.signinWindowMinutes} minutes)`}
          </li>
        )}
      </ul>
    </section>
  );
}

/** "Revert to last working": the settings users signed in with before the last edit, back in one step. */
export function RevertLastWorking(props: {
  view: OidcConfigView;
  onReverted: (v: OidcConfigView, message: SaveMessage) => void;
}) {
  const confirm = useConfirm();
  const [busy, setBusy] = useState(false);
  const kept = props.view.lastWorking;
  if (!kept) return null;
  const revert = async () => {
    const yes = await confirm({
      title: `Revert the SSO settings of ${props.view.accountName}?`,
      description: (
        <p>
          Users sign in through {kept.issuer} (client {kept.clientId}) again, as before the change saved{' '}
          {new Date(kept.keptAt).toISOString().slice(0, 16).replace('T', ' ')} UTC. SSO stays on.
        </p>
      ),
      confirmLabel: 'Revert to last working',
    });
    if (!yes) return;
    setBusy(true);
    const r = await api.sso.oidc.revert({ account: props.view.account, actor: 'console admin' });
    setBusy(false);
    if (!r.ok) return props.onReverted(props.view, { ok: false, text: `Not reverted: ${r.error.message}` });
    props.onReverted(r.value, {
      ok: true,
      text: `Reverted. ${r.value.accountName} signs in through ${r.value.issuer} again; SSO is on.`,
    });
  };
  return (
    <section aria-labelledby="sso-last-working" className="card">
      <h2 id="sso-last-working">Last working settings</h2>
      <p>
        Before the last change, users signed in through <strong>{kept.issuer}</strong> (client {kept.clientId}).
      </p>
      <button type="button" onClick={() => void revert()} disabled={busy}>
        {busy ? 'Reverting…' : 'Revert to last working'}
      </button>
    </section>
  );
}
